// The pull XML scanner that reads the XML inside DOCX, ODT and OFD files (indexer/src/
// extract_xml.h): every event of any text, refusing (ExtractError) rather than crashing.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract_detail.h"
#include "extract_xml.h"
#include "fuzz_check.h"

using namespace gongkai::indexer::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  const Deadline deadline(std::chrono::seconds(5));
  try {
    XmlScanner scanner(xml, deadline);
    std::size_t events = 0;
    for (auto event = scanner.next(); event != XmlScanner::Event::Done; event = scanner.next()) {
      FUZZ_CHECK(++events <= 4 * size + 16, "the scanner moves forward");
      if (event == XmlScanner::Event::Start) {
        (void)scanner.attribute("val");
        (void)scanner.attribute("BaseLoc");
      }
    }
  } catch (const ExtractError&) {
  }
  return 0;
}
