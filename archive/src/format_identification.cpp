#include "format_identification.h"

#include <array>

#include "inspector_basics.h"

namespace gongkai::archive::inspect {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view kClaimPrefix = "pdfaid:";
// Enough to read `pdfaid:conformance = "B"` or `<pdfaid:part>2</pdfaid:part>` whole.
constexpr std::size_t kClaimWindow = 48;

// The value after `key` at `at` in `text`: `="2"`, `='2'` or `>2<`, spaces allowed around.
std::string claimValue(std::string_view text, std::size_t at) {
  std::size_t i = at;
  const auto skipSpaces = [&] {
    while (i < text.size() && isSpace(static_cast<unsigned char>(text[i]))) ++i;
  };
  skipSpaces();
  if (i >= text.size()) return {};
  char close = '<';
  if (text[i] == '=') {
    ++i;
    skipSpaces();
    if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) return {};
    close = text[i];
  } else if (text[i] != '>') {
    return {};
  }
  ++i;
  skipSpaces();
  std::string value;
  while (i < text.size() && text[i] != close && value.size() < 4 &&
         !isSpace(static_cast<unsigned char>(text[i]))) {
    value += text[i++];
  }
  return value;
}

struct Pdfa {
  std::string_view version;
  std::string_view puid;
};

// PRONOM's PDF/A entries by part and conformance level.
constexpr std::array<Pdfa, 11> kPdfa{{{"1a", "fmt/95"},
                                      {"1b", "fmt/354"},
                                      {"2a", "fmt/476"},
                                      {"2b", "fmt/477"},
                                      {"2u", "fmt/478"},
                                      {"3a", "fmt/479"},
                                      {"3b", "fmt/480"},
                                      {"3u", "fmt/481"},
                                      {"4", "fmt/1910"},
                                      {"4e", "fmt/1911"},
                                      {"4f", "fmt/1912"}}};

struct PdfVersion {
  std::string_view version;
  std::string_view puid;
};
constexpr std::array<PdfVersion, 9> kPdfVersions{{{"1.0", "fmt/14"},
                                                  {"1.1", "fmt/15"},
                                                  {"1.2", "fmt/16"},
                                                  {"1.3", "fmt/17"},
                                                  {"1.4", "fmt/18"},
                                                  {"1.5", "fmt/19"},
                                                  {"1.6", "fmt/20"},
                                                  {"1.7", "fmt/276"},
                                                  {"2.0", "fmt/1129"}}};

FormatIdentification made(std::string_view puid, std::string_view mediaType,
                          std::string_view version, std::string_view name) {
  FormatIdentification id;
  id.puid = std::string(puid);
  id.media_type = std::string(mediaType);
  id.version = std::string(version);
  id.name = std::string(name);
  return id;
}

FormatIdentification identifyPdf(std::string_view head, const PdfaClaimScanner& pdfa) {
  if (!pdfa.part.empty()) {
    std::string level = pdfa.part;
    for (char c : pdfa.conformance) level += lowerAscii(c);
    for (const Pdfa& row : kPdfa) {
      if (row.version == level) {
        FormatIdentification id =
            made(row.puid, "application/pdf", level, "Acrobat PDF/A - Portable Document Format");
        id.long_term = true;
        return id;
      }
    }
  }
  // "%PDF-1.7": the header's version (an update may raise it in the catalogue; not read).
  const std::string_view version = head.size() >= 8 ? head.substr(5, 3) : std::string_view();
  for (const PdfVersion& row : kPdfVersions) {
    if (row.version == version) {
      return made(row.puid, "application/pdf", version,
                  version == "2.0" ? "PDF 2.0 - Portable Document Format"
                                   : "Acrobat PDF - Portable Document Format");
    }
  }
  return made("", "application/pdf", "", "Portable Document Format");
}

