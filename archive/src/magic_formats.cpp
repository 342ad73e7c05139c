#include "magic_formats.h"

#include "inspector_basics.h"

namespace gongkai::archive::inspect {

namespace {

// "BM" alone starts plenty of text, so a BMP also needs a plausible DIB header size.
bool looksLikeBmp(std::string_view head) {
  if (!hasAt(head, 0, "BM") || head.size() < 18) return false;
  const std::uint32_t dibSize = le32(head, 14);
  return dibSize == 12 || dibSize == 40 || dibSize == 52 || dibSize == 56 || dibSize == 64 ||
         dibSize == 108 || dibSize == 124;
}

}  // namespace

Magic sniff(std::string_view head) {
  using namespace std::string_view_literals;
  if (hasAt(head, 0, "%PDF-")) return Magic::kPdf;
  if (hasAt(head, 0, "PK\x03\x04"sv)) return Magic::kZip;
  if (hasAt(head, 0, "\x89PNG\r\n\x1a\n"sv)) return Magic::kPng;
  if (hasAt(head, 0, "\xff\xd8\xff"sv)) return Magic::kJpeg;
  if (hasAt(head, 0, "GIF87a") || hasAt(head, 0, "GIF89a")) return Magic::kGif;
  if (hasAt(head, 0, "II*\0"sv) || hasAt(head, 0, "MM\0*"sv) || hasAt(head, 0, "II+\0"sv) ||
      hasAt(head, 0, "MM\0+"sv)) {
    return Magic::kTiff;
  }
  if (hasAt(head, 0, "RIFF") && hasAt(head, 8, "WEBP")) return Magic::kWebp;
  if (hasAt(head, 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv)) return Magic::kOle;
  if (hasAt(head, 0, "MZ") || hasAt(head, 0, "\x7f\x45LF"sv) ||
      hasAt(head, 0, "\xfe\xed\xfa\xce"sv) || hasAt(head, 0, "\xce\xfa\xed\xfe"sv) ||
      hasAt(head, 0, "\xfe\xed\xfa\xcf"sv) || hasAt(head, 0, "\xcf\xfa\xed\xfe"sv) ||
      hasAt(head, 0, "\xca\xfe\xba\xbe"sv)) {
    return Magic::kExecutable;
  }
  if (hasAt(head, 0, "#!")) return Magic::kShebang;
  if (looksLikeBmp(head)) return Magic::kBmp;
  return Magic::kNone;
}

std::string_view formatOfMagic(Magic magic) {
  switch (magic) {
    case Magic::kPdf:
      return "pdf";
    case Magic::kZip:
      return "zip";
    case Magic::kPng:
      return "png";
    case Magic::kJpeg:
      return "jpeg";
    case Magic::kGif:
      return "gif";
    case Magic::kTiff:
      return "tiff";
    case Magic::kBmp:
      return "bmp";
    case Magic::kWebp:
      return "webp";
    case Magic::kOle:
      return "ole";
    case Magic::kExecutable:
      return "executable";
    case Magic::kNone:
    case Magic::kShebang:
      break;
  }
  return "unknown";
}

bool isZipFamily(std::string_view format) {
  return format == "zip" || format == "ofd" || format == "docx" || format == "xlsx" ||
         format == "pptx" || format == "odt" || format == "ods" || format == "odp";
}

bool isTextFamily(std::string_view format) {
  return format == "text" || format == "html" || format == "xml";
}

void checkPng(FileFindings& out, std::string_view head, std::string_view tail) {
  using namespace std::string_view_literals;
  if (!hasAt(head, 12, "IHDR")) {
    addOnce(out.usability, "corrupt", "PNG 缺少 IHDR 块 (PNG has no IHDR chunk)");
  }
  if (!tail.ends_with("\0\0\0\0IEND\xAE\x42\x60\x82"sv)) {
    addOnce(out.usability, "truncated",
            "PNG 不以 IEND 块结束，文件可能不完整 (PNG does not end with an IEND chunk; the file "
            "may be truncated)");
  }
}

void checkJpeg(FileFindings& out, std::string_view tail) {
  // Some writers pad a JPEG with zero bytes after its end marker; that still opens.
  std::string_view trimmed = tail;
  while (trimmed.size() > 2 && trimmed.back() == '\0') trimmed.remove_suffix(1);
  if (!trimmed.ends_with("\xFF\xD9")) {
    addOnce(out.usability, "truncated",
            "JPEG 缺少结束标记 FF D9，文件可能不完整 (JPEG has no FF D9 end marker; the file may "
            "be truncated)");
  }
}

}  // namespace gongkai::archive::inspect
