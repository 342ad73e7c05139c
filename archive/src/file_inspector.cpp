#include "gongkai/archive/file_inspector.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "format_identification.h"
#include "gongkai/core/media_types.h"
#include "inspector_basics.h"
#include "magic_formats.h"
#include "pdf_inspection.h"
#include "text_inspection.h"
#include "zip_inspection.h"

namespace gongkai::archive {
namespace {

using namespace inspect;

constexpr std::size_t kHeadSize = 64 * 1024;
constexpr std::size_t kTailSize = 1024 * 1024;
// Enough for every magic number and the BMP header fields that sniff() reads.
constexpr std::size_t kSniffSize = 32;

}  // namespace

std::string describeFormat(const FormatIdentification& format) {
  std::string out = format.puid;
  for (const std::string* part : {&format.media_type, &format.version}) {
    if (part->empty()) continue;
    if (!out.empty()) out += " ";
    out += *part;
  }
  if (!format.name.empty()) out += " (" + format.name + ")";
  return out;
}

bool wantsPreservationRendition(std::string_view format) {
  return format == "docx" || format == "xlsx" || format == "pptx" || format == "odt" ||
         format == "ods" || format == "odp" || format == "ole";
}

std::string_view formatForMediaType(std::string_view mediaType) {
  return core::formatForMediaType(mediaType);
}

struct FileInspector::State {
  std::string name;
  std::string mediaType;
  std::uint64_t total = 0;
  std::string head;
  std::string tail;            // grows to kTailSize, then is a ring
  std::size_t tailOldest = 0;  // once the ring is full: where its oldest byte is
  std::optional<Magic> magic;
  bool scanText = true;
  bool scanPdf = true;
  TextCheck utf8;
  MarkupScanner markup;
  PdfNameScanner pdf;
  PdfaClaimScanner pdfa;
  std::optional<FileFindings> findings;

  void appendTail(const char* data, std::size_t size) {
    if (size >= kTailSize) {
      tail.assign(data + size - kTailSize, kTailSize);
      tailOldest = 0;
      return;
    }
    if (tail.size() < kTailSize) {
      const std::size_t fill = std::min(size, kTailSize - tail.size());
      tail.append(data, fill);
      data += fill;
      size -= fill;
    }
    while (size > 0) {
      const std::size_t run = std::min(size, kTailSize - tailOldest);
      std::copy_n(data, run, tail.begin() + static_cast<std::ptrdiff_t>(tailOldest));
      tailOldest = (tailOldest + run) % kTailSize;
      data += run;
      size -= run;
    }
  }

  // The scanners start on every file; once the magic is known, those whose findings the format
  // cannot use stop, which keeps large binaries cheap.
  void decideScanners() {
    magic = sniff(head);
    scanText = *magic == Magic::kNone || *magic == Magic::kShebang;
    scanPdf = *magic == Magic::kPdf;
  }

