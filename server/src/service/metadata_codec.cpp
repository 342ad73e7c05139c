#include "gongkai/server/service/metadata_codec.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "gongkai/core/text.h"

namespace gongkai::server::service {
namespace {

using core::FieldError;
using Poco::JSON::Object;

constexpr std::array<std::string_view, 10> kEditable = {
    "title", "doc_number", "category",  "org_unit", "scope",
    "mode",  "period",     "issued_at", "summary",  "catalogue_item"};
constexpr std::array<std::string_view, 9> kReadOnly = {"id",         "version",    "status",
                                                       "files",      "created_by", "created_at",
                                                       "updated_by", "updated_at", "change"};

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

class Checker {
 public:
  Checker(const Object::Ptr& json, std::vector<FieldError>& errors)
      : json_(json), errors_(errors) {}

  // Reads a string member. Returns false when absent; records an error when mistyped.
  bool text(const std::string& field, std::string& out, bool multiline, std::size_t maxLength) {
    if (!json_->has(field)) return false;
    const auto& value = json_->get(field);
    if (value.isEmpty()) return false;  // null is handled by the caller
    if (!value.isString()) {
      add(field, "wrong_type", "必须是字符串 (must be a string)");
      return false;
    }
    out = value.extract<std::string>();
    if (core::hasControlCharacters(out, multiline)) {
      add(field, "control_characters", "不能包含控制字符 (must not contain control characters)");
      return false;
    }
    if (core::codePointCount(out) > maxLength) {
      add(field, "too_long",
          "超过 " + std::to_string(maxLength) + " 个字符 (longer than " +
              std::to_string(maxLength) + " characters)");
      return false;
    }
    if (out.find_first_not_of(" \t\r\n") == std::string::npos) {
      add(field, "invalid_value", "不能为空 (must not be blank)");
      return false;
    }
    return true;
  }

  bool isNull(const std::string& field) { return json_->has(field) && json_->get(field).isEmpty(); }

  void add(const std::string& field, std::string code, std::string message) {
    errors_.push_back(FieldError{field, std::move(code), std::move(message)});
  }

 private:
  const Object::Ptr& json_;
  std::vector<FieldError>& errors_;
};

}  // namespace

core::Result<core::DocumentMetadata> MetadataCodec::parseNew(const Object::Ptr& json) const {
  return apply(core::DocumentMetadata{}, json, true);
}

core::Result<core::DocumentMetadata> MetadataCodec::applyPatch(
    const core::DocumentMetadata& current, const Object::Ptr& patch) const {
  return apply(current, patch, false);
}

core::Result<core::DocumentMetadata> MetadataCodec::apply(core::DocumentMetadata m,
                                                          const Object::Ptr& json,
                                                          bool requireAll) const {
  std::vector<FieldError> errors;
  Checker check(json, errors);
  for (const auto& [key, value] : *json) {
    if (std::find(kReadOnly.begin(), kReadOnly.end(), key) != kReadOnly.end()) {
      check.add(key, "read_only_field",
                "该字段由服务器维护，不能设置 (field is maintained by the server)");
    } else if (std::find(kEditable.begin(), kEditable.end(), key) == kEditable.end()) {
      check.add(key, "unknown_field", "未知字段 (unknown field)");
    }
  }
  auto required = [&](const std::string& field) {
    if (check.isNull(field) || (requireAll && !json->has(field))) {
      check.add(field, "missing_field", "必填字段 (required field)");
    }
  };
  auto optionalText = [&](const std::string& field, std::optional<std::string>& target,
                          bool multiline, std::size_t maxLength) {
    std::string value;
    if (check.isNull(field))
      target.reset();
    else if (check.text(field, value, multiline, maxLength))
      target = value;
  };

  std::string value;
  required("title");
  if (check.text("title", value, false, kMaxTitle)) m.title = value;
  optionalText("doc_number", m.doc_number, false, kMaxDocNumber);
  optionalText("summary", m.summary, true, kMaxSummary);

  required("category");
  if (check.text("category", value, false, 16)) {
    if (categories_.find(value))
      m.category = value;
    else
      check.add("category", "unknown_category",
                "未知的公开类别代码 (unknown category code): " + value);
  }
  required("org_unit");
  if (check.text("org_unit", value, false, 64)) {
    if (isOrgUnitCode(value))
      m.org_unit = value;
    else
      check.add("org_unit", "invalid_value",
                "组织代码只能包含字母、数字、-、_、. (letters, digits, '-', '_', '.')");
  }
  required("scope");
  if (check.text("scope", value, false, 32)) {
    if (auto scope = core::parseScope(value))
      m.scope = *scope;
    else
      check.add("scope", "invalid_value", "必须是 public、internal 或 restricted");
  }
  required("mode");
  if (check.text("mode", value, false, 32)) {
    if (auto mode = core::parseMode(value))
      m.mode = *mode;
    else
      check.add("mode", "invalid_value", "必须是 statutory、proactive 或 on_request");
  }
  required("period");
  if (check.text("period", value, false, 32)) {
    if (auto period = core::parsePeriod(value))
      m.period = *period;
    else
      check.add("period", "invalid_value", "必须是 standing、periodic、staged 或 immediate");
  }
  if (check.isNull("issued_at")) {
    m.issued_at.reset();
  } else if (check.text("issued_at", value, false, 10)) {
    if (auto date = core::parseDate(value))
      m.issued_at = date;
    else
      check.add("issued_at", "invalid_value", "日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD)");
  }

  if (check.isNull("catalogue_item")) {
    m.catalogue_item.reset();
  } else if (json->has("catalogue_item")) {
    const auto item = json->get("catalogue_item");
    Poco::Int64 id = 0;
    try {
      if (item.isInteger() && !item.isBoolean()) id = item.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
    }
    if (id < 1)
      check.add("catalogue_item", "invalid_value", "须为目录条目编号 (a catalogue item id)");
    else
      m.catalogue_item = id;
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
