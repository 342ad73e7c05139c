// The canonical JSON reader and writer (core/json.h): parsing never crashes, and for text it
// accepts, the RFC 8785 form reads back to the same form (what the store and the audit hashes
// rely on).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/core/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = gongkai::core::parseJson(text);
  if (!parsed.ok()) return 0;
  std::string canonical;
  try {
    canonical = gongkai::core::canonicalJson(parsed.value());
  } catch (const std::invalid_argument&) {
    return 0;  // documented: NaN and infinities (e.g. 1e400) have no JSON form
  }
  auto again = gongkai::core::parseJson(canonical);
  FUZZ_CHECK(again.ok(), "canonical JSON must parse");
  FUZZ_CHECK(gongkai::core::canonicalJson(again.value()) == canonical,
             "canonical JSON must be a fixed point");
  (void)gongkai::core::parseJsonObject(text);
  return 0;
}
