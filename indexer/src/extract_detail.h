#pragma once
// Shared pieces of text extraction: failures, the deadline, the text sink, and the per-format
// extractors that extract.cpp dispatches to. Private to the indexer library.

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/indexer/extract.h"

namespace gongkai::indexer::detail {

// Thrown by the format readers; extractFile turns it into an Extraction with ok == false.
class ExtractError : public std::runtime_error {
 public:
  ExtractError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

[[noreturn]] void fail(std::string code, const std::string& message);

// Wall-clock bound for one file, checked in every loop that depends on the input's size.
class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds limit)
      : end_(std::chrono::steady_clock::now() + limit) {}
  void check() const;

 private:
  std::chrono::steady_clock::time_point end_;
};

// Collects output text; stops growing a little past the cap so a huge document costs no more
// memory than the text we keep. extractFile cuts it to the cap at a UTF-8 boundary.
class TextSink {
 public:
  explicit TextSink(std::size_t cap) : cap_(cap) {}
  void append(std::string_view text);
  void append(char c) { append(std::string_view(&c, 1)); }
  // A newline unless the text is empty or already ends with one.
  void lineBreak();
  bool full() const { return text_.size() > cap_; }
  std::string& text() { return text_; }

 private:
  std::string text_;
  std::size_t cap_;
};

// ASCII letters lower-cased, everything else as it is (media types, names, charsets, tags).
std::string asciiLower(std::string_view text);

// Cuts text to at most max bytes without splitting a UTF-8 sequence; true when it cut.
bool truncateUtf8(std::string& text, std::size_t max);

// Bytes to UTF-8: BOM (UTF-8, UTF-16 LE/BE) first, then valid UTF-8, else GB18030. Bytes no
// decoder accepts become U+FFFD.
std::string decodeText(std::string_view bytes);
// Bytes in a named charset (an ICU converter name) to UTF-8, invalid sequences as U+FFFD.
std::string decodeCharset(std::string_view bytes, const char* charset);

// Appends a code point as UTF-8; NUL, surrogates and values past U+10FFFF become U+FFFD.
void appendCodePoint(std::string& out, std::uint32_t cp);

std::string extractHtml(std::string_view bytes, const Deadline& deadline);

// The zip-based formats and PDF; bytes is the whole file.
std::string extractDocx(std::string_view bytes, const ExtractionLimits& limits,
                        const Deadline& deadline);
std::string extractOdt(std::string_view bytes, const ExtractionLimits& limits,
                       const Deadline& deadline);
std::string extractOfd(std::string_view bytes, const ExtractionLimits& limits,
                       const Deadline& deadline);
std::string extractPdf(std::string_view bytes, const ExtractionLimits& limits,
                       const Deadline& deadline);

// Names of the entries of a zip file from its central directory; throws malformed when the file
// is no complete zip, too_many_entries when it lists more than the limit.
std::vector<std::string> zipEntryNames(std::string_view bytes, const ExtractionLimits& limits);
// "docx", "odt", "ofd" or "" from the entry names of a zip.
std::string zipFormat(const std::vector<std::string>& names);

}  // namespace gongkai::indexer::detail
