#pragma once

// XML schema validation with libxml2 against the schemas compiled into the library
// (data/dat46-item.xsd, data/dat48-eep.xsd), for the composer's tests and the verifier.

#include <libxml/parser.h>

#include <memory>
#include <string_view>
#include <vector>

#include "item_metadata_xml.h"  // SchemaViolation

namespace gongkai::archive {

enum class XmlSchemaId { kDat46Item, kDat48Eep };

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses `xml` (no network, no entities from outside; text nodes of any size), or null with why
// in `violations`.
XmlDocPtr parseXml(std::string_view xml, std::vector<SchemaViolation>& violations);
// The parsed document against the schema; empty when it is valid. Thread-safe.
std::vector<SchemaViolation> validateAgainst(XmlSchemaId schema, xmlDoc* doc);

}  // namespace gongkai::archive
