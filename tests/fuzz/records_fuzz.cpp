// The stored records (core/document.h parseRecord, feedback.h, catalogue.h,
// disclosure_request.h): any bytes are read as each kind; a record that reads must write a
// canonical record that reads back to the same canonical record, or the store could write
// something it cannot read again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/core/catalogue.h"
#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/document.h"
#include "gongkai/core/feedback.h"

namespace {

template <typename Parse>
void roundTrip(std::string_view bytes, Parse parse, const char* kind) {
  auto record = parse(bytes);
  if (!record.ok()) return;
  const std::string canonical = gongkai::core::canonicalRecord(record.value());
  auto again = parse(canonical);
  FUZZ_CHECK(again.ok(), kind);
  FUZZ_CHECK(gongkai::core::canonicalRecord(again.value()) == canonical, kind);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  roundTrip(bytes, gongkai::core::parseRecord, "document record");
  roundTrip(bytes, gongkai::core::parseFeedbackRecord, "feedback record");
  roundTrip(bytes, gongkai::core::parseCatalogueRecord, "catalogue record");
  roundTrip(bytes, gongkai::core::parseDisclosureRequest, "disclosure request record");
  return 0;
}
