#include "gongkai/core/json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UnicodeConverter.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "gongkai/core/text.h"

namespace gongkai::core {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Error malformed(std::string reason, std::string message) {
  return Error::make(ErrorCode::kMalformed, std::move(reason), std::move(message));
}

// Poco decodes \u escapes into UTF-8 without checking surrogate pairing, so strings (and keys)
// are checked again after parsing.
bool allStringsValid(const Var& value, int depth, int maxDepth) {
  if (depth > maxDepth) return false;
  if (value.type() == typeid(Object::Ptr)) {
    const auto object = value.extract<Object::Ptr>();
    for (const auto& [key, member] : *object) {
      if (!isValidUtf8(key) || !allStringsValid(member, depth + 1, maxDepth)) return false;
    }
  } else if (value.type() == typeid(Array::Ptr)) {
    const auto array = value.extract<Array::Ptr>();
    for (const auto& element : *array) {
      if (!allStringsValid(element, depth + 1, maxDepth)) return false;
    }
  } else if (value.isString()) {
    if (!isValidUtf8(value.extract<std::string>())) return false;
  }
  return true;
}

int nestingDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool inString = false, escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// RFC 8785 reads every number as an IEEE double, and so must we for the canonical form to be a
// fixed point. Poco's parser falls short beyond 2^53: it refuses an integer literal that fits
// neither Int64 nor UInt64 (canonicalJson writes doubles from 2^64 up to 1e21 as integers), and it
// reads negative integer literals through a double but hands back an Int64 (-9223372036854775807
// came back as ...808; found by the json fuzz target). Integer literals beyond 2^53 therefore get a
// ".0", which Poco reads as the double they are; the text is copied only when it holds one.
constexpr std::uint64_t kLargestExactInteger = std::uint64_t{1} << 53;

std::string widenHugeIntegers(std::string_view text) {
  std::string out;
  std::size_t copied = 0;  // text before this is in out
  bool inString = false, escaped = false;
  const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
      continue;
    }
    if (c != '-' && !isDigit(c)) continue;
    const std::size_t digits = i + (c == '-' ? 1 : 0);
    std::size_t end = digits;
    while (end < text.size() && isDigit(text[end])) ++end;
    const bool integer =
        end == text.size() || (text[end] != '.' && text[end] != 'e' && text[end] != 'E');
    std::uint64_t magnitude = 0;
    const auto parsed = std::from_chars(text.data() + digits, text.data() + end, magnitude);
    const bool tooLarge = parsed.ec == std::errc::result_out_of_range ||
                          (parsed.ec == std::errc() && magnitude > kLargestExactInteger);
    if (integer && end > digits && tooLarge) {
      out.append(text.data() + copied, end - copied);
      out += ".0";
      copied = end;
    }
    // The rest of the number (fraction, exponent) is no new number.
    while (end < text.size() && (isDigit(text[end]) || text[end] == '.' || text[end] == 'e' ||
                                 text[end] == 'E' || text[end] == '+' || text[end] == '-')) {
      ++end;
    }
    i = end - 1;
  }
  if (copied == 0) return {};
  out.append(text.data() + copied, text.size() - copied);
  return out;
}

// Integers a double holds exactly; beyond them RFC 8785 writes the nearest double.
bool exactInteger(const Poco::Dynamic::Var& value) {
  if (value.isSigned()) {
    const auto v = value.convert<Poco::Int64>();
    return v >= -static_cast<Poco::Int64>(kLargestExactInteger) &&
           v <= static_cast<Poco::Int64>(kLargestExactInteger);
  }
  return value.convert<Poco::UInt64>() <= kLargestExactInteger;
}

void writeString(std::string& out, std::string_view text) { appendJsonString(out, text); }

Poco::UTF16String utf16(const std::string& text) {
  Poco::UTF16String out;
  Poco::UnicodeConverter::convert(text, out);
  return out;
}

