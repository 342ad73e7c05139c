// The PDF extractor (indexer/src/extract_pdf.cpp) in process: our use of poppler-cpp (page
// loop, text assembly, encryption check). Poppler itself is not instrumented, so this finds
// crashes in it but not its memory errors; in the server PDFs are read in the extraction child.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract_detail.h"

using namespace gongkai::indexer::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const gongkai::indexer::ExtractionLimits limits;
  const Deadline deadline(std::chrono::seconds(5));
  try {
    (void)extractPdf(bytes, limits, deadline);
  } catch (const ExtractError&) {
  }
  return 0;
}
