#include "gongkai/archive/file_inspector.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include "gongkai/core/media_types.h"
#include "gongkai/core/text.h"
#include "gongkai/core/zip_directory.h"

namespace gongkai::archive {
namespace {

constexpr std::size_t kHeadSize = 64 * 1024;
constexpr std::size_t kTailSize = 1024 * 1024;
// Enough for every magic number and the BMP header fields that sniff() reads.
constexpr std::size_t kSniffSize = 32;

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lowerAscii(c);
  return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equalsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Little-endian readers; callers have checked that the bytes exist.
std::uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    static_cast<unsigned char>(b[at + 1]) << 8);
}
std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(le16(b, at)) | static_cast<std::uint32_t>(le16(b, at + 2))
                                                       << 16;
}

bool hasAt(std::string_view b, std::size_t at, std::string_view magic) {
  return at <= b.size() && b.size() - at >= magic.size() && b.substr(at, magic.size()) == magic;
}

constexpr std::string_view kExecutableExtensions[] = {"exe", "dll", "com", "scr",   "msi",
                                                      "jar", "apk", "so",  "dylib", "lnk"};
constexpr std::string_view kScriptExtensions[] = {"bat", "cmd", "ps1", "vbs", "vbe",
                                                  "js",  "jse", "wsf", "wsh", "hta",
                                                  "sh",  "py",  "pl",  "php", "rb"};

// The lower-case extension of the last path segment. Trailing dots and spaces are dropped because
// Windows drops them too, so "a.exe." still runs as an executable.
std::string extensionOf(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : lowerAscii(name.substr(dot + 1));
}

enum class Danger { kNone, kExecutable, kScript };

Danger dangerOfExtension(std::string_view extension) {
  if (extension.empty()) return Danger::kNone;
  for (std::string_view e : kExecutableExtensions) {
    if (e == extension) return Danger::kExecutable;
  }
  for (std::string_view e : kScriptExtensions) {
    if (e == extension) return Danger::kScript;
  }
  return Danger::kNone;
}

bool isZipFamily(std::string_view format) {
  return format == "zip" || format == "ofd" || format == "docx" || format == "xlsx" ||
         format == "pptx" || format == "odt" || format == "ods" || format == "odp";
}

bool isTextFamily(std::string_view format) {
  return format == "text" || format == "html" || format == "xml";
}

// What the first bytes say. kNone covers text, which needs every byte to decide.
enum class Magic {
  kNone,
  kPdf,
  kZip,
  kPng,
  kJpeg,
  kGif,
  kTiff,
  kBmp,
  kWebp,
  kOle,
  kExecutable,
  kShebang,
};

// "BM" alone starts plenty of text, so a BMP also needs a plausible DIB header size.
bool looksLikeBmp(std::string_view head) {
  if (!hasAt(head, 0, "BM") || head.size() < 18) return false;
  const std::uint32_t dibSize = le32(head, 14);
  return dibSize == 12 || dibSize == 40 || dibSize == 52 || dibSize == 56 || dibSize == 64 ||
         dibSize == 108 || dibSize == 124;
}

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

// Whether a stream can be text: well-formed UTF-8 without NUL. Checking stops at the first NUL,
// which already rules text out.
class TextCheck {
 public:
  void feed(std::string_view piece) {
    if (sawNul_) return;
    const std::size_t nul = piece.find('\0');
    sawNul_ = nul != std::string_view::npos;
    utf8_.feed(piece.substr(0, nul));
  }
  bool valid() const { return utf8_.valid(); }
  bool sawNul() const { return sawNul_; }

 private:
  core::Utf8StreamValidator utf8_;
  bool sawNul_ = false;
};

// Case-insensitive search for one pattern in a stream (Knuth–Morris–Pratt), so a match split
// across chunks is found without keeping any bytes.
class StreamMatcher {
 public:
  explicit StreamMatcher(std::string_view lowerPattern) : pattern_(lowerPattern) {
    for (std::size_t i = 1, k = 0; i < pattern_.size(); ++i) {
      while (k > 0 && pattern_[i] != pattern_[k]) k = fallback_[k - 1];
      if (pattern_[i] == pattern_[k]) ++k;
      fallback_[i] = k;
    }
  }
  bool feed(unsigned char c) {
    const char lower = lowerAscii(static_cast<char>(c));
    while (matched_ > 0 && pattern_[matched_] != lower) matched_ = fallback_[matched_ - 1];
    if (pattern_[matched_] == lower) ++matched_;
    if (matched_ < pattern_.size()) return false;
    matched_ = fallback_[matched_ - 1];
    return true;
  }

