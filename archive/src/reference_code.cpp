#include "gongkai/archive/reference_code.h"

#include <cstdio>
#include <vector>

namespace gongkai::archive {
namespace {

bool allOf(std::string_view text, bool (*accept)(char)) {
  for (char c : text) {
    if (!accept(c)) return false;
  }
  return true;
}
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpperOrDigit(char c) { return isUpper(c) || isDigit(c); }

}  // namespace

std::string ReferenceCode::toString() const {
  char item4[8];
  std::snprintf(item4, sizeof item4, "%04d", item);
  return fonds + "-" + std::to_string(year) + "-" + retention + "-" + category + "-" + item4;
}

std::string formatReferenceCode(std::string_view pattern, const ReferenceCode& code) {
  std::string out;
  for (std::size_t at = 0; at < pattern.size();) {
    const std::size_t open = pattern.find('{', at);
    const std::size_t close = open == std::string_view::npos ? open : pattern.find('}', open);
    if (close == std::string_view::npos) {
      out.append(pattern.substr(at));
      break;
    }
    out.append(pattern.substr(at, open - at));
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    if (name == "fonds") {
      out += code.fonds;
    } else if (name == "year") {
      out += std::to_string(code.year);
    } else if (name == "retention") {
      out += code.retention;
    } else if (name == "category") {
      out += code.category;
    } else if (name == "item" ||
               (name.size() == 6 && name.substr(0, 5) == "item:" && isDigit(name[5]))) {
      std::string digits = std::to_string(code.item);
      const std::size_t width = name.size() == 6 ? static_cast<std::size_t>(name[5] - '0') : 0;
      if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
      out += digits;
    } else {
      out.append(pattern.substr(open, close - open + 1));
    }
    at = close + 1;
  }
  return out;
}

std::optional<ReferenceCode> parseReferenceCode(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dash = text.find('-', start);
    parts.push_back(text.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (parts.size() != 5) return std::nullopt;
  ReferenceCode code;
  if (parts[0].empty() || parts[0].size() > 16 || !allOf(parts[0], isUpperOrDigit))
    return std::nullopt;
  code.fonds = parts[0];
  if (parts[1].size() != 4 || !allOf(parts[1], isDigit)) return std::nullopt;
  code.year = std::stoi(std::string(parts[1]));
  if (code.year < 1900 || code.year > 2999) return std::nullopt;
  if (parts[2] != "Y" && parts[2] != "D30" && parts[2] != "D10") return std::nullopt;
  code.retention = parts[2];
  if (parts[3].size() != 2 || !allOf(parts[3], isUpper)) return std::nullopt;
  code.category = parts[3];
  if (parts[4].size() != 4 || !allOf(parts[4], isDigit)) return std::nullopt;
  code.item = std::stoi(std::string(parts[4]));
  if (code.item == 0) return std::nullopt;
  return code;
}

}  // namespace gongkai::archive