  FileFindings inspect();
};

FileInspector::FileInspector(std::string name, std::string declaredMediaType)
    : state_(std::make_unique<State>()) {
  state_->name = std::move(name);
  state_->mediaType = std::move(declaredMediaType);
}

FileInspector::~FileInspector() = default;
FileInspector::FileInspector(FileInspector&&) noexcept = default;
FileInspector& FileInspector::operator=(FileInspector&&) noexcept = default;

void FileInspector::update(const char* data, std::size_t size) {
  State& s = *state_;
  if (s.findings || size == 0) return;
  s.total += size;
  if (s.head.size() < kHeadSize) s.head.append(data, std::min(size, kHeadSize - s.head.size()));
  s.appendTail(data, size);
  if (!s.magic && s.head.size() >= kSniffSize) s.decideScanners();
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  if (s.scanText) {
    s.utf8.feed(std::string_view(data, size));
    s.markup.feed(bytes, size);
  }
  if (s.scanPdf) {
    s.pdf.feed(bytes, size);
    s.pdfa.feed(data, size);
  }
}

FileFindings FileInspector::finish() {
  State& s = *state_;
  if (!s.findings) {
    s.findings = s.inspect();
    s.pdfa.finish();
    s.findings->identification = identifyFormat(s.findings->format, s.head, s.tail, s.pdfa);
  }
  return *s.findings;
}

FileFindings FileInspector::State::inspect() {
  FileFindings out;
  const std::string extension = extensionOf(name);
  switch (dangerOfExtension(extension)) {
    case Danger::kExecutable:
      addOnce(out.safety, "executable",
              "扩展名 ." + extension + " 属于可执行程序 (extension ." + extension +
                  " is an executable type)");
      break;
    case Danger::kScript:
      addOnce(out.safety, "script",
              "扩展名 ." + extension + " 属于脚本 (extension ." + extension + " is a script type)");
      break;
    case Danger::kNone:
      break;
  }
  if (total == 0) {
    out.format = "unknown";
    addOnce(out.usability, "empty", "文件为空 (file is empty)");
    return out;
  }

  if (!magic) decideScanners();
  pdf.finish();
  std::rotate(tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(tailOldest), tail.end());
  tailOldest = 0;
  const std::string_view headView(head);
  const std::string_view tailView(tail);

  // The expected format: the declared media type, else the extension.
  std::string_view expected = formatForMediaType(mediaType);
  const bool fromMediaType = !expected.empty();
  if (!fromMediaType) expected = core::formatForExtension(extension);

  out.format = formatOfMagic(*magic);
  bool formatKnownForSure = true;  // false when a ZIP's directory could not be read
  switch (*magic) {
    case Magic::kPdf:
      checkPdf(out, tailView, pdf);
      break;
    case Magic::kZip:
      formatKnownForSure = checkZip(out, headView, tailView, total);
      break;
    case Magic::kPng:
      checkPng(out, headView, tailView);
      break;
    case Magic::kJpeg:
      checkJpeg(out, tailView);
      break;
    case Magic::kOle:
      addOnce(
          out.safety, "ole_container",
          "文件是 OLE 复合文档（旧版 Office 或加密的新版 Office），可能含有无法检查的宏或加密 "
          "(file is an OLE compound document, legacy or encrypted Office, that may carry macros "
          "or encryption that cannot be checked)");
      break;
    case Magic::kExecutable:
      addOnce(out.safety, "executable", "文件是可执行程序 (file is an executable)");
      break;
    case Magic::kShebang:
      addOnce(out.safety, "script", "文件是以 #! 开头的脚本 (file is a script starting with #!)");
      break;
    case Magic::kGif:
    case Magic::kTiff:
    case Magic::kBmp:
    case Magic::kWebp:
    case Magic::kNone:
      break;
  }

  const bool maybeText = *magic == Magic::kNone || *magic == Magic::kShebang;
  if (maybeText && utf8.valid() && !utf8.sawNul())
    out.format = textFormatFromHead(headView, expected);
  // Markup that is not UTF-8 (GB 18030, say) is still scanned: browsers run its scripts too.
  if (maybeText &&
      (out.format == "html" || out.format == "xml" || expected == "html" || expected == "xml")) {
    checkMarkup(out, markup);
  }

  if (expected.empty()) {
    addOnce(out.usability, "unknown_format",
            "无法确定应有的格式：声明的媒体类型和扩展名都不是已知格式 (cannot tell the expected "
            "format: neither the declared media type nor the extension is known)");
    return out;
  }
  const std::string_view detected = out.format;
  const bool matches = detected == expected || (expected == "zip" && isZipFamily(detected)) ||
                       (expected == "text" && isTextFamily(detected));
  if (matches || (!formatKnownForSure && isZipFamily(expected))) return out;
  if (maybeText && detected == "unknown" && isTextFamily(expected)) {
    if (!utf8.valid()) {
      addOnce(out.usability, "not_utf8", "文本不是有效的 UTF-8 编码 (text is not valid UTF-8)");
    } else {
      addOnce(out.usability, "nul_byte", "文本含有空字节 (text contains NUL bytes)");
    }
    return out;
  }
  const std::string expectedText(expected);
  const std::string zhSource =
      fromMediaType ? "声明的媒体类型 " + mediaType : "扩展名 ." + extension;
  const std::string enSource =
      fromMediaType ? "the declared media type " + mediaType : "the extension ." + extension;
  const std::string zhContent =
      detected == "unknown" ? "无法识别内容格式" : "内容是 " + std::string(detected);
  const std::string enContent = detected == "unknown" ? "the content matches no known format"
                                                      : "the content is " + std::string(detected);
  addOnce(out.usability, "format_mismatch",
          zhContent + "，但" + zhSource + " 应为 " + expectedText + " (" + enContent + " but " +
              enSource + " means " + expectedText + ")");
  return out;
}

}  // namespace gongkai::archive