 private:
  std::string_view pattern_;  // at most 16 bytes
  std::array<std::size_t, 16> fallback_{};
  std::size_t matched_ = 0;
};

// Finds script elements (<script…, also namespaced as <svg:script…) and javascript: URLs in HTML,
// XML or SVG. Nothing else of the markup is tracked: comments, CDATA and quoted values count too,
// since a false alarm is cheaper here than a missed script.
class MarkupScanner {
 public:
  void feed(const unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < n && !(script_ && javascriptUrl_); ++i) feedByte(p[i]);
  }
  bool scriptElement() const { return script_; }
  bool javascriptUrl() const { return javascriptUrl_; }

 private:
  enum class State { kText, kTagOpen, kTagName };

  void feedByte(unsigned char c) {
    if (javascript_.feed(c)) javascriptUrl_ = true;
    switch (state_) {
      case State::kText:
        if (c == '<') state_ = State::kTagOpen;
        break;
      case State::kTagOpen:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          state_ = State::kTagName;
          startLocalName();
          nameByte(c);
        } else if (c != '<') {
          state_ = State::kText;
        }
        break;
      case State::kTagName:
        if (c == '<') {
          state_ = State::kTagOpen;
        } else if (isSpace(c) || c == '/' || c == '>') {
          state_ = State::kText;
        } else if (c == ':') {
          startLocalName();
        } else {
          nameByte(c);
        }
        break;
    }
  }
  void startLocalName() {
    localMatched_ = 0;
    localMatches_ = true;
  }
  void nameByte(unsigned char c) {
    static constexpr std::string_view kScript = "script";
    if (!localMatches_ || localMatched_ == kScript.size()) return;
    if (lowerAscii(static_cast<char>(c)) != kScript[localMatched_]) {
      localMatches_ = false;
    } else if (++localMatched_ == kScript.size()) {
      script_ = true;
    }
  }

  State state_ = State::kText;
  std::size_t localMatched_ = 0;
  bool localMatches_ = false;
  bool script_ = false;
  bool javascriptUrl_ = false;
  StreamMatcher javascript_{"javascript:"};
};

// Reads every PDF name (/Name, with #xx escapes decoded) in the raw bytes and notes the dangerous
// ones. Strings and streams are not told apart from dictionaries on purpose: an unbalanced '(' in
// stream data would otherwise let a later /JavaScript hide, and a false alarm costs less.
class PdfNameScanner {
 public:
  void feed(const unsigned char* p, std::size_t n) {
    std::size_t i = 0;
    while (i < n) {
      // Outside a name only '/' matters: skip to it (most of a PDF is stream data).
      if (!inName_) {
        const void* slash = std::memchr(p + i, '/', n - i);
        if (slash == nullptr) return;
        i = static_cast<std::size_t>(static_cast<const unsigned char*>(slash) - p);
      }
      feedByte(p[i++]);
    }
  }
  void finish() { endName(); }

  bool javascript = false;
  bool launch = false;
  bool embeddedFile = false;
  bool encrypt = false;

