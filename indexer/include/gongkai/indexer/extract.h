#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gongkai::indexer {

// Bounds on extracting text from one file. A file over a bound fails with its own code; the
// document that holds it is stored all the same.
struct ExtractionLimits {
  std::uint64_t max_input_bytes = 64ull << 20;      // larger files are not read at all
  std::size_t max_text_bytes = 4u << 20;            // text beyond this is cut (truncated = true)
  std::size_t max_zip_entries = 10'000;             // DOCX, ODT and OFD are zip files
  std::uint64_t max_expanded_bytes = 256ull << 20;  // total uncompressed bytes read from a zip
  double max_expansion_ratio = 200.0;               // uncompressed / compressed, per zip entry
  std::chrono::milliseconds time_limit{10'000};     // wall clock for one file
  std::uint64_t max_memory_bytes = 1ull << 30;      // address space of the isolated extractor
};

// What came out of a file: its text (UTF-8, NFKC not applied), or why there is none.
struct Extraction {
  bool ok = false;
  std::string text;
  bool truncated = false;  // text was cut at max_text_bytes
  std::string format;      // "text", "html", "docx", "odt", "ofd", "pdf", or "" when unknown
                           // (set on failures too, as far as it was known)
  // Stable codes when !ok: unsupported_format, too_large, malformed, encrypted, zip_bomb,
  // too_many_entries, timeout, crashed.
  std::string error_code;
  std::string message;  // Chinese first, for the archivist: 无法提取文本 (…)
};

// The format of a file from its first bytes, its media type and its name; "" when none of ours.
std::string detectFormat(std::string_view head, std::string_view mediaType,
                         std::string_view fileName);

// Extracts in this process. Fine for our own parsers on any input; libraries (poppler) are
// isolated by extractIsolated.
Extraction extractFile(const std::string& path, std::string_view mediaType,
                       std::string_view fileName, const ExtractionLimits& limits = {});

// Extracts in a child process (`extractorBinary extract-text ...`) with the memory and time limits
// applied, so a hang or crash in a parser costs that child only. Plain text and HTML are read in
// this process (no library involved); the rest go to the child. The child writes the text to
// stdout and a last stderr line "ok<TAB>format<TAB>truncated|complete" (exit 0) or
// "code<TAB>message" (exit 3). It is killed with its process group once time_limit plus a
// start-up grace has passed (timeout); death by a signal, another exit status or failure to start
// it give crashed. Safe to call from any thread: posix_spawn, close-on-exec pipes, always reaped.
Extraction extractIsolated(const std::string& extractorBinary, const std::string& path,
                           std::string_view mediaType, std::string_view fileName,
                           const ExtractionLimits& limits = {});

}  // namespace gongkai::indexer
