// Audit log entries (core/audit_entry.h): parseAuditEntry accepts only the canonical bytes of a
// well-formed entry, so two encodings of one entry cannot both verify. Whatever parses must
// therefore write back to exactly the bytes it came from. The verifier reads entries through
// viewAuditEntry first and falls back to parseAuditEntry only when the view refuses, so whatever
// the view accepts, the full reader must accept too, as the same entry.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/core/audit_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto entry = gongkai::core::parseAuditEntry(bytes);
  const auto view = gongkai::core::viewAuditEntry(bytes);
  if (view) {
    FUZZ_CHECK(entry.ok(), "what the view accepts, the full reader accepts");
    FUZZ_CHECK(gongkai::core::AuditEntry(*view) == entry.value(), "the view and the reader agree");
  }
  if (!entry.ok()) return 0;
  FUZZ_CHECK(gongkai::core::canonicalBytes(entry.value()) == bytes,
             "only canonical bytes are accepted");
  return 0;
}
