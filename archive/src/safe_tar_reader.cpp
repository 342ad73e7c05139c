#include "gongkai/archive/safe_tar_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gongkai/core/text.h"

namespace gongkai::archive {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kBlockSize = 64 * 1024;
constexpr std::size_t kStreamBlockSize = 1024 * 1024;
constexpr std::size_t kShownPathBytes = 300;

// Paths go into messages that end up in JSON reports and terminals: invalid bytes and control
// characters are shown as \xNN, and very long paths are cut.
std::string displayPath(std::string_view path) {
  std::string out;
  const auto appendEscaped = [&out](unsigned char c) {
    static const char kHex[] = "0123456789ABCDEF";
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  };
  while (!path.empty() && out.size() <= kShownPathBytes) {
    const std::size_t bad = std::min(core::firstInvalidUtf8(path), path.size());
    for (const char c : path.substr(0, bad)) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F) {
        appendEscaped(byte);
      } else {
        out += c;
      }
    }
    if (bad == path.size()) break;
    appendEscaped(static_cast<unsigned char>(path[bad]));
    path.remove_prefix(bad + 1);
  }
  if (out.size() > kShownPathBytes) {
    std::size_t cut = kShownPathBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

// Signatures of the compressors libarchive could otherwise be asked to undo. A first block with
// the ustar magic is a tar whatever its name begins with.
bool looksCompressed(const unsigned char* head, std::size_t size) {
  if (size >= 262 && std::memcmp(head + 257, "ustar", 5) == 0) return false;
  const auto starts = [&](std::string_view magic) {
    return size >= magic.size() && std::memcmp(head, magic.data(), magic.size()) == 0;
  };
  using namespace std::string_view_literals;
  return starts("\x1F\x8B"sv) ||                  // gzip
         starts("\x1F\x9D"sv) ||                  // compress
         starts("BZh"sv) ||                       // bzip2
         starts("\xFD\x37\x7A\x58\x5A\x00"sv) ||  // xz
         starts("\x28\xB5\x2F\xFD"sv) ||          // zstd
         starts("\x04\x22\x4D\x18"sv) ||          // lz4
         starts("LZIP"sv) ||                      // lzip
         starts("\x89LZO\x00"sv);                 // lzop
}

enum class Seen { kFile, kFolder, kImpliedFolder };

// A tar read from a pipe as it is written, for libarchive: first the bytes read ahead to look for
// compression, then the rest as it comes.
struct StreamSource {
  int fd = -1;
  std::vector<char> head;
  bool headGiven = false;
  std::vector<char> buffer = std::vector<char>(kStreamBlockSize);
};

la_ssize_t readStream(struct archive* archive, void* data, const void** out) {
  auto& source = *static_cast<StreamSource*>(data);
  if (!source.headGiven) {
    source.headGiven = true;
    if (!source.head.empty()) {
      *out = source.head.data();
      return static_cast<la_ssize_t>(source.head.size());
    }
  }
  while (true) {
    const ssize_t got = ::read(source.fd, source.buffer.data(), source.buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      archive_set_error(archive, errno, "read failed: %s", std::strerror(errno));
      return -1;
    }
    *out = source.buffer.data();
    return got;
  }
}

}  // namespace

struct SafeTarReader::State {
  TarLimits limits;
  locale_t utf8 = locale_t{};
  locale_t previous = locale_t{};
  int fd = -1;                           // owned: a file opened by path
  std::unique_ptr<StreamSource> stream;  // or a stream the caller owns
  struct archive* archive = nullptr;
  std::optional<Error> error;
  std::string root;
  std::unordered_map<std::string, Seen> seen;
  std::size_t seenBytes = 0;  // of the names in `seen`
  static constexpr std::size_t kMaxDepth = 64;
  static constexpr std::size_t kMaxSeenBytes = std::size_t{256} << 20;
  std::int64_t entries = 0;
  std::int64_t totalBytes = 0;
  bool finished = false;
  // The current entry, for read().
  std::string path;
  std::int64_t size = 0;
  std::int64_t bytesRead = 0;

  // `entryPath` is left out of the message when empty (no entry was read).
  bool refuse(ErrorCode code, const char* reason, const std::string& chinese,
              const std::string& english, std::string_view entryPath) {
    std::string message = chinese + " (" + english + ")";
    if (!entryPath.empty()) message += ": " + displayPath(entryPath);
    error = Error::make(code, reason, std::move(message));
    return false;
  }
  bool refuse(const char* reason, const std::string& chinese, const std::string& english,
              std::string_view entryPath) {
    return refuse(ErrorCode::kInvalidArgument, reason, chinese, english, entryPath);
  }
  // Refuses a compressed tar by its first bytes, else makes the reader, not yet opened. Tar
  // only, no decompression filters: a bundle is a plain pax tar, and every other format or
  // filter is more parsing of hostile input (some filters even run external programs).
  bool startTar(const unsigned char* head, std::size_t size, const std::string& name) {
    if (looksCompressed(head, size)) {
      return refuse("compressed", "归档是压缩文件，须为未压缩的 tar",
                    "compressed archive, plain tar expected", name);
    }
    archive = archive_read_new();
    archive_read_support_format_tar(archive);
    archive_read_support_filter_none(archive);
    return true;
  }
  bool corrupt(std::string_view entryPath) {
    const char* detail = archive != nullptr ? archive_error_string(archive) : nullptr;
    const std::string english =
        std::string("corrupt tar") + (detail ? ": " + std::string(detail) : "");
    return refuse(ErrorCode::kMalformed, "corrupt_tar", "归档损坏或被截断", english, entryPath);
  }

