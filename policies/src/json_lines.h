#pragma once

// A small strict JSON reader for the policy files (private to the policies library). Unlike
// core::parseJson it remembers the line every value and every object member starts on, so a
// validation error can say `roles.json:14: roles.archivist.permissions[2]: ...`.
//
// Strict: RFC 8259 grammar only (no comments, no trailing commas, no NaN), valid UTF-8 (also in
// \u escapes: no lone surrogates), no duplicate keys in one object, nothing but whitespace after
// the value, nesting no deeper than kMaxJsonDepth, text no longer than kMaxJsonBytes. A UTF-8
// byte order mark at the very start is skipped (Windows editors write one).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gongkai::policies::detail {

inline constexpr int kMaxJsonDepth = 32;
inline constexpr std::size_t kMaxJsonBytes = 1024 * 1024;

struct JsonMember;

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  int line = 0;                      // 1-based line the value starts on
  bool boolean = false;              // kBool
  double number = 0;                 // kNumber
  std::optional<long long> integer;  // kNumber written without fraction or exponent, if it fits
  std::string text;                  // kString: the decoded string
  std::vector<JsonValue> items;      // kArray
  std::vector<JsonMember> members;   // kObject, in file order

  bool isObject() const { return kind == Kind::kObject; }
  bool isArray() const { return kind == Kind::kArray; }
  bool isString() const { return kind == Kind::kString; }
  // The member called `key`, or nullptr.
  const JsonMember* member(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  int line = 0;  // line the key is on
  JsonValue value;
};

struct JsonSyntaxError {
  int line = 0;
  std::string message;  // Chinese first
};

// Parses `text`; on failure returns nullopt and fills `error`.
std::optional<JsonValue> parseJsonWithLines(std::string_view text, JsonSyntaxError& error);

// A kind's name for messages, in Chinese ("对象") or English ("an object").
const char* kindName(JsonValue::Kind kind, bool english);

}  // namespace gongkai::policies::detail
