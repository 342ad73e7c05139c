// The request headers the server parses itself (server/src/net): a Range header against a file
// size, and a multipart part's Content-Disposition. The input's first 8 bytes are the file size,
// the rest the header value. A range returned lies inside the file; a disposition never crashes.
#include <Poco/Exception.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "byte_range.h"
#include "fuzz_check.h"
#include "multipart_upload.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::int64_t fileSize = 0;
  std::memcpy(&fileSize, data, 8);
  const std::string header(reinterpret_cast<const char*>(data) + 8, size - 8);
  bool satisfiable = true;
  const auto range = gongkai::server::net::parseRange(header, fileSize, satisfiable);
  if (range) {
    FUZZ_CHECK(satisfiable, "a range is returned only when satisfiable");
    FUZZ_CHECK(0 <= range->first && range->first <= range->last && range->last < fileSize,
               "a range lies inside the file");
  }
  try {
    const auto disposition = gongkai::server::net::parseDisposition(header);
    (void)disposition;
  } catch (const Poco::SyntaxException&) {
    // documented: a broken percent escape in filename*
  }
  return 0;
}
