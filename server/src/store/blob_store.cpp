#include "gongkai/server/store/blob_store.h"

#include <Poco/Logger.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "gongkai/core/sha256.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::store {
namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

namespace {

// What failed goes to the log (it names paths); the client learns whether the disk is full.
Error ioError(const std::string& what) {
  const int error = errno;
  Poco::Logger::get("gongkai.store")
      .error("blob store: %s: %s", what, std::string(std::strerror(error)));
  if (error == ENOSPC || error == EDQUOT) return diskFull();
  return Error::make(
      ErrorCode::kIo, "storage_error",
      "文件存储失败，详情已记录在服务器日志中 (storing the file failed; details are in the "
      "server log)");
}

bool fsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string uniqueTempName() {
  static std::atomic<std::uint64_t> counter{0};
  return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".part";
}

}  // namespace

StagedBlob::StagedBlob(std::string tempPath, std::string sha256, std::int64_t size)
    : tempPath_(std::move(tempPath)), sha256_(std::move(sha256)), size_(size) {}

StagedBlob::StagedBlob(StagedBlob&& other) noexcept
    : tempPath_(std::move(other.tempPath_)), sha256_(std::move(other.sha256_)), size_(other.size_) {
  other.tempPath_.clear();
}

StagedBlob& StagedBlob::operator=(StagedBlob&& other) noexcept {
  if (this != &other) {
    if (!tempPath_.empty()) ::unlink(tempPath_.c_str());
    tempPath_ = std::move(other.tempPath_);
    sha256_ = std::move(other.sha256_);
    size_ = other.size_;
    other.tempPath_.clear();
  }
  return *this;
}

StagedBlob::~StagedBlob() {
  if (!tempPath_.empty()) ::unlink(tempPath_.c_str());
}

core::Result<BlobStore> BlobStore::open(const std::string& root) {
  std::error_code ec;
  fs::create_directories(fs::path(root) / "blobs", ec);
  if (ec)
    return Error::make(ErrorCode::kIo, "storage_error",
                       "无法创建 (cannot create) " + root + ": " + ec.message());
  const fs::path tmp = fs::path(root) / "tmp";
  fs::create_directories(tmp, ec);
  if (ec)
    return Error::make(ErrorCode::kIo, "storage_error",
                       "无法创建 (cannot create) " + tmp.string() + ": " + ec.message());
  // Partial uploads of an earlier run can never be promoted; they are only garbage now.
  for (const auto& entry : fs::directory_iterator(tmp, ec)) fs::remove(entry.path(), ec);
  return BlobStore(root);
}

core::Result<StagedBlob> BlobStore::stage(std::istream& in, std::int64_t maxBytes,
                                          Durability durability) const {
  const std::string tempPath = (fs::path(root_) / "tmp" / uniqueTempName()).string();
  const int fd = ::open(tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return ioError("open " + tempPath);
  // From here the StagedBlob owns the file and removes it on every failure path.
  StagedBlob staged(tempPath, "", 0);
  core::Sha256 hasher;
  // Not zeroed: read() fills what is used. Zeroing 256 KiB cost every upload, however small,
  // and under ASan, where the buffer is a fresh mapping each time, most of a small one's time.
  constexpr std::size_t kBufferBytes = 256 * 1024;
  const std::unique_ptr<char[]> buffer(new char[kBufferBytes]);
  std::int64_t total = 0;
  auto fail = [&](Error error) {
    ::close(fd);
    return error;
  };
  while (true) {
    in.read(buffer.get(), static_cast<std::streamsize>(kBufferBytes));
    const std::streamsize got = in.gcount();
    if (got > 0) {
      total += got;
      if (total > maxBytes) {
        return fail(Error::make(ErrorCode::kTooLarge, "payload_too_large",
                                "文件超过上限 " + std::to_string(maxBytes) +
                                    " 字节 (file exceeds the limit of " + std::to_string(maxBytes) +
                                    " bytes)"));
      }
      hasher.update(buffer.get(), static_cast<std::size_t>(got));
      for (std::streamsize written = 0; written < got;) {
        const ssize_t n =
            ::write(fd, buffer.get() + written, static_cast<std::size_t>(got - written));
        if (n < 0) {
          if (errno == EINTR) continue;
          return fail(ioError("write " + tempPath));
        }
        written += n;
      }
    }
    if (in.eof()) break;
    if (in.bad() || (in.fail() && got == 0)) {
      return fail(Error::make(ErrorCode::kMalformed, "truncated_body",
                              "上传数据不完整 (upload stream broke off)"));
    }
  }
  if (durability == Durability::kNow && ::fsync(fd) != 0) return fail(ioError("fsync " + tempPath));
  if (::close(fd) != 0) return ioError("close " + tempPath);
  staged.sha256_ = core::toHex(hasher.finish());
  staged.size_ = total;
  return staged;
}

core::Status BlobStore::promote(StagedBlob& blob, Durability durability) const {
  const bool syncNow = durability == Durability::kNow;
  if (blob.tempPath_.empty()) return core::okStatus();
  const fs::path dir = fs::path(root_) / "blobs" / blob.sha256_.substr(0, 2);
  std::error_code ec;
  const bool created = fs::create_directory(dir, ec);
  if (ec) {
    errno = ec.value();
    return ioError("mkdir " + dir.string());
  }
  if (created && syncNow && !fsyncPath(dir.parent_path().string(), O_RDONLY | O_DIRECTORY)) {
    return ioError("fsync " + dir.parent_path().string());
  }
  const fs::path target = dir / blob.sha256_;
  if (fs::exists(target, ec)) {
    ::unlink(blob.tempPath_.c_str());  // identical contents are already stored
  } else {
    if (::rename(blob.tempPath_.c_str(), target.c_str()) != 0)
      return ioError("rename " + target.string());
    if (syncNow && !fsyncPath(dir.string(), O_RDONLY | O_DIRECTORY)) {
      return ioError("fsync " + dir.string());
    }
  }
  blob.tempPath_.clear();
  return core::okStatus();
}

core::Status BlobStore::syncAll() const {
  const std::string folder = (fs::path(root_) / "blobs").string();
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ioError("open " + folder);
  const bool ok = ::syncfs(fd) == 0;
  const int error = errno;
  ::close(fd);
  errno = error;
  if (!ok) return ioError("syncfs " + folder);
  return core::okStatus();
}

std::string BlobStore::pathOf(const std::string& sha256) const {
  return (fs::path(root_) / "blobs" / sha256.substr(0, 2) / sha256).string();
}

bool BlobStore::contains(const std::string& sha256) const {
  std::error_code ec;
  return core::isSha256Hex(sha256) && fs::is_regular_file(pathOf(sha256), ec);
}

core::Status BlobStore::remove(const std::string& sha256) const {
  if (!core::isSha256Hex(sha256)) return core::okStatus();
  const fs::path target = pathOf(sha256);
  if (::unlink(target.c_str()) != 0 && errno != ENOENT) return ioError("unlink " + target.string());
  if (!fsyncPath(target.parent_path().string(), O_RDONLY | O_DIRECTORY)) {
    return ioError("fsync " + target.parent_path().string());
  }
  return core::okStatus();
}

}  // namespace gongkai::server::store
