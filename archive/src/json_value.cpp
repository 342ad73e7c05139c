#include "gongkai/archive/json_value.h"

#include <algorithm>
#include <charconv>

#include "gongkai/core/text.h"

namespace gongkai::archive::json {

const std::string* Value::string() const { return type_ == Type::kString ? &text_ : nullptr; }

std::optional<std::int64_t> Value::integer() const {
  return type_ == Type::kNumber ? integer_ : std::nullopt;
}

const std::string* Value::numberText() const { return type_ == Type::kNumber ? &text_ : nullptr; }

std::optional<bool> Value::boolean() const {
  return type_ == Type::kBool ? std::optional<bool>(boolean_) : std::nullopt;
}

const std::vector<Value>* Value::array() const { return type_ == Type::kArray ? &items_ : nullptr; }

const std::vector<std::pair<std::string, Value>>* Value::members() const {
  return type_ == Type::kObject ? &members_ : nullptr;
}

const Value* Value::get(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const auto& [name, value] : members_) {
    if (name == key) return &value;
  }
  return nullptr;
}

const std::string* Value::getString(std::string_view key) const {
  const Value* member = get(key);
  return member != nullptr ? member->string() : nullptr;
}

std::optional<std::int64_t> Value::getInteger(std::string_view key) const {
  const Value* member = get(key);
  return member != nullptr ? member->integer() : std::nullopt;
}

