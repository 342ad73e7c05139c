#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gongkai::server::net {

struct ByteRange {
  std::int64_t first = 0;
  std::int64_t last = 0;  // inclusive
};

// Parses a Range header of one range, "bytes=a-b", "bytes=a-" or "bytes=-n", against a file of
// `size` bytes (RFC 9110 14.1.2). nullopt with `satisfiable` true means "ignore the header and send
// the whole file" (several ranges, another unit, bad syntax); with `satisfiable` false, 416.
// A range it returns always lies inside the file: 0 <= first <= last < size.
std::optional<ByteRange> parseRange(std::string_view header, std::int64_t size, bool& satisfiable);

}  // namespace gongkai::server::net
