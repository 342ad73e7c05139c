// Text extraction: which format a file is, and reading it within the limits.
#include "gongkai/indexer/extract.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <system_error>

#include "extract_detail.h"
#include "gongkai/core/media_types.h"
#include "gongkai/core/text.h"

namespace gongkai::indexer {
namespace detail {

void fail(std::string code, const std::string& message) {
  throw ExtractError(std::move(code), message);
}

void Deadline::check() const {
  if (std::chrono::steady_clock::now() >= end_) {
    fail("timeout", "提取文本超时 (extraction took longer than allowed)");
  }
}

void TextSink::append(std::string_view text) {
  // Keep a few bytes past the cap so that a cut shows as text longer than the cap.
  const std::size_t room = cap_ + 4 > text_.size() ? cap_ + 4 - text_.size() : 0;
  text_.append(text.substr(0, room));
}

void TextSink::lineBreak() {
  if (!text_.empty() && text_.back() != '\n') append('\n');
}

bool truncateUtf8(std::string& text, std::size_t max) {
  if (text.size() <= max) return false;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return true;
}

}  // namespace detail

namespace {

using detail::ExtractError;
using detail::fail;

constexpr std::size_t kSniffBytes = 8192;

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// From the local headers in the first bytes of a zip; extractFile reads the central directory.
std::string zipFormatFromHead(std::string_view head) {
  if (head.find("word/document.xml") != std::string_view::npos) return "docx";
  if (head.find("application/vnd.oasis.opendocument.text") != std::string_view::npos) return "odt";
  if (head.find("OFD.xml") != std::string_view::npos) return "ofd";
  if (head.find("content.xml") != std::string_view::npos) return "odt";
  return "";
}

// The formats extractAs reads; core's table knows more (images, spreadsheets) that have no text
// to extract here, and those fall through to the name and to sniffing.
std::string extractable(std::string_view format) {
  constexpr std::string_view kExtracted[] = {"text", "html", "pdf", "docx", "odt", "ofd"};
  for (std::string_view known : kExtracted) {
    if (format == known) return std::string(format);
  }
  return "";
}

std::string formatFromMediaType(std::string_view mediaType) {
  return extractable(core::formatForMediaType(mediaType));
}

std::string formatFromName(std::string_view fileName) {
  const std::size_t dot = fileName.rfind('.');
  if (dot == std::string_view::npos) return "";
  return extractable(core::formatForExtension(fileName.substr(dot + 1)));
}

bool hasUtf16Bom(std::string_view head) {
  return startsWith(head, "\xFF\xFE") || startsWith(head, "\xFE\xFF");
}

// Text has no NUL and no control characters beyond layout ones (UTF-16 needs its BOM).
bool looksLikeText(std::string_view head) {
  if (hasUtf16Bom(head)) return true;
  return std::none_of(head.begin(), head.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B;
  });
}

// The file's bytes, or only its first `upTo` bytes.
std::string readFile(const std::string& path, const ExtractionLimits& limits,
                     std::uintmax_t upTo = std::numeric_limits<std::uintmax_t>::max()) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) fail("malformed", "无法读取文件 (cannot read file: " + error.message() + ")");
  if (size > limits.max_input_bytes) {
    fail("too_large", "文件过大，未提取文本 (file larger than " +
                          std::to_string(limits.max_input_bytes) + " bytes)");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(std::min(size, upTo), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    fail("malformed", "无法读取文件 (cannot read file)");
  }
  return bytes;
}

// How much of a plain-text file can give max_text_bytes of UTF-8: no encoding we read takes
// more than two bytes of input for one byte of output (UTF-16 ASCII), so the rest would be cut
// anyway, and a file of tens of MB then costs the reader no more than a few. A character split
// at the end decodes as one U+FFFD, which the cut to max_text_bytes removes.
std::uintmax_t plainTextPrefix(const ExtractionLimits& limits) {
  return 2 * static_cast<std::uintmax_t>(limits.max_text_bytes) + 8;
}

