// Audit log entries (core/audit_entry.h): parseAuditEntry accepts only the canonical bytes of a
// well-formed entry, so two encodings of one entry cannot both verify. Whatever parses must
// therefore write back to exactly the bytes it came from.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/core/audit_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto entry = gongkai::core::parseAuditEntry(bytes);
  if (!entry.ok()) return 0;
  FUZZ_CHECK(gongkai::core::canonicalBytes(entry.value()) == bytes,
             "only canonical bytes are accepted");
  return 0;
}
