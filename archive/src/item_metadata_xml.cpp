#include "item_metadata_xml.h"

#include <regex>

#include "gongkai/archive/bundle_layout.h"
#include "gongkai/core/json_reader.h"
#include "gongkai/core/text.h"
#include "item_formats.h"

namespace gongkai::archive {

// Text for an XML element: escaped, and control characters (which XML 1.0 cannot carry) as
// U+FFFD.
std::string xmlText(std::string_view text) {
  std::string clean;
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      clean += "\xEF\xBF\xBD";
    } else {
      clean += static_cast<char>(c);
    }
  }
  return core::htmlEscape(clean);
}

std::string retentionName(std::string_view retention) {
  if (retention == "Y") return "永久";
  if (retention == "D30") return "定期30年";
  if (retention == "D10") return "定期10年";
  return std::string(retention);
}

std::string scopeName(std::string_view scope) {
  if (scope == "public") return "社会公开";
  if (scope == "internal") return "党内公开";
  if (scope == "restricted") return "限定范围公开";
  return std::string(scope);
}

namespace {

std::string element(std::string_view name, std::string_view value, std::string_view indent) {
  return std::string(indent) + "<" + std::string(name) + ">" + xmlText(value) + "</" +
         std::string(name) + ">\n";
}

std::string stringOr(const core::JsonValue& record, std::string_view key) {
  const std::string* value = record.stringAt(key);
  return value ? *value : std::string();
}

// 格式标识, 格式名称, 格式版本 of one identification, those it has.
std::string identificationElements(const FormatIdentification& format, std::string_view indent) {
  std::string xml;
  if (!format.puid.empty()) {
    xml +=
        std::string(indent) + "<格式标识 体系=\"PRONOM\">" + xmlText(format.puid) + "</格式标识>\n";
  }
  if (!format.name.empty()) xml += element("格式名称", format.name, indent);
  if (!format.version.empty()) xml += element("格式版本", format.version, indent);
  return xml;
}

// The format identification of the bundled file, and its 保存版本 when it has a rendition.
std::string formatElements(const ItemFormats& formats, const std::string& bundled) {
  const auto file = formats.files.find(std::string(layout::kFilesFolder) + bundled);
  if (file == formats.files.end()) return {};
  std::string xml = identificationElements(file->second.format, "    ");
  const std::string renditionPath = renditionPathFor(bundled);
  const auto rendition = formats.renditions.find(renditionPath);
  if (rendition != formats.renditions.end()) {
    xml += "    <保存版本>\n" + element("计算机文件名", renditionPath, "      ") +
           element("格式信息", rendition->second.format.media_type, "      ") +
           identificationElements(rendition->second.format, "      ") + "    </保存版本>\n";
  }
  return xml;
}

}  // namespace

std::optional<std::string> itemMetadataXml(std::string_view record, std::string_view referenceCode,
                                           std::string_view organization,
                                           const ItemFormats* formats) {
  core::JsonSyntaxError error;
  const auto parsed = core::parseJsonWithLines(record, error);
  if (!parsed || !parsed->isObject()) return std::nullopt;
  // FONDS-YEAR-RETENTION-CATEGORY-NUMBER; the parts stay empty for a code of another shape.
  static const std::regex kCode("^(.+)-([0-9]{4})-([A-Z0-9]+)-([A-Z]{2})-([0-9]+)$");
  const std::string code(referenceCode);
  std::smatch parts;
  const bool split = std::regex_match(code, parts, kCode);
  const auto part = [&](int i) { return split ? parts[i].str() : std::string(); };
  std::string number = part(5);
  number.erase(0, std::min(number.find_first_not_of('0'), number.size() - 1));

  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<文件级元数据 xmlns=\"urn:gongkai:da-t-46-2009\" 标准=\"DA/T 46-2009\">\n"
      "  <聚合层次>文件</聚合层次>\n  <来源>\n" +
      element("立档单位名称", organization, "    ") + "  </来源>\n  <档号 值=\"" + xmlText(code) +
      "\">\n" + element("全宗号", part(1), "    ") + element("年度", part(2), "    ") +
      element("保管期限", retentionName(part(3)), "    ") + element("机构或问题", part(4), "    ") +
      element("件号", number, "    ") + "  </档号>\n  <内容描述>\n" +
      element("题名", stringOr(*parsed, "title"), "    ");
  if (const std::string* docNumber = parsed->stringAt("doc_number")) {
    xml += element("文件编号", *docNumber, "    ");
  }
  xml += element("责任者", stringOr(*parsed, "org_unit"), "    ");
  if (const std::string* issued = parsed->stringAt("issued_at")) {
    xml += element("日期", *issued, "    ");
  }
  xml += element("公开范围", scopeName(stringOr(*parsed, "scope")), "    ") + "  </内容描述>\n";
  if (const core::JsonValue* files = parsed->valueAt("files"); files && files->isArray()) {
    for (const core::JsonValue& file : files->items) {
      const auto id = file.integerAt("id");
      const auto size = file.integerAt("size");
      xml += "  <计算机文件 编号=\"" + (id ? std::to_string(*id) : std::string()) + "\">\n" +
             element("计算机文件名", stringOr(file, "name"), "    ") +
             element("计算机文件大小", size ? std::to_string(*size) : std::string(), "    ") +
             element("格式信息", stringOr(file, "media_type"), "    ") +
             "    <数字摘要 算法=\"SHA-256\">" + xmlText(stringOr(file, "sha256")) +
             "</数字摘要>\n";
      if (formats != nullptr && id) {
        xml += formatElements(*formats, layout::bundledFileName(*id, stringOr(file, "name")));
      }
      xml += "  </计算机文件>\n";
    }
  }
  return xml + "</文件级元数据>\n";
}

}  // namespace gongkai::archive
