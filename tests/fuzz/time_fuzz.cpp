// RFC 3339 times and calendar dates (core/time.h), read from records, API requests and bundles:
// a parsed time writes and reads back to the same instant; a parsed date is exactly YYYY-MM-DD.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto time = gongkai::core::parseRfc3339(text)) {
    const auto written = gongkai::core::formatRfc3339(*time);
    const auto again = gongkai::core::parseRfc3339(written);
    FUZZ_CHECK(again && *again == *time, "a written time reads back to the same instant");
    (void)gongkai::core::chinaDate(*time);
    (void)gongkai::core::yearOf(*time);
  }
  if (const auto date = gongkai::core::parseDate(text)) {
    FUZZ_CHECK(date->toString() == text, "only YYYY-MM-DD is a date");
    FUZZ_CHECK(date->year >= 1900 && date->year <= 2999, "years 1900 to 2999");
  }
  return 0;
}
