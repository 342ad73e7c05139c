// Reference codes (archive/reference_code.h): parseReferenceCode accepts exactly what toString()
// writes, and formatReferenceCode takes any pattern without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/archive/reference_code.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto code = gongkai::archive::parseReferenceCode(text)) {
    FUZZ_CHECK(code->toString() == text, "a parsed code writes back to the same text");
  }
  const gongkai::archive::ReferenceCode sample{"J001", 2023, "Y", "ZZ", 7};
  (void)gongkai::archive::formatReferenceCode(text, sample);
  return 0;
}
