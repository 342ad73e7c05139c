#include "gongkai/server/service/metadata_validator.h"

#include <algorithm>
#include <string_view>

#include "gongkai/core/text.h"

namespace gongkai::server::service {
namespace {

using core::FieldError;

constexpr std::size_t kMaxTitle = 300;
constexpr std::size_t kMaxDocNumber = 100;
constexpr std::size_t kMaxSummary = 20000;

bool isOrgUnitCode(const std::string& text) {
  if (text.empty() || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// Validates the text members: an error for one of another type, with control characters, too
// long or blank.
class Checker {
 public:
  explicit Checker(std::vector<FieldError>& errors) : errors_(errors) {}

  // Reads a string member. Returns false when absent or null; records an error when mistyped.
  bool text(const std::string& name, const Field<std::string>& field, std::string& out,
            bool multiline, std::size_t maxLength) {
    if (!field.filled()) return false;  // null is handled by the caller
    if (!field.hasValue()) {
      add(name, "wrong_type", "必须是字符串 (must be a string)");
      return false;
    }
    out = field.value;
    if (core::hasControlCharacters(out, multiline)) {
      add(name, "control_characters", "不能包含控制字符 (must not contain control characters)");
      return false;
    }
    if (core::codePointCount(out) > maxLength) {
      add(name, "too_long",
          "超过 " + std::to_string(maxLength) + " 个字符 (longer than " +
              std::to_string(maxLength) + " characters)");
      return false;
    }
    if (out.find_first_not_of(" \t\r\n") == std::string::npos) {
      add(name, "invalid_value", "不能为空 (must not be blank)");
      return false;
    }
    return true;
  }

  void add(const std::string& field, std::string code, std::string message) {
    errors_.push_back(FieldError{field, std::move(code), std::move(message)});
  }

 private:
  std::vector<FieldError>& errors_;
};

}  // namespace

core::Result<core::DocumentMetadata> MetadataValidator::validateNew(
    const DocumentMetadataFields& fields) const {
  return apply(core::DocumentMetadata{}, fields, true);
}

core::Result<core::DocumentMetadata> MetadataValidator::applyPatch(
    const core::DocumentMetadata& current, const DocumentMetadataFields& patch) const {
  return apply(current, patch, false);
}

core::Result<core::DocumentMetadata> MetadataValidator::apply(core::DocumentMetadata m,
                                                              const DocumentMetadataFields& f,
                                                              bool requireAll) const {
  std::vector<FieldError> errors = f.form_errors;
  Checker check(errors);
  auto required = [&](const std::string& name, const Field<std::string>& field) {
    if (field.state == Field<std::string>::State::kNull || (requireAll && !field.given())) {
      check.add(name, "missing_field", "必填字段 (required field)");
    }
  };
  auto optionalText = [&](const std::string& name, const Field<std::string>& field,
                          std::optional<std::string>& target, bool multiline,
                          std::size_t maxLength) {
    std::string value;
    if (field.state == Field<std::string>::State::kNull)
      target.reset();
    else if (check.text(name, field, value, multiline, maxLength))
      target = value;
  };

  std::string value;
  required("title", f.title);
  if (check.text("title", f.title, value, false, kMaxTitle)) m.title = value;
  optionalText("doc_number", f.doc_number, m.doc_number, false, kMaxDocNumber);
  optionalText("summary", f.summary, m.summary, true, kMaxSummary);

  required("category", f.category);
  if (check.text("category", f.category, value, false, 16)) {
    if (categories_.find(value))
      m.category = value;
    else
      check.add("category", "unknown_category",
                "未知的公开类别代码 (unknown category code): " + value);
  }
  required("org_unit", f.org_unit);
  if (check.text("org_unit", f.org_unit, value, false, 64)) {
    if (isOrgUnitCode(value))
      m.org_unit = value;
    else
      check.add("org_unit", "invalid_value",
                "组织代码只能包含字母、数字、-、_、. (letters, digits, '-', '_', '.')");
  }
  required("scope", f.scope);
  if (check.text("scope", f.scope, value, false, 32)) {
    if (auto scope = core::parseScope(value))
      m.scope = *scope;
    else
      check.add("scope", "invalid_value", "必须是 public、internal 或 restricted");
  }
  required("mode", f.mode);
  if (check.text("mode", f.mode, value, false, 32)) {
    if (auto mode = core::parseMode(value))
      m.mode = *mode;
    else
      check.add("mode", "invalid_value", "必须是 statutory、proactive 或 on_request");
  }
  required("period", f.period);
  if (check.text("period", f.period, value, false, 32)) {
    if (auto period = core::parsePeriod(value))
      m.period = *period;
    else
      check.add("period", "invalid_value", "必须是 standing、periodic、staged 或 immediate");
  }
  if (f.issued_at.state == Field<std::string>::State::kNull) {
    m.issued_at.reset();
  } else if (check.text("issued_at", f.issued_at, value, false, 10)) {
    if (auto date = core::parseDate(value))
      m.issued_at = date;
    else
      check.add("issued_at", "invalid_value", "日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD)");
  }

  if (f.catalogue_item.state == Field<std::int64_t>::State::kNull) {
    m.catalogue_item.reset();
  } else if (f.catalogue_item.given()) {
    if (!f.catalogue_item.hasValue() || f.catalogue_item.value < 1)
      check.add("catalogue_item", "invalid_value", "须为目录条目编号 (a catalogue item id)");
    else
      m.catalogue_item = f.catalogue_item.value;
  }

  if (!errors.empty()) {
    core::Error error = core::Error::make(core::ErrorCode::kInvalidArgument, "invalid_metadata",
                                          "文档元数据有误 (invalid document metadata)");
    error.fields = std::move(errors);
    return error;
  }
  return m;
}

}  // namespace gongkai::server::service
