#include "gongkai/core/json_reader.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <set>
#include <system_error>
#include <utility>

#include "gongkai/core/text.h"

namespace gongkai::core {
namespace {

struct Failed {};

class Parser {
 public:
  Parser(std::string_view text, int maxDepth, JsonSyntaxError& error)
      : s_(text), maxDepth_(maxDepth), error_(error) {}

  JsonValue parseDocument() {
    skipWhitespace();
    if (pos_ == s_.size()) fail("文件为空 (file is empty)");
    JsonValue value = parseValue(0);
    skipWhitespace();
    if (pos_ != s_.size()) fail("值后面有多余内容 (trailing characters after the value)");
    return value;
  }

 private:
  [[noreturn]] void fail(std::string message) {
    error_.line = line_;
    error_.message = "JSON 语法错误 (syntax error): " + std::move(message);
    throw Failed{};
  }

  std::string describeHere(bool english = false) const {
    if (pos_ >= s_.size()) return english ? "end of file" : "文件结尾";
    const auto c = static_cast<unsigned char>(s_[pos_]);
    if (c >= 0x21 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02X", c);
    return buffer;
  }

  // `chinese` and `english` name what should have come here.
  [[noreturn]] void unexpected(const std::string& chinese, const std::string& english) {
    fail("应为" + chinese + "，却是 " + describeHere() + " (expected " + english + ", found " +
         describeHere(true) + ")");
  }

  void skipWhitespace() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') {
        ++line_;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      ++pos_;
    }
  }

  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }

  JsonValue parseValue(int depth) {
    JsonValue value;
    value.line = line_;
    if (pos_ >= s_.size()) unexpected("值", "a value");
    const char c = s_[pos_];
    if (c == '{' || c == '[') {
      if (depth + 1 > maxDepth_) {
        fail("嵌套超过 " + std::to_string(maxDepth_) + " 层 (nested deeper than " +
             std::to_string(maxDepth_) + ")");
      }
      if (c == '{') {
        parseObject(value, depth + 1);
      } else {
        parseArray(value, depth + 1);
      }
    } else if (c == '"') {
      value.kind = JsonValue::Kind::kString;
      value.text = parseString();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      parseNumber(value);
    } else if (s_.substr(pos_, 4) == "true") {
      value.kind = JsonValue::Kind::kBool;
      value.boolean = true;
      pos_ += 4;
    } else if (s_.substr(pos_, 5) == "false") {
      value.kind = JsonValue::Kind::kBool;
      pos_ += 5;
    } else if (s_.substr(pos_, 4) == "null") {
      pos_ += 4;
    } else {
      unexpected("值", "a value");
    }
    return value;
  }

  void parseObject(JsonValue& value, int depth) {
    value.kind = JsonValue::Kind::kObject;
    ++pos_;  // '{'
    skipWhitespace();
    if (at('}')) {
      ++pos_;
      return;
    }
    std::set<std::string> keys;
    while (true) {
      if (at('}')) fail("'}' 前多余的逗号 (trailing comma before '}')");
      if (!at('"')) unexpected("带引号的键", "a quoted key");
      JsonMember member;
      member.line = line_;
      member.key = parseString();
      if (!keys.insert(member.key).second) {
        fail("重复的键 (duplicate key) \"" + member.key + "\"");
      }
      skipWhitespace();
      if (!at(':')) unexpected(" ':'", "':'");
      ++pos_;
      skipWhitespace();
      member.value = parseValue(depth);
      value.members.push_back(std::move(member));
      skipWhitespace();
      if (at('}')) {
        ++pos_;
        return;
      }
      if (!at(',')) unexpected(" ',' 或 '}'", "',' or '}'");
      ++pos_;
      skipWhitespace();
    }
  }

  void parseArray(JsonValue& value, int depth) {
    value.kind = JsonValue::Kind::kArray;
    ++pos_;  // '['
    skipWhitespace();
    if (at(']')) {
      ++pos_;
      return;
    }
    while (true) {
      if (at(']')) fail("']' 前多余的逗号 (trailing comma before ']')");
      value.items.push_back(parseValue(depth));
      skipWhitespace();
      if (at(']')) {
        ++pos_;
        return;
      }
      if (!at(',')) unexpected(" ',' 或 ']'", "',' or ']'");
      ++pos_;
      skipWhitespace();
    }
  }

