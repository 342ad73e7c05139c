#include "durable_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "gongkai/core/sha256.h"

namespace gongkai::server::admin {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kBufferBytes = 1 << 20;

Error fileError(const std::string& what, const std::string& path) {
  const int error = errno;
  return Error::make(error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                     error == ENOENT ? "file_missing" : "io_error",
                     what + " " + path + ": " + std::strerror(error));
}

// Streams `in` to `out` (or nowhere when out < 0) while hashing.
core::Result<FileDigest> pump(int in, int out, const std::string& from, const std::string& to) {
  core::Sha256 hasher;
  std::vector<char> buffer(kBufferBytes);
  std::int64_t total = 0;
  for (;;) {
    const ssize_t got = ::read(in, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fileError("无法读取 (cannot read)", from);
    if (got == 0) break;
    hasher.update(buffer.data(), static_cast<std::size_t>(got));
    total += got;
    for (ssize_t written = 0; out >= 0 && written < got;) {
      const ssize_t put =
          ::write(out, buffer.data() + written, static_cast<std::size_t>(got - written));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) return fileError("无法写入 (cannot write)", to);
      written += put;
    }
  }
  return FileDigest{core::toHex(hasher.finish()), total};
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

core::Result<FileDigest> copyHashed(const std::string& from, const std::string& to, mode_t mode) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return fileError("无法打开 (cannot open)", from);
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (out.get() < 0) return fileError("无法创建 (cannot create)", to);
  auto digest = pump(in.get(), out.get(), from, to);
  if (digest.ok() && ::fsync(out.get()) != 0) digest = fileError("无法写入 (cannot sync)", to);
  if (!digest.ok()) ::unlink(to.c_str());
  return digest;
}

core::Result<FileDigest> hashFile(const std::string& path) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return fileError("无法打开 (cannot open)", path);
  return pump(in.get(), -1, path, "");
}

bool syncFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

bool syncFolder(const std::string& folder) {
  Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

std::string syncFoldersUpTo(const std::set<std::string>& folders, const std::string& root) {
  const std::filesystem::path top = std::filesystem::path(root).lexically_normal();
  std::set<std::string> all{top.string()};
  for (const auto& folder : folders) {
    for (auto p = std::filesystem::path(folder).lexically_normal();
         p != top && p.has_relative_path() && p != p.parent_path(); p = p.parent_path()) {
      all.insert(p.string());
    }
  }
  // Deepest first: a folder's entries before the entry naming it.
  std::vector<std::string> order(all.begin(), all.end());
  std::sort(order.begin(), order.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& folder : order) {
    if (!syncFolder(folder)) return folder;
  }
  return "";
}

}  // namespace gongkai::server::admin
