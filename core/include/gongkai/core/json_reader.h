#pragma once

// A small strict JSON reader that needs no Poco, shared by the policy files and the standalone
// bundle verifier. Unlike parseJson (json.h) it remembers the line every value and every object
// member starts on, so a validation error can say `roles.json:14: roles.archivist.permissions[2]`.
// It only reads: canonical JSON is written with json.h.
//
// Strict: RFC 8259 grammar only (no comments, no trailing commas, no NaN or Infinity, no leading
// zeros, no '+'), valid UTF-8 (also in \u escapes: no lone surrogates), no control characters in
// strings, no duplicate keys in one object, no number a double cannot hold (1e400, 1e-400),
// nothing but whitespace after the value, nesting no deeper than JsonReadOptions::maxDepth, text
// no longer than JsonReadOptions::maxBytes, and no byte order mark unless the caller allows one.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai::core {

inline constexpr int kDefaultMaxJsonDepth = 32;
inline constexpr std::size_t kDefaultMaxJsonBytes = 1024 * 1024;

struct JsonReadOptions {
  // Arrays and objects nested deeper than this are refused; it also bounds the recursion.
  int maxDepth = kDefaultMaxJsonDepth;
  // Longer text is refused before it is read.
  std::size_t maxBytes = kDefaultMaxJsonBytes;
  // Skip a UTF-8 byte order mark at the very start (Windows editors write one into files people
  // edit); otherwise it is refused like any other byte before the value.
  bool allowByteOrderMark = false;
};

struct JsonMember;

// One parsed value; a plain tree, so copies are deep and pointers from the accessors stay valid
// as long as the value they came from.
struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  int line = 0;                      // 1-based line the value starts on
  bool boolean = false;              // kBool
  double number = 0;                 // kNumber
  std::optional<long long> integer;  // kNumber written without fraction or exponent, if it fits
  std::string text;                  // kString: the decoded string
  std::vector<JsonValue> items;      // kArray
  std::vector<JsonMember> members;   // kObject, in document order, keys unique

  bool isNull() const { return kind == Kind::kNull; }
  bool isObject() const { return kind == Kind::kObject; }
  bool isArray() const { return kind == Kind::kArray; }
  bool isString() const { return kind == Kind::kString; }
  bool isNumber() const { return kind == Kind::kNumber; }

  // The member called `key`, or nullptr (also when this is no object). A linear search.
  const JsonMember* member(std::string_view key) const;
  // member(key)'s value, or nullptr.
  const JsonValue* valueAt(std::string_view key) const;
  // member(key)'s string / integer: nullptr / nullopt when absent or of another kind.
  const std::string* stringAt(std::string_view key) const;
  std::optional<long long> integerAt(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  int line = 0;  // line the key is on
  JsonValue value;
};

struct JsonSyntaxError {
  int line = 0;         // 1-based line where the text stopped being acceptable
  std::string message;  // Chinese first, English in parentheses
};

// Parses exactly one JSON value in `text`, with whitespace around it and nothing else; on failure
// returns nullopt and fills `error`.
std::optional<JsonValue> parseJsonWithLines(std::string_view text, JsonSyntaxError& error,
                                            const JsonReadOptions& options = {});

// A kind's name for messages, in Chinese ("对象") or English ("an object").
const char* kindName(JsonValue::Kind kind, bool english);

}  // namespace gongkai::core