  bool checkPath(const std::string& path) {
    if (path.empty()) return refuse("invalid_path", "路径为空", "empty path", "");
    if (path.front() == '/')
      return refuse("absolute_path", "路径为绝对路径", "absolute path", path);
    std::vector<std::string_view> segments;
    for (std::size_t start = 0; start <= path.size();) {
      const std::size_t slash = std::min(path.find('/', start), path.size());
      segments.emplace_back(path.data() + start, slash - start);
      start = slash + 1;
    }
    for (const auto segment : segments) {
      if (segment == "..") return refuse("parent_path", "路径含 ..", "path contains ..", path);
    }
    // Every prefix of a path is remembered (checkPlacement), so a deep path costs memory of its
    // length times its depth: a bundle is a handful of levels deep, so refuse absurd depths.
    if (segments.size() > kMaxDepth) {
      return refuse("invalid_path", "路径层级过深", "path nested too deeply", path);
    }
    for (const auto segment : segments) {
      if (segment.empty() || segment == ".") {
        return refuse("invalid_path", "路径含空段或 .", "path has an empty or . segment", path);
      }
    }
    if (path.find('\\') != std::string::npos || core::hasControlCharacters(path, false)) {
      return refuse("invalid_path", "路径含反斜杠或控制字符",
                    "path contains a backslash or control character", path);
    }
    return true;
  }

  // One top-level folder shared by all, and no path twice: counting a folder implied by a deeper
  // path, so a file and a folder cannot share a name in any order.
  bool checkPlacement(const std::string& path, bool directory) {
    const std::size_t slash = path.find('/');
    const std::string first = path.substr(0, slash);
    if ((!root.empty() && first != root) || (slash == std::string::npos && !directory)) {
      return refuse("multiple_roots", "条目不在唯一的顶层文件夹下",
                    "entry outside the single top-level folder", path);
    }
    root = first;
    if (const auto it = seen.find(path); it != seen.end()) {
      if (it->second != Seen::kImpliedFolder || !directory) {
        return refuse("duplicate_entry", "路径重复", "duplicate path", path);
      }
      it->second = Seen::kFolder;
    } else {
      seen.emplace(path, directory ? Seen::kFolder : Seen::kFile);
    }
    seenBytes += path.size();
    for (std::size_t at = path.find('/'); at != std::string::npos; at = path.find('/', at + 1)) {
      const auto [it, inserted] = seen.try_emplace(path.substr(0, at), Seen::kImpliedFolder);
      if (!inserted && it->second == Seen::kFile) {
        return refuse("duplicate_entry", "路径与已有文件同名", "path is also a file", path);
      }
      if (inserted) seenBytes += at;
    }
    // The names remembered are bounded too, whatever the entry count allows.
    if (seenBytes > kMaxSeenBytes) {
      return refuse("too_many_entries", "条目名称总量过大", "too many or too long entry names",
                    path);
    }
    return true;
  }
};

SafeTarReader::SafeTarReader(TarLimits limits) : state_(std::make_unique<State>()) {
  state_->limits = limits;
  // As in the bag writer: libarchive converts names with this thread's locale, and in the C
  // locale every non-ASCII name would fail to convert.
  state_->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  state_->previous = state_->utf8 != locale_t{} ? uselocale(state_->utf8) : uselocale(locale_t{});
}

SafeTarReader::~SafeTarReader() {
  if (state_->archive != nullptr) archive_read_free(state_->archive);
  if (state_->fd >= 0) ::close(state_->fd);
  uselocale(state_->previous);
  if (state_->utf8 != locale_t{}) freelocale(state_->utf8);
}

core::Status SafeTarReader::open(const std::string& path) {
  State& s = *state_;
  if (s.archive != nullptr || s.fd >= 0 || s.error) {
    return Error::make(ErrorCode::kInternal, "already_open", "读取器已打开 (reader already open)");
  }
  s.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (s.fd < 0) {
    s.error = Error::make(
        ErrorCode::kIo, "cannot_open",
        "无法打开归档 (cannot open archive): " + displayPath(path) + ": " + std::strerror(errno));
    return *s.error;
  }
  unsigned char head[512];
  const ssize_t got = ::pread(s.fd, head, sizeof head, 0);
  if (!s.startTar(head, got > 0 ? static_cast<std::size_t>(got) : 0, path)) return *s.error;
  if (archive_read_open_fd(s.archive, s.fd, kBlockSize) != ARCHIVE_OK) {
    s.corrupt(path);
    return *s.error;
  }
  return core::okStatus();
}