// A UTF-16LE stream name as an OLE compound file's directory stores it.
std::string utf16Name(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

// Legacy Office by the stream its directory names; the directory sector is usually within the
// first 64 KiB or the last MiB kept, otherwise only the container is told.
FormatIdentification identifyOle(std::string_view head, std::string_view tail) {
  const auto names = [&](std::string_view stream) {
    const std::string utf16 = utf16Name(stream);
    return head.find(utf16) != std::string_view::npos || tail.find(utf16) != std::string_view::npos;
  };
  if (names("WordDocument")) {
    return made("fmt/40", "application/msword", "97-2003", "Microsoft Word Document");
  }
  if (names("Workbook")) {
    return made("fmt/61", "application/vnd.ms-excel", "8", "Microsoft Excel 97 Workbook (xls)");
  }
  if (names("PowerPoint Document")) {
    return made("fmt/126", "application/vnd.ms-powerpoint", "97-2003",
                "Microsoft Powerpoint Presentation");
  }
  return made("fmt/111", "application/x-ole-storage", "", "OLE2 Compound Document Format");
}

FormatIdentification identifyJpeg(std::string_view head) {
  // APP0 "JFIF\0" with its major and minor version right after.
  if (head.size() >= 13 && hasAt(head, 2, "\xFF\xE0"sv) && hasAt(head, 6, "JFIF\0"sv)) {
    const int major = static_cast<unsigned char>(head[11]);
    const int minor = static_cast<unsigned char>(head[12]);
    if (major == 1 && minor <= 2) {
      const std::string version = "1.0" + std::to_string(minor);
      static constexpr std::array<std::string_view, 3> kPuid{"fmt/42", "fmt/43", "fmt/44"};
      return made(kPuid[static_cast<std::size_t>(minor)], "image/jpeg", version,
                  "JPEG File Interchange Format");
    }
  }
  if (head.size() >= 12 && hasAt(head, 2, "\xFF\xE1"sv) && hasAt(head, 6, "Exif\0\0"sv)) {
    return made("", "image/jpeg", "Exif", "Exchangeable Image File Format (Compressed)");
  }
  return made("", "image/jpeg", "", "JPEG");
}

FormatIdentification identifyBmp(std::string_view head) {
  switch (head.size() >= 18 ? le32(head, 14) : 0) {
    case 12:
      return made("fmt/115", "image/bmp", "2.0", "Windows Bitmap");
    case 40:
      return made("fmt/116", "image/bmp", "3.0", "Windows Bitmap");
    case 108:
      return made("fmt/118", "image/bmp", "4.0", "Windows Bitmap");
    case 124:
      return made("fmt/119", "image/bmp", "5.0", "Windows Bitmap");
    default:
      return made("", "image/bmp", "", "Windows Bitmap");
  }
}

FormatIdentification identifyWebp(std::string_view head) {
  if (hasAt(head, 12, "VP8 ")) return made("fmt/566", "image/webp", "lossy", "WebP");
  if (hasAt(head, 12, "VP8L")) return made("fmt/567", "image/webp", "lossless", "WebP");
  if (hasAt(head, 12, "VP8X")) return made("fmt/568", "image/webp", "extended", "WebP");
  return made("", "image/webp", "", "WebP");
}

FormatIdentification identifyHtml(std::string_view head) {
  std::size_t at = 0;
  if (hasAt(head, 0, "\xEF\xBB\xBF"sv)) at = 3;
  while (at < head.size() && isSpace(static_cast<unsigned char>(head[at]))) ++at;
  // <!DOCTYPE html> alone (no public identifier) is HTML5's.
  if (startsWithIgnoreCase(head.substr(at), "<!doctype html>")) {
    return made("fmt/471", "text/html", "5", "Hypertext Markup Language");
  }
  return made("fmt/96", "text/html", "", "Hypertext Markup Language");
}

}  // namespace

