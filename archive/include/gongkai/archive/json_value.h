#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gongkai/core/result.h"

// A small, strict JSON reader for the standalone verifier, which must not link Poco. It reads the
// records a bundle carries; it does not write JSON (the server writes canonical JSON with core).
namespace gongkai::archive::json {

namespace detail {
class Parser;
}

// One parsed JSON value. Values are immutable once parsed; pointers returned by the accessors
// stay valid as long as the Value they came from.
class Value {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Value() = default;  // null

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::kNull; }
  bool isBool() const { return type_ == Type::kBool; }
  bool isNumber() const { return type_ == Type::kNumber; }
  bool isString() const { return type_ == Type::kString; }
  bool isArray() const { return type_ == Type::kArray; }
  bool isObject() const { return type_ == Type::kObject; }

  // Typed access: nullptr / nullopt when the value is of another type.
  const std::string* string() const;
  // Only for numbers written as an integer (no fraction, no exponent) that fit in int64.
  std::optional<std::int64_t> integer() const;
  // A number exactly as the document wrote it, e.g. "1e400" or "-0.50".
  const std::string* numberText() const;
  std::optional<bool> boolean() const;
  const std::vector<Value>* array() const;
  // Object members in document order (keys are unique).
  const std::vector<std::pair<std::string, Value>>* members() const;
  // The member named `key` (a linear search), or nullptr when absent or this is no object.
  const Value* get(std::string_view key) const;

  // get(key) then string() / integer(): nullptr / nullopt when absent or of another type.
  const std::string* getString(std::string_view key) const;
  std::optional<std::int64_t> getInteger(std::string_view key) const;

 private:
  friend class detail::Parser;

  Type type_ = Type::kNull;
  bool boolean_ = false;
  std::string text_;  // a string's value, or a number's text
  std::optional<std::int64_t> integer_;
  std::vector<Value> items_;
  std::vector<std::pair<std::string, Value>> members_;
};

// The deepest nesting of arrays and objects parse() accepts.
inline constexpr int kMaxDepth = 64;

// Parses exactly one RFC 8259 JSON text, with whitespace around it and nothing else. Strict: the
// text must be valid UTF-8, \u escapes must form whole code points (a lone surrogate is refused),
// no control characters inside strings, no duplicate keys within an object, no leading zeros,
// NaN, single quotes, comments or trailing commas, and at most kMaxDepth levels of nesting.
// Numbers of any size are accepted and kept as text. Failures are kMalformed with reason
// "invalid_utf8" or "malformed_json" and a message naming the byte offset.
core::Result<Value> parse(std::string_view text);

}  // namespace gongkai::archive::json
