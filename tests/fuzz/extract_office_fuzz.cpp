// The zip-based document extractors (indexer/src/extract_office.cpp): DOCX, ODT and OFD (with its
// page order and text-line assembly), each given the same bytes. In the server they run in the
// extraction child; a crash there costs the child, but is still a bug.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract_detail.h"

using namespace gongkai::indexer::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  gongkai::indexer::ExtractionLimits limits;
  limits.max_zip_entries = 64;
  limits.max_expanded_bytes = 16u << 20;
  const Deadline deadline(std::chrono::seconds(5));
  for (auto extract : {&extractDocx, &extractOdt, &extractOfd}) {
    try {
      (void)extract(bytes, limits, deadline);
    } catch (const ExtractError&) {
    }
  }
  return 0;
}
