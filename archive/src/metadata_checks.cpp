// The current record of each item (metadata.json) against DA/T 70's metadata items: lengths
// (1-2), types and formats (1-3), value domains (1-4), reasonable values (1-5), special
// characters (1-6), elements present (2-3), required values filled (2-4), its DA/T 46 XML
// (metadata.xml) and duplicates across items (1-8).
#include <map>
#include <regex>
#include <set>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "item_metadata_xml.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

// The server's own limits on what it accepts (metadata_validator.cpp), in characters.
constexpr std::size_t kMaxTitle = 300;
constexpr std::size_t kMaxDocNumber = 100;
constexpr std::size_t kMaxFileName = 255;

std::size_t characters(std::string_view utf8) {
  std::size_t count = 0;
  for (unsigned char c : utf8) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

bool hasControlCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool isDate(const std::string& text) {
  static const std::regex kDate("^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
  return std::regex_match(text, kDate);
}

bool isSha256(const std::string& text) {
  static const std::regex kHex("^[0-9a-f]{64}$");
  return std::regex_match(text, kHex);
}

bool isMediaType(const std::string& text) {
  static const std::regex kType("^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*(;.*)?$",
                                std::regex::icase);
  return std::regex_match(text, kType);
}

// The problems one item has for one DA/T 70 item, joined for the report.
class Problems {
 public:
  void add(std::string problem) { list_.push_back(std::move(problem)); }
  bool empty() const { return list_.empty(); }
  void report(VerifyContext& ctx, std::string_view item, const std::string& check,
              const std::string& code, const std::string& passMessage) const {
    ctx.add(item, check, code, list_.empty(), list_.empty() ? passMessage : joinText(list_));
  }

 private:
  std::vector<std::string> list_;
};

const std::string* text(const core::JsonValue& record, std::string_view key) {
  return record.stringAt(key);
}

void checkLengths(VerifyContext& ctx, const std::string& code, const core::JsonValue& record) {
  Problems problems;
  if (const std::string* title = text(record, "title"); title && characters(*title) > kMaxTitle) {
    problems.add("题名超过 " + std::to_string(kMaxTitle) + " 字 (title longer than " +
                 std::to_string(kMaxTitle) + " characters)");
  }
  if (const std::string* number = text(record, "doc_number");
      number && characters(*number) > kMaxDocNumber) {
    problems.add("文号超过 " + std::to_string(kMaxDocNumber) + " 字 (document number too long)");
  }
  if (const core::JsonValue* files = record.valueAt("files"); files && files->isArray()) {
    for (const core::JsonValue& file : files->items) {
      const std::string* name = file.stringAt("name");
      if (name && characters(*name) > kMaxFileName) {
        problems.add("文件名过长 (file name too long)");
        break;
      }
    }
  }
  problems.report(ctx, "1-2", "metadata_length", code,
                  "题名、文号、文件名长度在限度内 (title, document number and file names within "
                  "their lengths)");
}

void checkTypes(VerifyContext& ctx, const std::string& code, const core::JsonValue& record) {
  Problems problems;
  if (!record.integerAt("document_id")) problems.add("document_id 不是整数 (not an integer)");
  if (!record.integerAt("version")) problems.add("version 不是整数 (not an integer)");
  if (const core::JsonValue* issued = record.valueAt("issued_at");
      issued && !issued->isNull() && !(issued->isString() && isDate(issued->text))) {
    problems.add("成文日期不是 YYYY-MM-DD (issued_at is not a YYYY-MM-DD date)");
  }
  if (const core::JsonValue* files = record.valueAt("files"); files && files->isArray()) {
    for (const core::JsonValue& file : files->items) {
      const std::string* sha = file.stringAt("sha256");
      const std::string* media = file.stringAt("media_type");
      const auto size = file.integerAt("size");
      if (!file.integerAt("id") || !size || *size < 0 || !sha || !isSha256(*sha) || !media ||
          !isMediaType(*media) || !file.stringAt("name")) {
        problems.add(
            "文件的 id、大小、SHA-256 或媒体类型格式错误 (a file's id, size, SHA-256 or "
            "media type is malformed)");
        break;
      }
    }
  } else if (files) {
    problems.add("files 不是数组 (files is not an array)");
  }
  problems.report(ctx, "1-3", "metadata_format", code,
                  "元数据项的类型和格式正确 (metadata items of the right types and formats)");
}

// The value domains of the record's enumerated items.
void checkDomains(VerifyContext& ctx, const std::string& code, const core::JsonValue& record) {
  static const std::map<std::string, std::set<std::string>> kDomains = {
      {"scope", {"public", "internal", "restricted"}},
      {"mode", {"statutory", "proactive", "on_request"}},
      {"period", {"standing", "periodic", "staged", "immediate"}},
      {"status", {"archived"}}};
  Problems problems;
  for (const auto& [key, allowed] : kDomains) {
    const std::string* value = text(record, key);
    if (value && !allowed.count(*value)) {
      problems.add(key + " 的值不在值域内 (value outside its domain): " + *value);
    }
  }
  const core::JsonValue* disclosure = record.valueAt("disclosure");
  if (const std::string* retention = disclosure ? disclosure->stringAt("retention") : nullptr;
      retention && !retention->empty() && *retention != "Y" && *retention != "D30" &&
      *retention != "D10") {
    problems.add("保管期限不在值域内 (retention outside Y, D30, D10): " + *retention);
  }
  problems.report(ctx, "1-4", "metadata_domain", code,
                  "公开范围、方式、时限、状态、保管期限均在值域内 (scope, mode, period, status and "
                  "retention within their domains)");
}

// Values that are well-formed but cannot be right for this bundle.
void checkReasonable(VerifyContext& ctx, const std::string& code, const core::JsonValue& record) {
  Problems problems;
  const auto year = infoValue(ctx.info, layout::kInfoYear);
  const std::string* issued = text(record, "issued_at");
  if (issued && isDate(*issued) && year && issued->substr(0, 4) != *year) {
    problems.add("成文日期不在本包年度 (issued_at is not in the bundle's year): " + *issued);
  }
  const std::string* category = text(record, "category");
  if (category && !category->empty() && *category != infoValue(ctx.info, layout::kInfoCategory)) {
    problems.add("类别与本包不符 (category is not the bundle's): " + *category);
  }
  const core::JsonValue* disclosure = record.valueAt("disclosure");
  const std::string* retention = disclosure ? disclosure->stringAt("retention") : nullptr;
  if (retention && !retention->empty() && code.find("-" + *retention + "-") == std::string::npos) {
    problems.add("保管期限与档号不符 (retention differs from the one in the reference code)");
  }
  problems.report(ctx, "1-5", "metadata_reasonable", code,
                  "成文日期、类别、保管期限与本包和档号相符 (issued_at, category and retention fit "
                  "the bundle and the reference code)");
}

void checkSpecialCharacters(VerifyContext& ctx, const std::string& code,
                            const core::JsonValue& record) {
  Problems problems;
  for (std::string_view key : {"title", "doc_number", "summary", "org_unit"}) {
    if (const std::string* value = text(record, key); value && hasControlCharacter(*value)) {
      problems.add(std::string(key) + " 含控制字符 (contains control characters)");
    }
  }
  if (const core::JsonValue* files = record.valueAt("files"); files && files->isArray()) {
    for (const core::JsonValue& file : files->items) {
      if (const std::string* name = file.stringAt("name"); name && hasControlCharacter(*name)) {
        problems.add("文件名含控制字符 (a file name contains control characters)");
        break;
      }
    }
  }
  problems.report(ctx, "1-6", "metadata_special_characters", code,
                  "元数据项不含控制字符 (no control characters in the metadata)");
}

// DA/T 46's elements as the record names them: each must be there, even when empty (null).
void checkElements(VerifyContext& ctx, const std::string& code, const core::JsonValue& record) {
  Problems problems;
  for (std::string_view key : {"document_id", "version", "title", "doc_number", "category",
                               "org_unit", "scope", "issued_at", "status", "disclosure", "files"}) {
    if (!record.member(key)) problems.add("缺元数据项 (missing element) " + std::string(key));
  }
  if (const core::JsonValue* disclosure = record.valueAt("disclosure")) {
    for (std::string_view key : {"retention", "reference_code", "archived"}) {
      if (!disclosure->member(key))
        problems.add("缺元数据项 (missing element) disclosure." + std::string(key));
    }
  }
  problems.report(ctx, "2-3", "metadata_elements", code,
                  "元数据项齐全 (every metadata element present)");
}

void checkRequired(VerifyContext& ctx, const std::string& code, const core::JsonValue& record) {
  Problems problems;
  const auto empty = [](const std::string* value) { return value == nullptr || value->empty(); };
  if (empty(text(record, "title"))) problems.add("缺题名 (no title)");
  if (empty(text(record, "category"))) problems.add("缺类别 (no category)");
  if (empty(text(record, "org_unit"))) problems.add("缺责任者（单位） (no org unit)");
  if (empty(text(record, "status"))) problems.add("缺状态 (no status)");
  const core::JsonValue* disclosure = record.valueAt("disclosure");
  if (empty(disclosure ? disclosure->stringAt("reference_code") : nullptr))
    problems.add("缺档号 (no reference code)");
  if (empty(disclosure ? disclosure->stringAt("retention") : nullptr))
    problems.add("缺保管期限 (no retention)");
  problems.report(ctx, "2-4", "required_metadata", code,
                  "必填著录项目均已填写 (every required item filled)");
}

}  // namespace

void checkCurrentRecord(VerifyContext& ctx, const std::string& code,
                        const core::JsonValue& record) {
  checkLengths(ctx, code, record);
  checkTypes(ctx, code, record);
  checkDomains(ctx, code, record);
  checkReasonable(ctx, code, record);
  checkSpecialCharacters(ctx, code, record);
  checkElements(ctx, code, record);
  checkRequired(ctx, code, record);
}

void checkMetadataXml(VerifyContext& ctx, const std::string& code, const std::string& record,
                      const std::optional<std::string>& xml, const ItemFormats& formats) {
  const auto organization = infoValue(ctx.info, "Source-Organization");
  const auto derived = itemMetadataXml(record, code, organization.value_or(""), &formats);
  const bool matches = xml && derived && *xml == *derived;
  ctx.add("2-3", "metadata_xml", code, matches,
          matches ? "metadata.xml 按 DA/T 46 列出 metadata.json 的元数据 (metadata.xml gives "
                    "metadata.json's metadata as DA/T 46 elements)"
          : !xml  ? "metadata.xml 缺失 (missing)"
                 : "metadata.xml 与 metadata.json 不符 (metadata.xml differs from metadata.json)");
  if (!xml) return;
  // A schema violation is evidence for the item that covers its element.
  static const std::map<std::string, std::string_view> kItemOfElement = {
      {"日期", "1-3"},         {"年度", "1-3"},           {"件号", "1-3"},
      {"数字摘要", "1-3"},     {"计算机文件大小", "1-3"}, {"保管期限", "1-4"},
      {"公开范围", "1-4"},     {"题名", "2-4"},           {"责任者", "2-4"},
      {"全宗号", "2-4"},       {"机构或问题", "2-4"},     {"立档单位名称", "2-4"},
      {"计算机文件名", "2-4"}, {"格式信息", "2-4"},       {"格式标识", "3-3"},
      {"格式名称", "3-3"},     {"格式版本", "3-3"}};
  std::map<std::string_view, Problems> byItem;
  for (const SchemaViolation& violation : schemaViolations(*xml)) {
    const auto item = kItemOfElement.find(violation.element);
    byItem[item == kItemOfElement.end() ? "3-1" : item->second].add(
        "metadata.xml 不符合 DA/T 46 模式 (does not match the schema): " + violation.message);
  }
  for (const auto& [item, problems] : byItem) {
    problems.report(ctx, item, "metadata_xml_schema", code, "");
  }
  if (byItem.empty()) {
    ctx.add("3-1", "metadata_xml_schema", code, true,
            "metadata.xml 可解析并符合 DA/T 46 模式 (metadata.xml parses and matches the "
            "schema)");
  }
}

void checkDuplicates(VerifyContext& ctx, const std::map<std::string, core::JsonValue>& current) {
  std::map<std::string, std::vector<std::string>> byNumber, byId;
  for (const auto& [code, record] : current) {
    if (const std::string* number = record.stringAt("doc_number"); number && !number->empty())
      byNumber[*number].push_back(code);
    if (const auto id = record.integerAt("document_id")) byId[std::to_string(*id)].push_back(code);
  }
  Problems problems;
  for (const auto& [number, codes] : byNumber) {
    if (codes.size() > 1)
      problems.add("文号重复 (document number repeated) " + number + ": " + codes.front() + ", " +
                   codes.back());
  }
  for (const auto& [id, codes] : byId) {
    if (codes.size() > 1)
      problems.add("同一文件归档两次 (one document filed twice) " + id + ": " + codes.front() +
                   ", " + codes.back());
  }
  problems.report(ctx, "1-8", "metadata_duplicates", "bundle",
                  "档号、文号、文件编号均不重复 (no reference code, document number or document "
                  "repeated)");
}

}  // namespace gongkai::archive::verify