core::Status SafeTarReader::openStream(int fd, const std::string& name) {
  State& s = *state_;
  if (s.archive != nullptr || s.fd >= 0 || s.error) {
    return Error::make(ErrorCode::kInternal, "already_open", "读取器已打开 (reader already open)");
  }
  s.stream = std::make_unique<StreamSource>();
  s.stream->fd = fd;
  // A pipe cannot be read at an offset: the first block is read ahead, looked at and then given
  // to libarchive before the rest.
  std::vector<char>& head = s.stream->head;
  head.resize(512);
  std::size_t have = 0;
  while (have < head.size()) {
    const ssize_t got = ::read(fd, head.data() + have, head.size() - have);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      s.error = Error::make(
          ErrorCode::kIo, "cannot_open",
          "无法读取归档 (cannot read archive): " + displayPath(name) + ": " + std::strerror(errno));
      return *s.error;
    }
    if (got == 0) break;
    have += static_cast<std::size_t>(got);
  }
  head.resize(have);
  if (!s.startTar(reinterpret_cast<const unsigned char*>(head.data()), have, name)) {
    return *s.error;
  }
  if (archive_read_open(s.archive, s.stream.get(), nullptr, readStream, nullptr) != ARCHIVE_OK) {
    s.corrupt(name);
    return *s.error;
  }
  return core::okStatus();
}

bool SafeTarReader::next(TarEntry& entry) {
  State& s = *state_;
  if (s.error || s.finished || s.archive == nullptr) return false;
  s.path.clear();
  s.size = s.bytesRead = 0;
  struct archive_entry* header = nullptr;
  const int status = archive_read_next_header(s.archive, &header);
  if (status == ARCHIVE_EOF) {
    s.finished = true;
    if (s.entries == 0) {
      return s.refuse(ErrorCode::kMalformed, "corrupt_tar", "归档中没有条目",
                      "archive has no entries", "");
    }
    return false;
  }
  if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return s.corrupt("");

  const char* utf8 = archive_entry_pathname_utf8(header);
  const char* raw = archive_entry_pathname(header);
  const std::string_view stored = raw != nullptr ? raw : utf8 != nullptr ? utf8 : "";
  if (++s.entries > s.limits.max_entries) {
    return s.refuse("too_many_entries", "条目过多", "too many entries", stored);
  }
  if (stored.size() > s.limits.max_path_bytes) {
    return s.refuse("invalid_path", "路径过长", "path too long", stored);
  }
  if (utf8 == nullptr || !core::isValidUtf8(utf8)) {
    return s.refuse("invalid_path", "路径不是有效的 UTF-8", "path is not valid UTF-8", stored);
  }
  const auto type = archive_entry_filetype(header);
  const bool directory = type == AE_IFDIR;
  std::string path = utf8;
  if (directory && path.size() > 1 && path.back() == '/') path.pop_back();
  if (!s.checkPath(path)) return false;

  if (archive_entry_hardlink(header) != nullptr || archive_entry_symlink(header) != nullptr ||
      type == AE_IFLNK) {
    return s.refuse("link_entry", "不允许链接", "links are not allowed", path);
  }
  if ((type != AE_IFREG && !directory) || archive_entry_sparse_count(header) > 0) {
    return s.refuse("special_entry", "只允许普通文件和文件夹",
                    "only regular files and folders are allowed", path);
  }
  // Whatever libarchive had to warn about (a name it could not convert, a malformed pax
  // record), a bundle the server wrote never causes it.
  if (status == ARCHIVE_WARN) return s.corrupt(path);

  const std::int64_t size = directory ? 0 : archive_entry_size(header);
  if (size < 0) return s.corrupt(path);
  if (size > s.limits.max_entry_bytes) {
    return s.refuse("entry_too_large", "文件过大", "entry too large", path);
  }
  if (size > s.limits.max_total_bytes - s.totalBytes) {
    return s.refuse("bundle_too_large", "归档总大小超出限制", "archive too large in total", path);
  }
  if (!s.checkPlacement(path, directory)) return false;
  s.totalBytes += size;

  s.path = path;
  s.size = size;
  entry.path = std::move(path);
  entry.directory = directory;
  entry.size = size;
  entry.mtime = archive_entry_mtime_is_set(header) ? archive_entry_mtime(header) : 0;
  return true;
}

std::int64_t SafeTarReader::read(char* buffer, std::size_t capacity) {
  State& s = *state_;
  if (s.error) return -1;
  if (s.path.empty() || s.bytesRead == s.size || capacity == 0) return 0;
  const la_ssize_t got = archive_read_data(s.archive, buffer, capacity);
  if (got < 0) {
    s.corrupt(s.path);
    return -1;
  }
  if (got == 0 || s.bytesRead + got > s.size) {
    // libarchive reports a short entry itself; this only guards against it not doing so.
    s.refuse(ErrorCode::kMalformed, "corrupt_tar", "文件数据与声明的大小不符",
             "entry data does not match its declared size", s.path);
    return -1;
  }
  s.bytesRead += got;
  return got;
}

const std::optional<core::Error>& SafeTarReader::error() const { return state_->error; }

const std::string& SafeTarReader::root() const { return state_->root; }

}  // namespace gongkai::archive
