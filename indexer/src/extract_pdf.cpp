// PDF through poppler-cpp. Poppler is a large C++ parser of hostile input: the server runs this
// in a child process (extractIsolated) so a crash or runaway costs that child only.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>

#include "extract_detail.h"

namespace gongkai::indexer::detail {
namespace {

// Poppler reports every oddity of a file on stderr; the error codes we return say what matters.
void ignorePopplerMessage(const std::string&, void*) {}

// A PDF of one empty page that poppler opens without complaint (its xref offsets are exact).
constexpr char kEmptyPdf[] =
    "%PDF-1.4\n"
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>endobj\n"
    "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    "0000000101 00000 n \n"
    "trailer<</Size 4/Root 1 0 R>>\nstartxref\n160\n%%EOF\n";

// Once per process: silences poppler, and keeps one empty document open for good. poppler-cpp
// builds poppler's global state (GlobalParams: the glyph-name and Unicode tables, font and CMap
// caches) when a document opens while none is open, and frees it when the last one closes, so
// every PDF read one after the other paid for building it again: under ASan that was most of
// the time extract_pdf_fuzz spent on an input (90 runs/s).
void initPoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function(ignorePopplerMessage, nullptr);
    static const std::unique_ptr<poppler::document> keepsGlobalState(
        poppler::document::load_from_raw_data(kEmptyPdf, sizeof kEmptyPdf - 1));
  });
}

bool isPdfWhitespace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// The largest indirect object number a PDF may use (ISO 32000-1, Annex C, table C.1).
constexpr std::uint64_t kPdfMaxObjectNumber = 8'388'607;

// False when an object header ("<number> <generation> obj") names a larger number.
bool pdfObjectNumbersWithinLimit(std::string_view bytes) {
  // Each "obj" keyword: walk back over "<number> <generation> " and read the number.
  for (std::size_t at = bytes.find("obj"); at != std::string_view::npos;
       at = bytes.find("obj", at + 3)) {
    std::size_t i = at;
    while (i > 0 && isPdfWhitespace(bytes[i - 1])) --i;
    const std::size_t generationEnd = i;
    while (i > 0 && isDigit(bytes[i - 1])) --i;
    if (i == generationEnd || i == 0 || !isPdfWhitespace(bytes[i - 1])) continue;
    while (i > 0 && isPdfWhitespace(bytes[i - 1])) --i;
    const std::size_t numberEnd = i;
    while (i > 0 && isDigit(bytes[i - 1])) --i;
    if (i == numberEnd) continue;
    std::uint64_t number = 0;
    for (std::size_t d = i; d < numberEnd; ++d) {
      number = number * 10 + static_cast<std::uint64_t>(bytes[d] - '0');
      if (number > kPdfMaxObjectNumber) return false;
    }
  }
  return true;
}

}  // namespace

std::string extractPdf(std::string_view bytes, const ExtractionLimits& limits,
                       const Deadline& deadline) {
  initPoppler();
  if (bytes.size() > INT_MAX) fail("too_large", "文件过大 (file too large)");
  // Poppler sizes its cross-reference table by the largest object number it finds when it
  // rebuilds a broken one, and fills every entry: a 435-byte file naming object 23,333,333 held
  // the fuzzer for 20 s (the extraction child's memory limit stops it, but only by aborting).
  if (!pdfObjectNumbersWithinLimit(bytes))
    fail("malformed", "PDF 对象编号超出规范上限 (object number beyond the PDF limit)");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) fail("malformed", "PDF 文件已损坏，无法提取文本 (corrupt PDF)");
  if (doc->is_locked()) fail("encrypted", "文件已加密，无法提取文本 (file is encrypted)");
  TextSink out(limits.max_text_bytes);
  for (int i = 0; i < doc->pages() && !out.full(); ++i) {
    deadline.check();
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    const poppler::byte_array text = page->text().to_utf8();
    out.append(std::string_view(text.data(), text.size()));
    out.lineBreak();
  }
  return std::move(out.text());
}

}  // namespace gongkai::indexer::detail