namespace detail {

// Recursive descent; the depth limit bounds the recursion. The first failure is kept and
// everything unwinds by returning false.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  core::Result<Value> run() {
    if (const std::size_t bad = core::firstInvalidUtf8(text_); bad != std::string_view::npos) {
      return error(bad, "invalid_utf8", "不是有效的 UTF-8", "not valid UTF-8");
    }
    Value value;
    skipSpace();
    if (!parseValue(value, 0)) return std::move(*error_);
    skipSpace();
    if (pos_ != text_.size()) {
      return error(pos_, "malformed_json", "值之后有多余内容", "unexpected data after the value");
    }
    return value;
  }

 private:
  core::Error error(std::size_t offset, const char* reason, const char* chinese,
                    const char* english) {
    return core::Error::make(core::ErrorCode::kMalformed, reason,
                             "JSON 无效，第 " + std::to_string(offset) + " 字节：" + chinese +
                                 " (invalid JSON at byte " + std::to_string(offset) + ": " +
                                 english + ")");
  }

  bool fail(std::size_t offset, const char* chinese, const char* english,
            const char* reason = "malformed_json") {
    if (!error_) error_ = error(offset, reason, chinese, english);
    return false;
  }

  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  void skipSpace() {
    while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++pos_;
    }
  }

  bool parseValue(Value& out, int depth) {
    if (atEnd()) return fail(pos_, "意外结束", "unexpected end of input");
    switch (peek()) {
      case '{':
        return parseObject(out, depth + 1);
      case '[':
        return parseArray(out, depth + 1);
      case '"':
        out.type_ = Value::Type::kString;
        return parseString(out.text_);
      case 't':
        out.type_ = Value::Type::kBool;
        out.boolean_ = true;
        return literal("true");
      case 'f':
        out.type_ = Value::Type::kBool;
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return parseNumber(out);
        return fail(pos_, "意外的字符", "unexpected character");
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return fail(pos_, "无法识别的字面量", "unknown literal");
    }
    pos_ += word.size();
    return true;
  }

  bool digits() {
    const std::size_t start = pos_;
    while (!atEnd() && peek() >= '0' && peek() <= '9') ++pos_;
    return pos_ > start;
  }

  bool parseNumber(Value& out) {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (atEnd() || peek() < '0' || peek() > '9') return fail(pos_, "数字无效", "invalid number");
    if (peek() == '0') {
      ++pos_;
      if (!atEnd() && peek() >= '0' && peek() <= '9') {
        return fail(pos_, "数字不得有前导零", "leading zero in number");
      }
    } else {
      digits();
    }
    bool integral = true;
    if (!atEnd() && peek() == '.') {
      ++pos_;
      integral = false;
      if (!digits()) return fail(pos_, "小数点后须有数字", "digit expected after '.'");
    }
    if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      integral = false;
      if (!atEnd() && (peek() == '+' || peek() == '-')) ++pos_;
      if (!digits()) return fail(pos_, "指数须有数字", "digit expected in exponent");
    }
    out.type_ = Value::Type::kNumber;
    out.text_ = std::string(text_.substr(start, pos_ - start));
    if (integral) {
      std::int64_t value = 0;
      const char* end = out.text_.data() + out.text_.size();
      const auto [ptr, ec] = std::from_chars(out.text_.data(), end, value);
      if (ec == std::errc() && ptr == end) out.integer_ = value;
    }
    return true;
  }

  bool hex4(char32_t& out) {
    if (text_.size() - pos_ < 4)
      return fail(pos_, "\\u 转义须有四位十六进制数", "\\u needs 4 hex digits");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + i];
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return fail(pos_ + i, "\\u 转义须有四位十六进制数", "\\u needs 4 hex digits");
      }
      out = (out << 4) | static_cast<char32_t>(digit);
    }
    pos_ += 4;
    return true;
  }

  // At the opening quote. The text is known to be valid UTF-8, so bytes are copied as they are.
  bool parseString(std::string& out) {
    ++pos_;
    while (true) {
      if (atEnd()) return fail(pos_, "字符串未结束", "unterminated string");
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail(pos_, "字符串中有控制字符", "control character in string");
      if (c != '\\') {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      const std::size_t escape = pos_;
      ++pos_;
      if (atEnd()) return fail(pos_, "转义未结束", "unterminated escape");
      const char kind = peek();
      ++pos_;
      switch (kind) {
        case '"':
        case '\\':
        case '/':
          out += kind;
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
          char32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail(escape, "孤立的低位代理", "lone low surrogate", "invalid_utf8");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") {
              return fail(escape, "孤立的高位代理", "lone high surrogate", "invalid_utf8");
            }
            pos_ += 2;
            char32_t low;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) {
              return fail(escape, "孤立的高位代理", "lone high surrogate", "invalid_utf8");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          core::appendUtf8(out, cp);
          break;
        }
        default:
          return fail(escape, "未知的转义", "unknown escape");
      }
    }
  }

  bool parseArray(Value& out, int depth) {
    if (depth > kMaxDepth) return fail(pos_, "嵌套过深", "nested too deeply");
    out.type_ = Value::Type::kArray;
    ++pos_;
    skipSpace();
    if (!atEnd() && peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skipSpace();
      if (!parseValue(out.items_.emplace_back(), depth)) return false;
      skipSpace();
      if (atEnd()) return fail(pos_, "数组未结束", "unterminated array");
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail(pos_, "数组中须为 , 或 ]", "',' or ']' expected");
      ++pos_;
    }
  }

  bool parseObject(Value& out, int depth) {
    if (depth > kMaxDepth) return fail(pos_, "嵌套过深", "nested too deeply");
    out.type_ = Value::Type::kObject;
    ++pos_;
    skipSpace();
    if (!atEnd() && peek() == '}') {
      ++pos_;
      return true;
    }
    std::vector<std::size_t> keyOffsets;
    while (true) {
      skipSpace();
      if (atEnd() || peek() != '"') return fail(pos_, "须为字符串键", "string key expected");
      keyOffsets.push_back(pos_);
      auto& member = out.members_.emplace_back();
      if (!parseString(member.first)) return false;
      skipSpace();
      if (atEnd() || peek() != ':') return fail(pos_, "键后须为 :", "':' expected");
      ++pos_;
      skipSpace();
      if (!parseValue(member.second, depth)) return false;
      skipSpace();
      if (atEnd()) return fail(pos_, "对象未结束", "unterminated object");
      if (peek() == '}') {
        ++pos_;
        break;
      }
      if (peek() != ',') return fail(pos_, "对象中须为 , 或 }", "',' or '}' expected");
      ++pos_;
    }
    // Sorting indices once keeps large objects linearithmic; the later key of a pair is named.
    std::vector<std::size_t> order(out.members_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const auto& keyA = out.members_[a].first;
      const auto& keyB = out.members_[b].first;
      return keyA != keyB ? keyA < keyB : a < b;
    });
    for (std::size_t i = 1; i < order.size(); ++i) {
      if (out.members_[order[i]].first == out.members_[order[i - 1]].first) {
        return fail(keyOffsets[order[i]], "对象中有重复的键", "duplicate key in object");
      }
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::optional<core::Error> error_;
};

}  // namespace detail

core::Result<Value> parse(std::string_view text) { return detail::Parser(text).run(); }

}  // namespace gongkai::archive::json
