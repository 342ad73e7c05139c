#pragma once

// The canonical record (RFC 8785) of a case, as far as every kind shares it (core/case.h); the
// kinds (feedback.cpp, disclosure_request.cpp) add their own fields around it.

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "gongkai/core/case.h"
#include "gongkai/core/json.h"
#include "gongkai/core/result.h"

namespace gongkai::core::case_record {

// What the kinds spell differently.
struct Spelling {
  const char* id_key;  // "feedback_id", "request_id"
  // Kinds that gained org_unit later leave it out while it is "", so older records read back
  // byte for byte; for the others it is always there.
  bool org_unit_only_when_set;
  const char*
      corrupt;  // what a corrupt record is called, e.g. "意见记录损坏 (corrupt feedback record)"
};

// A new record object with the shared fields; the kind sets its own before canonicalJson.
Poco::JSON::Object::Ptr write(const Case& c, const Spelling& spelling);

// Reads the shared fields of a parsed record into `c`: "" on success, else what is corrupt.
// Throws Poco exceptions for a missing or mistyped member.
std::string read(const Poco::JSON::Object::Ptr& record, Case& c, const Spelling& spelling);

Error corrupt(const Spelling& spelling, const std::string& what);

// Parses a stored record of a kind: the shared fields, then `readOwn(object, record)`, which
// returns "" or what is corrupt. Any failure is kCorrupt ("corrupt_record").
template <typename Record, typename ReadOwn>
Result<Record> parse(std::string_view text, const Spelling& spelling, ReadOwn readOwn) {
  auto parsed = parseJsonObject(text);
  if (!parsed.ok()) return corrupt(spelling, parsed.error().message);
  const auto& object = parsed.value();
  try {
    Record record;
    if (auto wrong = read(object, record, spelling); !wrong.empty())
      return corrupt(spelling, wrong);
    if (auto wrong = readOwn(object, record); !wrong.empty()) return corrupt(spelling, wrong);
    return record;
  } catch (const Poco::Exception& e) {
    return corrupt(spelling, e.displayText());
  }
}

// A status enum and its names, both ways, from a table of {value, name} pairs.
template <typename Table, typename Value>
std::string_view nameOf(const Table& table, Value value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "";
}
template <typename Table>
auto valueOf(const Table& table, std::string_view text)
    -> std::optional<std::decay_t<decltype(table[0].first)>> {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace gongkai::core::case_record