void writeCanonical(std::string& out, const Var& value) {
  if (value.isEmpty()) {
    out += "null";
  } else if (value.type() == typeid(Object::Ptr) || value.type() == typeid(Object)) {
    const Object::Ptr object = value.type() == typeid(Object)
                                   ? Object::Ptr(new Object(value.extract<Object>()))
                                   : value.extract<Object::Ptr>();
    std::vector<std::pair<Poco::UTF16String, const std::string*>> keys;
    for (const auto& member : *object) keys.emplace_back(utf16(member.first), &member.first);
    std::sort(keys.begin(), keys.end());
    out.push_back('{');
    bool first = true;
    for (const auto& [sortKey, key] : keys) {
      if (!first) out.push_back(',');
      first = false;
      writeString(out, *key);
      out.push_back(':');
      writeCanonical(out, object->get(*key));
    }
    out.push_back('}');
  } else if (value.type() == typeid(Array::Ptr) || value.type() == typeid(Array)) {
    const Array::Ptr array = value.type() == typeid(Array)
                                 ? Array::Ptr(new Array(value.extract<Array>()))
                                 : value.extract<Array::Ptr>();
    out.push_back('[');
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (i > 0) out.push_back(',');
      writeCanonical(out, array->get(static_cast<unsigned>(i)));
    }
    out.push_back(']');
  } else if (value.type() == typeid(bool)) {
    out += value.extract<bool>() ? "true" : "false";
  } else if (value.isString()) {
    writeString(out, value.extract<std::string>());
  } else if (value.isInteger() && exactInteger(value)) {
    if (value.isSigned()) {
      out += std::to_string(value.convert<Poco::Int64>());
    } else {
      out += std::to_string(value.convert<Poco::UInt64>());
    }
  } else if (value.isNumeric()) {  // and integers beyond 2^53, which RFC 8785 writes as doubles
    out += formatJsonNumber(value.convert<double>());
  } else {
    throw std::invalid_argument("value of a type JSON cannot hold");
  }
}

}  // namespace

Result<Var> parseJson(std::string_view text, int maxDepth) {
  if (!isValidUtf8(text))
    return malformed("invalid_utf8", "请求内容不是有效的 UTF-8 (body is not valid UTF-8)");
  if (nestingDepth(text) > maxDepth) {
    return malformed("malformed_json", "JSON 嵌套过深 (JSON nested too deeply)");
  }
  try {
    Poco::JSON::Parser parser;
    std::string widened = widenHugeIntegers(text);
    Var value = parser.parse(widened.empty() ? std::string(text) : std::move(widened));
    if (!allStringsValid(value, 0, maxDepth)) {
      return malformed("invalid_utf8",
                       "JSON 字符串不是有效的 UTF-8 (JSON string is not valid UTF-8)");
    }
    return value;
  } catch (const Poco::Exception& e) {
    return malformed("malformed_json", "JSON 格式错误 (malformed JSON): " + e.message());
  } catch (const std::exception& e) {
    return malformed("malformed_json", std::string("JSON 格式错误 (malformed JSON): ") + e.what());
  }
}

Result<Object::Ptr> parseJsonObject(std::string_view text, int maxDepth) {
  auto parsed = parseJson(text, maxDepth);
  if (!parsed.ok()) return parsed.error();
  if (parsed.value().type() != typeid(Object::Ptr)) {
    return malformed("malformed_json",
                     "JSON 顶层必须是对象 (top-level JSON value must be an object)");
  }
  return parsed.value().extract<Object::Ptr>();
}

std::string canonicalJson(const Var& value) {
  std::string out;
  writeCanonical(out, value);
  return out;
}

std::string formatJsonNumber(double value) {
  if (!std::isfinite(value)) throw std::invalid_argument("NaN or infinity in JSON");
  if (value == 0) return "0";
  // Shortest round-tripping digits and decimal exponent, then ECMAScript's layout rules.
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, std::abs(value), std::chars_format::scientific);
  std::string scientific(buffer, end);
  const auto ePos = scientific.find('e');
  std::string digits = scientific.substr(0, ePos);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exponent = std::stoi(scientific.substr(ePos + 1));
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // position of the decimal point relative to the digits
  std::string out = value < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(-n, '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += "e";
    out += (n - 1 >= 0) ? "+" : "-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace gongkai::core