 private:
  static bool isDelimiter(unsigned char c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
  }
  static bool isPdfSpace(unsigned char c) {
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
  }
  static int hexValue(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  void feedByte(unsigned char c) {
    if (!inName_) {
      if (c == '/') startName();
      return;
    }
    if (escape_ > 0) {
      const int value = hexValue(c);
      if (value >= 0 && escape_ == 1) {
        escapeHigh_ = static_cast<unsigned char>(c);
        escape_ = 2;
        return;
      }
      if (value >= 0) {
        nameByte(static_cast<unsigned char>(hexValue(escapeHigh_) * 16 + value));
        escape_ = 0;
        return;
      }
      flushEscape();  // not an escape after all: the '#' (and digit) are literal
    }
    if (isPdfSpace(c) || isDelimiter(c)) {
      endName();
      if (c == '/') startName();
      return;
    }
    if (c == '#') {
      escape_ = 1;
      return;
    }
    nameByte(c);
  }
  void startName() {
    inName_ = true;
    length_ = 0;
    tooLong_ = false;
    escape_ = 0;
  }
  void nameByte(unsigned char c) {
    if (length_ == name_.size()) {
      tooLong_ = true;
      return;
    }
    name_[length_++] = static_cast<char>(c);
  }
  void flushEscape() {
    nameByte('#');
    if (escape_ == 2) nameByte(escapeHigh_);
    escape_ = 0;
  }
  void endName() {
    if (!inName_) return;
    if (escape_ > 0) flushEscape();
    inName_ = false;
    if (tooLong_) return;
    const std::string_view name(name_.data(), length_);
    if (name == "JavaScript" || name == "JS") javascript = true;
    if (name == "Launch") launch = true;
    if (name == "EmbeddedFile" || name == "EmbeddedFiles" || name == "FileAttachment" ||
        name == "RichMedia") {
      embeddedFile = true;
    }
    if (name == "Encrypt") encrypt = true;
  }

  bool inName_ = false;
  int escape_ = 0;  // 1 after '#', 2 after '#' and one hex digit
  unsigned char escapeHigh_ = 0;
  std::array<char, 16> name_{};  // longer than any name looked for
  std::size_t length_ = 0;
  bool tooLong_ = false;
};

// An entry name as it may appear in a message: names are untrusted bytes (GBK, control
// characters), and reports must stay valid UTF-8 and one line.
std::string printableName(std::string_view name) {
  constexpr std::size_t kMaxLength = 200;
  // NUL is among the control characters refused here.
  const auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
  const bool plain = core::isValidUtf8(name) && std::none_of(name.begin(), name.end(), control);
  std::string out;
  for (char c : name) {
    const auto b = static_cast<unsigned char>(c);
    // Cut only before a lead byte, so a plain name stays valid UTF-8.
    if (out.size() >= kMaxLength && (!plain || (b & 0xC0) != 0x80)) return out + "…";
    if (plain || (b >= 0x20 && b < 0x7f)) {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

void addOnce(std::vector<FileProblem>& problems, std::string code, std::string message) {
  for (const FileProblem& p : problems) {
    if (p.code == code) return;
  }
  problems.push_back({std::move(code), std::move(message)});
}

// What the central directory of a ZIP says, as far as the checks need it.
struct ZipDirectory {
  bool read = false;
  std::string problemCode;  // "truncated" or "zip_directory_unreadable" when !read
  std::string problemMessage;
  bool ofdRoot = false;
  bool wordDocument = false;
  bool excelWorkbook = false;
  bool presentation = false;
  std::string encryptedEntry;
  std::string vbaEntry;
  std::string odfMacroEntry;
  std::string dangerousEntry;
};

ZipDirectory unreadable(std::string why) {
  ZipDirectory dir;
  dir.problemCode = "zip_directory_unreadable";
  dir.problemMessage = std::move(why);
  return dir;
}

void noteZipEntry(ZipDirectory& dir, std::string_view name, std::uint16_t flags,
                  std::uint16_t method) {
  // Bit 0: traditional or AES encryption; bit 6: strong encryption; method 99: AES.
  if (((flags & 0x0001) != 0 || (flags & 0x0040) != 0 || method == 99) &&
      dir.encryptedEntry.empty()) {
    dir.encryptedEntry = printableName(name);
  }
  if (name == "OFD.xml") dir.ofdRoot = true;
  if (name == "word/document.xml") dir.wordDocument = true;
  if (name == "xl/workbook.xml") dir.excelWorkbook = true;
  if (name == "ppt/presentation.xml") dir.presentation = true;

  const std::string lower = lowerAscii(name);
  const std::size_t slash = lower.find_last_of("/\\");
  const std::string_view base = slash == std::string::npos
                                    ? std::string_view(lower)
                                    : std::string_view(lower).substr(slash + 1);
  const bool officeFolder =
      lower.starts_with("word/") || lower.starts_with("xl/") || lower.starts_with("ppt/");
  if (dir.vbaEntry.empty() &&
      (base == "vbaproject.bin" ||
       (officeFolder && base.starts_with("vbaproject") && base.ends_with(".bin")))) {
    dir.vbaEntry = printableName(name);
  }
  if (dir.odfMacroEntry.empty() && (lower.starts_with("basic/") || lower.starts_with("scripts/"))) {
    dir.odfMacroEntry = printableName(name);
  }
  if (dir.dangerousEntry.empty() && !lower.ends_with("/") &&
      dangerOfExtension(extensionOf(lower)) != Danger::kNone) {
    dir.dangerousEntry = printableName(name);
  }
}

// The inspector's message for what the shared reader finds wrong with a directory.
std::string unreadableMessage(core::ZipProblem problem) {
  switch (problem) {
    case core::ZipProblem::kZip64RecordOutOfRange:
      return "ZIP64 目录结尾记录不在可检查范围内 (ZIP64 end of central directory record is out of "
             "range)";
    case core::ZipProblem::kZip64RecordDamaged:
      return "ZIP64 目录结尾记录损坏 (ZIP64 end of central directory record is damaged)";
    case core::ZipProblem::kDirectoryOutsideFile:
      return "ZIP 中央目录位置超出文件范围 (ZIP central directory lies outside the file)";
    case core::ZipProblem::kDirectoryBeforeWindow:
      return "ZIP 中央目录过大，超出可检查的末尾 1 MiB (ZIP central directory is larger than the "
             "last 1 MiB that can be checked)";
    case core::ZipProblem::kEntryOverrun:
      return "ZIP 中央目录条目越界 (ZIP central directory entry overruns the directory)";
    case core::ZipProblem::kEntryCountMismatch:
      return "ZIP 中央目录条目数与结尾记录不符 (ZIP central directory entry count does not match "
             "its end record)";
    default:  // a damaged entry or ZIP64 extra field
      return "ZIP 中央目录条目损坏 (ZIP central directory entry is damaged)";
  }
}

// Reads the central directory from `tail`, the last bytes of a file of `total` bytes, and notes
// what the checks need. No entry limit: the directory must fit in the tail, which bounds the walk.
ZipDirectory readZipDirectory(std::string_view tail, std::uint64_t total) {
  core::ZipEndRecord end;
  const core::ZipProblem endProblem = core::findZipEndRecord(tail, total, end);
  if (endProblem == core::ZipProblem::kNoEndRecord) {
    ZipDirectory dir;
    dir.problemCode = "truncated";
    dir.problemMessage =
        "找不到 ZIP 中央目录结尾记录，文件可能不完整 (no ZIP end of central directory record; the "
        "file may be truncated)";
    return dir;
  }
  if (endProblem != core::ZipProblem::kNone) return unreadable(unreadableMessage(endProblem));
  if (end.multiVolume()) return unreadable("不支持分卷 ZIP (multi-volume ZIP is not supported)");
  std::vector<core::ZipDirectoryEntry> entries;
  const core::ZipReadLimits limits{std::numeric_limits<std::uint64_t>::max()};
  if (const core::ZipProblem problem = core::readZipDirectory(tail, total, end, limits, entries);
      problem != core::ZipProblem::kNone) {
    return unreadable(unreadableMessage(problem));
  }
  ZipDirectory dir;
  for (const core::ZipDirectoryEntry& entry : entries) {
    noteZipEntry(dir, entry.name, entry.flags, entry.method);
  }
  dir.read = true;
  return dir;
}

// The OpenDocument type from the stored "mimetype" entry that ODF puts first in the archive.
std::string_view odfFormatFromHead(std::string_view head) {
  constexpr std::size_t kLocalSize = 30;
  if (head.size() < kLocalSize) return {};
  const std::uint16_t method = le16(head, 8);
  const std::uint32_t size = le32(head, 18);
  const std::size_t nameLength = le16(head, 26);
  const std::size_t extraLength = le16(head, 28);
  if (method != 0 || nameLength != 8 || !hasAt(head, kLocalSize, "mimetype")) return {};
  const std::size_t content = kLocalSize + nameLength + extraLength;
  if (content > head.size() || head.size() - content < size) return {};
  const std::string_view mimetype = head.substr(content, size);
  if (mimetype == "application/vnd.oasis.opendocument.text") return "odt";
  if (mimetype == "application/vnd.oasis.opendocument.spreadsheet") return "ods";
  if (mimetype == "application/vnd.oasis.opendocument.presentation") return "odp";
  return {};
}

std::string_view textFormatFromHead(std::string_view head, std::string_view expected) {
  if (expected == "html") return "html";
  if (hasAt(head, 0, "\xEF\xBB\xBF")) head.remove_prefix(3);
  while (!head.empty() && isSpace(static_cast<unsigned char>(head.front()))) head.remove_prefix(1);
  if (startsWithIgnoreCase(head, "<!doctype html") || startsWithIgnoreCase(head, "<html")) {
    return "html";
  }
  if (head.starts_with("<?xml") || head.starts_with("<svg")) return "xml";
  if (expected == "xml" && head.starts_with("<")) return "xml";
  return "text";
}

}  // namespace

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
  if (s.scanPdf) s.pdf.feed(bytes, size);
}

FileFindings FileInspector::finish() {
  State& s = *state_;
  if (!s.findings) s.findings = s.inspect();
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
      if (tailView.find("%%EOF") == std::string_view::npos) {
        addOnce(
            out.usability, "truncated",
            "PDF 末尾缺少 %%EOF，文件可能不完整 (PDF has no %%EOF near its end; the file may be "
            "truncated)");
      }
      if (pdf.javascript) {
        addOnce(out.safety, "javascript", "PDF 含有 JavaScript (PDF contains JavaScript)");
      }
      if (pdf.launch) {
        addOnce(out.safety, "launch",
                "PDF 含有启动外部程序的动作 (PDF contains a Launch action that runs programs)");
      }
      if (pdf.embeddedFile) {
        addOnce(out.safety, "embedded_file",
                "PDF 含有嵌入文件或富媒体 (PDF contains embedded files or rich media)");
      }
      if (pdf.encrypt) {
        addOnce(out.safety, "encrypted", "PDF 已加密 (PDF is encrypted)");
      }
      break;
    case Magic::kZip: {
      const ZipDirectory dir = readZipDirectory(tailView, total);
      const std::string_view odf = odfFormatFromHead(headView);
      if (!dir.read) {
        addOnce(out.usability, dir.problemCode, dir.problemMessage);
        formatKnownForSure = !odf.empty();
      }
      if (dir.ofdRoot) {
        out.format = "ofd";
      } else if (!odf.empty()) {
        out.format = odf;
      } else if (dir.wordDocument) {
        out.format = "docx";
      } else if (dir.excelWorkbook) {
        out.format = "xlsx";
      } else if (dir.presentation) {
        out.format = "pptx";
      }
      if (!dir.encryptedEntry.empty()) {
        addOnce(out.safety, "encrypted",
                "压缩包内条目已加密：" + dir.encryptedEntry +
                    " (entry is encrypted: " + dir.encryptedEntry + ")");
      }
      if (!dir.vbaEntry.empty()) {
        addOnce(out.safety, "macro",
                "文档含有 VBA 宏：" + dir.vbaEntry +
                    " (document contains VBA macros: " + dir.vbaEntry + ")");
      }
      if (!odf.empty() && !dir.odfMacroEntry.empty()) {
        addOnce(out.safety, "macro",
                "文档含有宏或脚本：" + dir.odfMacroEntry +
                    " (document contains macros or scripts: " + dir.odfMacroEntry + ")");
      }
      if (!dir.dangerousEntry.empty()) {
        addOnce(out.safety, "executable",
                "压缩包内含有可执行程序或脚本：" + dir.dangerousEntry +
                    " (archive contains an executable or script: " + dir.dangerousEntry + ")");
      }
      break;
    }
    case Magic::kPng: {
      using namespace std::string_view_literals;
      if (!hasAt(headView, 12, "IHDR")) {
        addOnce(out.usability, "corrupt", "PNG 缺少 IHDR 块 (PNG has no IHDR chunk)");
      }
      if (!tailView.ends_with("\0\0\0\0IEND\xAE\x42\x60\x82"sv)) {
        addOnce(
            out.usability, "truncated",
            "PNG 不以 IEND 块结束，文件可能不完整 (PNG does not end with an IEND chunk; the file "
            "may be truncated)");
      }
      break;
    }
    case Magic::kJpeg: {
      // Some writers pad a JPEG with zero bytes after its end marker; that still opens.
      std::string_view trimmed = tailView;
      while (trimmed.size() > 2 && trimmed.back() == '\0') trimmed.remove_suffix(1);
      if (!trimmed.ends_with("\xFF\xD9")) {
        addOnce(
            out.usability, "truncated",
            "JPEG 缺少结束标记 FF D9，文件可能不完整 (JPEG has no FF D9 end marker; the file may "
            "be truncated)");
      }
      break;
    }
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
    if (markup.scriptElement()) {
      addOnce(out.safety, "script",
              "标记文档含有 <script> 元素 (markup contains a <script> element)");
    }
    if (markup.javascriptUrl()) {
      addOnce(out.safety, "script",
              "标记文档含有 javascript: 链接 (markup contains a javascript: URL)");
    }
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
