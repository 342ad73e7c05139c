#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai::archive {

// One thing wrong with a file. `code` is stable snake_case, for programs and reports:
//   usability: empty, unknown_format, format_mismatch, truncated, corrupt,
//              zip_directory_unreadable, not_utf8, nul_byte
//   safety:    executable, script, macro, encrypted, javascript, launch, embedded_file,
//              ole_container
// Each code appears at most once in a list. `message` is for people: Chinese first, English in
// parentheses.
struct FileProblem {
  std::string code;
  std::string message;
};

// Which registered format and version a file is (format identification for long-term
// preservation), told from its bytes: the header, and the metadata the file carries about itself
// (a PDF's XMP PDF/A claim, a JPEG's JFIF version, the streams an OLE directory names). What a
// file claims is not validated: a PDF that says it is PDF/A-2b is identified as PDF/A-2b, as
// DROID does.
struct FormatIdentification {
  std::string puid;        // PRONOM id ("fmt/276", "x-fmt/111"); "" when no entry fits
  std::string media_type;  // "application/pdf"; application/octet-stream when unknown
  std::string version;     // "1.7", "2b", "1.01"; "" when the bytes do not tell
  std::string name;        // the format's name as PRONOM gives it ("" when unknown)
  // A long-term preservation format (DA/T 47: PDF/A, OFD), which needs no rendition.
  bool long_term = false;

  bool operator==(const FormatIdentification&) const = default;
};

// One line for people and reports: "fmt/276 application/pdf 1.7 (Acrobat PDF - Portable
// Document Format)", the parts there are.
std::string describeFormat(const FormatIdentification& format);

// Whether a file of this inspected format (FileFindings::format) is one a preservation rendition
// is made of: word-processing, spreadsheet and presentation documents (OOXML, OpenDocument,
// legacy Office), which need their application to render. PDF/A, OFD, images and text do not.
bool wantsPreservationRendition(std::string_view format);

struct FileFindings {
  // What the bytes are: "pdf", "ofd", "docx", "xlsx", "pptx", "odt", "ods", "odp", "zip", "png",
  // "jpeg", "gif", "tiff", "bmp", "webp", "text", "html", "xml", "ole", "executable" or "unknown".
  std::string format;
  std::vector<FileProblem> usability;  // empty: opens as the format it is declared as
  std::vector<FileProblem> safety;     // empty: nothing executable, scripted or encrypted found
  FormatIdentification identification;
};

// The usability and safety parts of the four-property check (四性检测) for one file, from its
// bytes streamed in chunks of any size (a chunk boundary never changes the findings). Memory stays
// bounded whatever the file's size: the first 64 KiB and the last 1 MiB are kept, plus a few bytes
// of scanner state; PDF names, markup and UTF-8 are checked over every byte.
//
// Limits: nothing compressed is inflated, so PDF objects inside compressed object streams and the
// contents of ZIP entries go unseen (ZIP checks use entry names and flags only); a ZIP whose
// central directory does not lie within the last 1 MiB is reported as unreadable rather than
// checked; when a ZIP directory is unreadable its entries' safety is unknown, which only the
// usability problem reports. Markup is checked for script elements and javascript: URLs, not for
// event-handler attributes or character-reference obfuscation.
//
// Not thread-safe; one inspector per file. Only std::bad_alloc escapes.
class FileInspector {
 public:
  // `name`: the file's name; only its extension is used (for the expected format when the media
  // type is empty or unknown, and for dangerous types such as .exe). `declaredMediaType`: the
  // media type the metadata declares, e.g. "application/pdf"; parameters such as "; charset=" and
  // case are ignored.
  FileInspector(std::string name, std::string declaredMediaType);
  ~FileInspector();
  // A moved-from inspector may only be assigned to or destroyed.
  FileInspector(FileInspector&&) noexcept;
  FileInspector& operator=(FileInspector&&) noexcept;

  // The next bytes of the file. Ignored after finish().
  void update(const char* data, std::size_t size);
  // The findings, once the last bytes have been given; calling it again returns the same.
  FileFindings finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The format (as in FileFindings::format) that a media type declares, "" when the inspector does
// not know it. Case and parameters are ignored; legacy Office types map to "ole".
std::string_view formatForMediaType(std::string_view mediaType);

}  // namespace gongkai::archive
