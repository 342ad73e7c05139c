// The zip reader behind DOCX, ODT and OFD extraction (indexer/src/extract_zip.h): our own reading
// of the central directory, then libarchive inflating every entry within the limits.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract_detail.h"
#include "extract_zip.h"
#include "fuzz_check.h"

using namespace gongkai::indexer::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  gongkai::indexer::ExtractionLimits limits;
  limits.max_zip_entries = 64;
  limits.max_expanded_bytes = 16u << 20;
  const Deadline deadline(std::chrono::seconds(5));
  try {
    const auto directory = readCentralDirectory(bytes, limits);
    FUZZ_CHECK(directory.size() <= limits.max_zip_entries, "entry limit holds");
    (void)zipFormat(zipEntryNames(bytes, limits));
  } catch (const ExtractError&) {
  }
  try {
    std::uint64_t total = 0;
    for (const auto& [name, content] : readZipEntries(
             bytes, [](const std::string&) { return true; }, limits, deadline)) {
      total += content.size();
    }
    FUZZ_CHECK(total <= limits.max_expanded_bytes, "expansion limit holds");
  } catch (const ExtractError&) {
  }
  return 0;
}