void PdfaClaimScanner::feed(const char* data, std::size_t size) {
  if (size == 0) return;
  const std::string_view chunk(data, size);
  constexpr std::size_t kKeep = kClaimPrefix.size() + kClaimWindow;
  // Claims that start in the bytes kept from before, read on with this chunk's first bytes;
  // then the chunk itself, in place.
  // Only when a claim can start there, and in a buffer kept for it: the verifier reads large
  // chunks, but file_inspector_fuzz feeds a byte or a few at a time, and a new string per chunk
  // was a third of its time.
  if (carry_.find(kClaimPrefix.front()) != std::string::npos) {
    boundary_.assign(carry_);
    boundary_.append(chunk.substr(0, kKeep));
    scan(boundary_, false, carry_.size());
  }
  scan(chunk, false, chunk.size());
  if (size >= kKeep) {
    carry_.assign(chunk.substr(size - kKeep));
  } else {
    carry_ += chunk;
    if (carry_.size() > kKeep) carry_.erase(0, carry_.size() - kKeep);
  }
}

void PdfaClaimScanner::finish() { scan(carry_, true, carry_.size()); }

void PdfaClaimScanner::scan(std::string_view window, bool final, std::size_t startsBefore) {
  for (std::size_t at = window.find(kClaimPrefix);
       at != std::string_view::npos && at < startsBefore; at = window.find(kClaimPrefix, at + 1)) {
    // A claim too near the end is read again with the next chunk.
    if (!final && window.size() - at < kClaimPrefix.size() + kClaimWindow) return;
    const std::string_view rest = window.substr(at + kClaimPrefix.size());
    if (part.empty() && rest.starts_with("part")) {
      part = claimValue(rest, 4);
    } else if (conformance.empty() && rest.starts_with("conformance")) {
      conformance = claimValue(rest, 11);
      for (char& c : conformance) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
  }
}

FormatIdentification identifyFormat(std::string_view format, std::string_view head,
                                    std::string_view tail, const PdfaClaimScanner& pdfa) {
  if (format == "pdf") return identifyPdf(head, pdfa);
  if (format == "ofd") {
    // GB/T 33190-2016; PRONOM has no entry for OFD.
    FormatIdentification id = made("", "application/ofd", "", "开放版式文档 OFD (GB/T 33190)");
    id.long_term = true;
    return id;
  }
  if (format == "docx") {
    return made("fmt/412",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "",
                "Microsoft Word for Windows 2007 onwards");
  }
  if (format == "xlsx") {
    return made("fmt/214", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "",
                "Microsoft Excel for Windows 2007 onwards");
  }
  if (format == "pptx") {
    return made("fmt/215",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation", "",
                "Microsoft Powerpoint for Windows 2007 onwards");
  }
  // The ODF version is in the compressed manifest, which is not inflated.
  if (format == "odt") {
    return made("", "application/vnd.oasis.opendocument.text", "", "OpenDocument Text");
  }
  if (format == "ods") {
    return made("", "application/vnd.oasis.opendocument.spreadsheet", "",
                "OpenDocument Spreadsheet");
  }
  if (format == "odp") {
    return made("", "application/vnd.oasis.opendocument.presentation", "",
                "OpenDocument Presentation");
  }
  if (format == "zip") return made("x-fmt/263", "application/zip", "", "ZIP Format");
  if (format == "ole") return identifyOle(head, tail);
  if (format == "png") return made("", "image/png", "", "Portable Network Graphics");
  if (format == "jpeg") return identifyJpeg(head);
  if (format == "gif") {
    const std::string_view version = head.substr(3, 3);
    return made(version == "87a" ? "fmt/3" : "fmt/4", "image/gif", version,
                "Graphics Interchange Format");
  }
  if (format == "tiff") return made("fmt/353", "image/tiff", "", "Tagged Image File Format");
  if (format == "bmp") return identifyBmp(head);
  if (format == "webp") return identifyWebp(head);
  if (format == "text") return made("x-fmt/111", "text/plain", "", "Plain Text File");
  if (format == "html") return identifyHtml(head);
  if (format == "xml")
    return made("fmt/101", "application/xml", "1.0", "Extensible Markup Language");
  return made("", "application/octet-stream", "", "");
}

}  // namespace gongkai::archive::inspect
