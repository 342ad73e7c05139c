#include "gongkai/core/text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace gongkai::core {
namespace {

// Decodes one code point at `i`; returns its length, or 0 when the sequence is ill-formed.
std::size_t decodeOne(std::string_view text, std::size_t i, char32_t& out) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  std::size_t length;
  char32_t value;
  if (lead < 0x80) {
    out = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const std::uint8_t next = byte(i + k);
    if ((next & 0xC0) != 0x80) return 0;
    value = (value << 6) | (next & 0x3F);
  }
  const bool overlong = (length == 3 && value < 0x800) || (length == 4 && value < 0x10000);
  const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
  if (overlong || surrogate || value > 0x10FFFF) return 0;
  out = value;
  return length;
}

// The length of the well-formed character at `i` (not ASCII), or 0: Unicode's table 3-7 of
// well-formed byte sequences, checked without decoding, as most of a Chinese text is three-byte
// characters that only need checking.
std::size_t wellFormedLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[i + k]); };
  const auto in = [](std::uint8_t b, std::uint8_t low, std::uint8_t high) {
    return b >= low && b <= high;
  };
  const std::size_t left = text.size() - i;
  const std::uint8_t lead = byte(0);
  if (in(lead, 0xC2, 0xDF)) return left >= 2 && in(byte(1), 0x80, 0xBF) ? 2 : 0;
  if (in(lead, 0xE0, 0xEF)) {
    if (left < 3) return 0;
    const std::uint8_t low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
    return in(byte(1), low, high) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  }
  if (in(lead, 0xF0, 0xF4)) {
    if (left < 4) return 0;
    const std::uint8_t low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
    return in(byte(1), low, high) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// The length of the character a lead byte starts, or 1 for a byte that starts none.
std::size_t sequenceLength(std::uint8_t lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 1;
}

bool isContinuation(char c) { return (static_cast<std::uint8_t>(c) & 0xC0) == 0x80; }

// How many bytes at the end of `piece` start a character that the piece cuts short.
std::size_t incompleteTail(std::string_view piece) {
  for (std::size_t back = 1; back <= 4 && back <= piece.size(); ++back) {
    const char c = piece[piece.size() - back];
    if (isContinuation(c)) continue;
    return sequenceLength(static_cast<std::uint8_t>(c)) > back ? back : 0;
  }
  return 0;
}

}  // namespace

void Utf8StreamValidator::completePending(std::string_view& piece) {
  const std::size_t length = sequenceLength(static_cast<std::uint8_t>(pending_[0]));
  const std::size_t take = std::min(length - pendingSize_, piece.size());
  std::copy_n(piece.data(), take, pending_ + pendingSize_);
  pendingSize_ += take;
  piece.remove_prefix(take);
  if (pendingSize_ < length) return;
  invalid_ = firstInvalidUtf8(std::string_view(pending_, pendingSize_)) != std::string_view::npos;
  pendingSize_ = 0;
}

void Utf8StreamValidator::feed(std::string_view piece) {
  if (!invalid_ && pendingSize_ > 0) completePending(piece);
  if (invalid_ || pendingSize_ > 0 || piece.empty()) return;
  const std::size_t held = incompleteTail(piece);
  if (firstInvalidUtf8(piece.substr(0, piece.size() - held)) != std::string_view::npos) {
    invalid_ = true;
    return;
  }
  std::copy_n(piece.data() + piece.size() - held, held, pending_);
  pendingSize_ = held;
}

std::size_t firstInvalidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    // ASCII, most of what is checked, eight bytes at a time.
    if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<std::uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = wellFormedLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

bool isValidUtf8(std::string_view text) { return firstInvalidUtf8(text) == std::string_view::npos; }

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t codePointCount(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<std::uint8_t>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool hasControlCharacters(std::string_view text, bool allowLineBreaks) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const std::size_t length = decodeOne(text, i, cp);
    if (length == 0) return true;  // ill-formed text is never clean
    i += length;
    const bool lineBreak = cp == '\t' || cp == '\n' || cp == '\r';
    if (lineBreak && allowLineBreaks) continue;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return true;
  }
  return false;
}

const char* fileNameProblem(std::string_view name) {
  if (name.empty()) return "文件名为空 (empty file name)";
  if (name.size() > 255) return "文件名超过 255 字节 (file name longer than 255 bytes)";
  if (!isValidUtf8(name)) return "文件名不是有效的 UTF-8 (file name is not valid UTF-8)";
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos) {
    return "文件名不能包含路径分隔符 (file name contains a path separator)";
  }
  if (name.find("..") != std::string_view::npos) {
    return "文件名不能包含 \"..\" (file name contains \"..\")";
  }
  if (hasControlCharacters(name, false)) {
    return "文件名不能包含控制字符 (file name contains a control character)";
  }
  return nullptr;
}

std::string percentEncodeRfc5987(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<std::uint8_t>(c);
    const bool attrChar = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                          (b >= '0' && b <= '9') || b == '!' || b == '#' || b == '$' || b == '&' ||
                          b == '+' || b == '-' || b == '.' || b == '^' || b == '_' || b == '`' ||
                          b == '|' || b == '~';
    if (attrChar) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0F]);
    }
  }
  return out;
}

std::string asciiFallback(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t length = decodeOne(text, i, cp);
    if (length == 0) length = 1;
    const bool printable = cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\';
    out.push_back(printable ? static_cast<char>(cp) : '_');
    i += length;
  }
  return out;
}

std::string csvCell(std::string_view text) {
  std::string value(text);
  if (!value.empty() &&
      std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    value.insert(0, "'");
  }
  if (value.find_first_of(",\"\r\n'") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csvRecord(std::initializer_list<std::string_view> cells) {
  std::string record;
  const char* separator = "";
  for (const std::string_view cell : cells) {
    record += separator + csvCell(cell);
    separator = ",";
  }
  return record + "\r\n";
}

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t plain = 0;  // start of the run of characters copied as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b != '"' && b != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (b) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0x0F]);
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

void appendHtmlEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string htmlEscape(std::string_view text) {
  std::string out;
  appendHtmlEscaped(out, text);
  return out;
}

}  // namespace gongkai::core
