#pragma once

// Format identification (PRONOM-style) of a file the inspector has read: which registered format
// and version its bytes are, told from its header and the metadata it carries about itself, the
// way DROID does it for these formats (no full parse, no validation).

#include <cstddef>
#include <string>
#include <string_view>

#include "gongkai/archive/file_inspector.h"

namespace gongkai::archive::inspect {

// Reads what a PDF's XMP metadata says it conforms to (pdfaid:part, pdfaid:conformance), from
// the raw bytes as they stream past; XMP in a compressed stream is not seen (PDF/A writers keep
// it uncompressed so that it can be found this way).
class PdfaClaimScanner {
 public:
  void feed(const char* data, std::size_t size);
  // Reads a claim that the last bytes cut short of the window it is otherwise read in.
  void finish();

  std::string part;         // "1", "2", "3", "4"; "" when no claim was found
  std::string conformance;  // "A", "B", "U", "E", "F"; "" when none

 private:
  // The claims starting before `startsBefore` in `window`; unless `final`, one too near the end
  // to read whole is left for the next chunk.
  void scan(std::string_view window, bool final, std::size_t startsBefore);

  std::string carry_;     // the last bytes of the previous chunk, where a claim may start
  std::string boundary_;  // carry_ and the next chunk's first bytes, for scan()
};

// The identification of a file whose inspected format (FileFindings::format) is `format`, from
// its first and last bytes kept and the PDF/A claim found in it.
FormatIdentification identifyFormat(std::string_view format, std::string_view head,
                                    std::string_view tail, const PdfaClaimScanner& pdfa);

}  // namespace gongkai::archive::inspect
