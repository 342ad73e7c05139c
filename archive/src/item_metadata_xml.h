#pragma once

// An archived item's metadata as DA/T 46-2009 names its elements (data/dat46-item.xsd): written
// by the composer beside each metadata.json, and derived again by the verifier from that record
// to compare; and the schema check of such a file.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai::archive {

struct ItemFormats;

// metadata.xml for the item filed under `referenceCode` whose current record (metadata.json's
// bytes) is `record`, of the unit `organization`; nullopt when the record does not parse. The
// same inputs give the same bytes. Values are written as the record has them, so a value the
// record has wrong makes the file fail its schema (control characters, which XML cannot carry,
// become U+FFFD). With `formats` (item_formats.h), each 计算机文件 also carries its format
// identification (格式标识 PRONOM, 格式名称, 格式版本) and its PDF/A rendition (保存版本).
std::optional<std::string> itemMetadataXml(std::string_view record, std::string_view referenceCode,
                                           std::string_view organization,
                                           const ItemFormats* formats = nullptr);

// Shared with the EEP writer: text as XML element content (escaped; control characters, which
// XML 1.0 cannot carry, as U+FFFD), and the DA/T 46 names of our retention periods (Y → 永久,
// D30 → 定期30年, D10 → 定期10年) and scopes (public → 社会公开, internal → 党内公开,
// restricted → 限定范围公开); anything else is returned as given.
std::string xmlText(std::string_view text);
std::string retentionName(std::string_view retention);
std::string scopeName(std::string_view scope);

// One way a file breaks the schema: the element it is about ("" when none) and libxml2's
// message.
struct SchemaViolation {
  std::string element;
  std::string message;
};
// The file against data/dat46-item.xsd (compiled into the library); empty when it is valid. A
// file that is not well-formed XML gives one violation without an element. Thread-safe.
std::vector<SchemaViolation> schemaViolations(std::string_view xml);

}  // namespace gongkai::archive
