#include "byte_range.h"

#include <algorithm>
#include <charconv>

namespace gongkai::server::net {
namespace {

bool number(std::string_view text, std::int64_t& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && out >= 0;
}

}  // namespace

std::optional<ByteRange> parseRange(std::string_view header, std::int64_t size, bool& satisfiable) {
  satisfiable = true;
  if (!header.starts_with("bytes=")) return std::nullopt;
  const std::string_view spec = header.substr(6);
  if (spec.find(',') != std::string_view::npos) return std::nullopt;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::int64_t a = 0, b = 0;
  const std::string_view left = spec.substr(0, dash), right = spec.substr(dash + 1);
  ByteRange range;
  if (left.empty()) {
    if (!number(right, b)) return std::nullopt;
    if (b == 0 || size <= 0) {
      satisfiable = false;
      return std::nullopt;
    }
    range.first = std::max<std::int64_t>(0, size - b);
    range.last = size - 1;
  } else {
    if (!number(left, a)) return std::nullopt;
    if (!right.empty() && (!number(right, b) || b < a)) return std::nullopt;
    if (a >= size) {
      satisfiable = false;
      return std::nullopt;
    }
    range.first = a;
    range.last = right.empty() ? size - 1 : std::min(b, size - 1);
  }
  return range;
}

}  // namespace gongkai::server::net