  unsigned readHex4() {
    if (pos_ + 4 > s_.size()) fail("\\u 后应有四位十六进制数 (\\u needs four hex digits)");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_ + i];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<unsigned>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<unsigned>(h - 'A' + 10);
      } else {
        fail("\\u 后应有四位十六进制数 (\\u needs four hex digits)");
      }
    }
    pos_ += 4;
    return v;
  }

  std::string parseString() {
    ++pos_;  // '"'
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) fail("字符串没有结束 (unterminated string)");
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) fail("字符串中有控制字符，换行须写作 \\n (control character in string)");
      if (c != '\\') {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= s_.size()) fail("字符串没有结束 (unterminated string)");
      const char e = s_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = readHex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("\\u 转义是孤立的代理项，不是有效的 UTF-8 (invalid UTF-8: lone surrogate)");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(pos_, 2) != "\\u") {
              fail("\\u 转义是孤立的代理项，不是有效的 UTF-8 (invalid UTF-8: lone surrogate)");
            }
            pos_ += 2;
            const std::uint32_t low = readHex4();
            if (low < 0xDC00 || low > 0xDFFF) {
              fail("\\u 转义是孤立的代理项，不是有效的 UTF-8 (invalid UTF-8: lone surrogate)");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          appendUtf8(out, cp);
          break;
        }
        default:
          --pos_;
          fail("无效的转义：\\ 后面是 " + describeHere() + " (invalid escape: \\ followed by " +
               describeHere(true) + ")");
      }
    }
  }

  void parseNumber(JsonValue& value) {
    value.kind = JsonValue::Kind::kNumber;
    const std::size_t start = pos_;
    const auto digit = [&] { return pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; };
    bool integral = true;
    if (at('-')) ++pos_;
    if (at('0')) {
      ++pos_;
      if (digit()) fail("数字不能以 0 开头 (leading zero in a number)");
    } else if (digit()) {
      while (digit()) ++pos_;
    } else {
      unexpected("数字", "a digit");
    }
    if (at('.')) {
      integral = false;
      ++pos_;
      if (!digit()) unexpected("小数点后的数字", "a digit after '.'");
      while (digit()) ++pos_;
    }
    if (at('e') || at('E')) {
      integral = false;
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (!digit()) unexpected("指数的数字", "a digit in the exponent");
      while (digit()) ++pos_;
    }
    const char* first = s_.data() + start;
    const char* last = s_.data() + pos_;
    if (integral) {
      long long integer = 0;
      const auto parsed = std::from_chars(first, last, integer);
      if (parsed.ec == std::errc() && parsed.ptr == last) value.integer = integer;
    }
    double number = 0;
    const auto parsed = std::from_chars(first, last, number);
    if (parsed.ec == std::errc::result_out_of_range) fail("数字超出范围 (number out of range)");
    value.number = number;
  }

  std::string_view s_;
  int maxDepth_;
  JsonSyntaxError& error_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// "1 MiB", "64 KiB" or "1000 字节" / "1000 bytes".
std::string sizeName(std::size_t bytes, bool english) {
  if (bytes != 0 && bytes % (1024 * 1024) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes != 0 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + (english ? " bytes" : " 字节");
}

}  // namespace

const JsonMember* JsonValue::member(std::string_view key) const {
  for (const auto& m : members) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

const JsonValue* JsonValue::valueAt(std::string_view key) const {
  const JsonMember* found = member(key);
  return found != nullptr ? &found->value : nullptr;
}

const std::string* JsonValue::stringAt(std::string_view key) const {
  const JsonValue* value = valueAt(key);
  return value != nullptr && value->isString() ? &value->text : nullptr;
}

std::optional<long long> JsonValue::integerAt(std::string_view key) const {
  const JsonValue* value = valueAt(key);
  return value != nullptr && value->isNumber() ? value->integer : std::nullopt;
}

const char* kindName(JsonValue::Kind kind, bool english) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return english ? "true or false" : "布尔值";
    case JsonValue::Kind::kNumber:
      return english ? "a number" : "数字";
    case JsonValue::Kind::kString:
      return english ? "a string" : "字符串";
    case JsonValue::Kind::kArray:
      return english ? "an array" : "数组";
    case JsonValue::Kind::kObject:
      return english ? "an object" : "对象";
  }
  return "?";
}

std::optional<JsonValue> parseJsonWithLines(std::string_view text, JsonSyntaxError& error,
                                            const JsonReadOptions& options) {
  if (text.size() > options.maxBytes) {
    error.line = 1;
    error.message = "文件超过 " + sizeName(options.maxBytes, false) + " (file larger than " +
                    sizeName(options.maxBytes, true) + ")";
    return std::nullopt;
  }
  if (options.allowByteOrderMark && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const std::size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
    int line = 1;
    for (std::size_t i = 0; i < bad; ++i) line += text[i] == '\n';
    error.line = line;
    error.message =
        "不是有效的 UTF-8 编码，请以 UTF-8 保存 (invalid UTF-8; save the file as UTF-8)";
    return std::nullopt;
  }
  try {
    return Parser(text, options.maxDepth, error).parseDocument();
  } catch (const Failed&) {
    return std::nullopt;
  }
}

}  // namespace gongkai::core
