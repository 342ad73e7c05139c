// The in-process text extractors (indexer/src): plain text decoding (BOM, UTF-8, GB18030) and
// HTML. These run inside the server, not in the extraction child, so a crash here is the server's.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract_detail.h"
#include "fuzz_check.h"
#include "gongkai/core/text.h"

using namespace gongkai::indexer::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const std::string decoded = decodeText(bytes);
    FUZZ_CHECK(gongkai::core::isValidUtf8(decoded), "decoded text is UTF-8");
  } catch (const ExtractError&) {
  }
  const Deadline deadline(std::chrono::seconds(5));
  try {
    (void)extractHtml(bytes, deadline);
  } catch (const ExtractError&) {
  }
  return 0;
}
