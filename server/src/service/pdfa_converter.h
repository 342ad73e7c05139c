#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "gongkai/core/result.h"

namespace gongkai::server::service {

// Makes a PDF/A-2b preservation rendition of an office document (DOCX, DOC, ODT, XLSX, ...) with
// LibreOffice headless (Debian: libreoffice-writer-nogui, plus -calc-nogui / -impress-nogui for
// spreadsheets and presentations). Each conversion runs `soffice` as an indexer::LimitedChild (its
// own process group, CPU time and file size limits, descriptors closed, killed with its group at
// the time limit), in a private folder that is its HOME and its LibreOffice profile
// (-env:UserInstallation), so conversions at once do not share a profile or a lock; stdin
// /dev/null, its output to a log file kept for the error.
// LibreOffice's PDF is not deterministic (dates, document ids): make a rendition once and keep it.
class PdfaConverter {
 public:
  struct Options {
    std::string program = "soffice";    // a path, or a name looked up in PATH; "" turns it off
    std::chrono::seconds timeout{120};  // wall clock, and the CPU time limit
    std::uint64_t max_output_bytes = 1ull << 30;  // RLIMIT_FSIZE: no file it writes larger
    std::string work_dir;  // a folder the private folders are made in (the data folder's tmp)
  };
  explicit PdfaConverter(Options options) : options_(std::move(options)) {}

  // The program's full path, "" when it is off or not there.
  std::string program() const;
  // Converts the file at `input`, of the lower-case extension `extension` (LibreOffice picks its
  // import filter by it), into the PDF written at `output`. kUnavailable: no converter;
  // kUnsupported: the conversion failed (conversion_failed), ran out of time
  // (conversion_timeout) or was killed at a resource limit (conversion_limit); the message says
  // which, with the end of its log.
  core::Status convert(const std::string& input, const std::string& extension,
                       const std::string& output) const;

 private:
  Options options_;
};

}  // namespace gongkai::server::service
