// PDF through poppler-cpp. Poppler is a large C++ parser of hostile input: the server runs this
// in a child process (extractIsolated) so a crash or runaway costs that child only.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <memory>
#include <mutex>

#include "extract_detail.h"

namespace gongkai::indexer::detail {
namespace {

// Poppler reports every oddity of a file on stderr; the error codes we return say what matters.
void ignorePopplerMessage(const std::string&, void*) {}

void silencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(ignorePopplerMessage, nullptr); });
}

}  // namespace

std::string extractPdf(std::string_view bytes, const ExtractionLimits& limits,
                       const Deadline& deadline) {
  silencePoppler();
  if (bytes.size() > INT_MAX) fail("too_large", "文件过大 (file too large)");
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