// The format of a whole file: a zip is judged by its central directory when it has one.
std::string formatOf(std::string_view bytes, std::string_view mediaType, std::string_view fileName,
                     const ExtractionLimits& limits) {
  std::string format = detectFormat(bytes.substr(0, kSniffBytes), mediaType, fileName);
  if (startsWith(bytes, "PK\x03\x04")) {
    try {
      const std::string inside = detail::zipFormat(detail::zipEntryNames(bytes, limits));
      if (!inside.empty()) format = inside;
    } catch (const ExtractError&) {
      // A broken zip keeps the format its name gives; reading it reports what is wrong.
    }
  }
  return format;
}

std::string extractAs(const std::string& format, std::string_view bytes,
                      const ExtractionLimits& limits, const detail::Deadline& deadline) {
  if (format == "text") return detail::decodeText(bytes);
  if (format == "html") return detail::extractHtml(bytes, deadline);
  if (format == "docx") return detail::extractDocx(bytes, limits, deadline);
  if (format == "odt") return detail::extractOdt(bytes, limits, deadline);
  if (format == "ofd") return detail::extractOfd(bytes, limits, deadline);
  if (format == "pdf") return detail::extractPdf(bytes, limits, deadline);
  fail("unsupported_format", "不支持的文件格式，未提取文本 (unsupported file format)");
}

// Messages can quote libraries (libarchive's carry newlines) and file names: one line of valid
// UTF-8, as the isolated runner's status line and JSON answers need.
std::string cleanMessage(const std::string& message) {
  std::string clean =
      core::isValidUtf8(message) ? message : detail::decodeCharset(message, "UTF-8");
  std::replace_if(
      clean.begin(), clean.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');
  return clean;
}

Extraction failure(std::string format, const std::string& code, const std::string& message) {
  Extraction result;
  result.format = std::move(format);
  result.error_code = code;
  result.message = cleanMessage(message);
  return result;
}

}  // namespace

namespace detail {

std::string asciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace detail

std::string detectFormat(std::string_view head, std::string_view mediaType,
                         std::string_view fileName) {
  // PDF readers accept junk before the header; such files still come through type or name.
  if (startsWith(head, "%PDF-")) return "pdf";
  if (startsWith(head, "PK\x03\x04")) {
    if (std::string format = zipFormatFromHead(head); !format.empty()) return format;
  }
  std::string format = formatFromMediaType(mediaType);
  if (format.empty()) format = formatFromName(fileName);
  const std::string_view sniff = head.substr(0, kSniffBytes);
  if (format.empty() && !sniff.empty() && looksLikeText(sniff)) {
    const std::string start = detail::asciiLower(sniff.substr(0, 256));
    format = start.find("<html") != std::string::npos ||
                     start.find("<!doctype html") != std::string::npos
                 ? "html"
                 : "text";
  }
  // Binary content is never text, whatever its name says.
  if ((format == "text" || format == "html") && !hasUtf16Bom(sniff) &&
      sniff.find('\0') != std::string_view::npos) {
    return "";
  }
  return format;
}

Extraction extractFile(const std::string& path, std::string_view mediaType,
                       std::string_view fileName, const ExtractionLimits& limits) {
  const detail::Deadline deadline(limits.time_limit);
  std::string format;
  try {
    const std::string head = readFile(path, limits, kSniffBytes);
    const bool plainText =
        !startsWith(head, "PK\x03\x04") && detectFormat(head, mediaType, fileName) == "text";
    const std::string bytes =
        plainText ? readFile(path, limits, plainTextPrefix(limits)) : readFile(path, limits);
    std::error_code sizeError;
    const bool readInPart = plainText && std::filesystem::file_size(path, sizeError) > bytes.size();
    format = formatOf(bytes, mediaType, fileName, limits);
    Extraction result;
    result.format = format;
    result.text = extractAs(format, bytes, limits, deadline);
    if (!core::isValidUtf8(result.text)) result.text = detail::decodeCharset(result.text, "UTF-8");
    // Cut before trimming: trimming first could make a cut text look complete.
    result.truncated = detail::truncateUtf8(result.text, limits.max_text_bytes) || readInPart;
    while (!result.text.empty() && (result.text.back() == '\n' || result.text.back() == ' ')) {
      result.text.pop_back();
    }
    result.ok = true;
    return result;
  } catch (const ExtractError& error) {
    return failure(format, error.code(), error.what());
  } catch (const std::bad_alloc&) {
    return failure(format, "too_large", "提取所需内存超出限制 (out of memory while extracting)");
  }
}

}  // namespace gongkai::indexer
