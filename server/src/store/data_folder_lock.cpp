#include "gongkai/server/store/data_folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace gongkai::server::store {

namespace {

core::Error readOnlyFolder(const std::string& dataDir, int error) {
  return core::Error::make(
      core::ErrorCode::kUnavailable, "data_folder_read_only",
      "数据目录不可写（只读或无权限），服务器须能写入它才能启动 (the data folder is not "
      "writable, read-only or not ours; the server must write to it): " +
          dataDir + ": " + std::strerror(error));
}

}  // namespace

core::Status checkWritableFolder(const std::string& dataDir) {
  if (::access(dataDir.c_str(), W_OK) != 0 && (errno == EROFS || errno == EACCES)) {
    return readOnlyFolder(dataDir, errno);
  }
  return core::okStatus();
}

core::Result<std::unique_ptr<DataFolderLock>> DataFolderLock::acquire(const std::string& dataDir) {
  using core::Error;
  using core::ErrorCode;
  std::error_code made;
  std::filesystem::create_directories(dataDir, made);
  const std::string path = (std::filesystem::path(dataDir) / "lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EROFS || errno == EACCES)) return readOnlyFolder(dataDir, errno);
  if (fd < 0) {
    return Error::make(ErrorCode::kUnavailable, "data_folder_unusable",
                       "无法打开数据目录的锁文件 (cannot open the data folder's lock file) " +
                           path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char holder[32] = {};
    const ssize_t got = ::pread(fd, holder, sizeof holder - 1, 0);
    ::close(fd);
    std::string pid = got > 0 ? std::string(holder, static_cast<std::size_t>(got)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    if (error != EWOULDBLOCK) {
      return Error::make(ErrorCode::kUnavailable, "data_folder_unusable",
                         "无法锁定数据目录 (cannot lock the data folder) " + dataDir + ": " +
                             std::strerror(error));
    }
    return Error::make(
        ErrorCode::kUnavailable, "data_folder_in_use",
        "数据目录 " + dataDir + " 正由另一个进程使用" + (pid.empty() ? "" : "（pid " + pid + "）") +
            "：请先停止它；服务器运行时请通过 API 管理账户 (the data folder is in use by "
            "another process" +
            (pid.empty() ? "" : ", pid " + pid) +
            ": stop it first; while the server runs, manage accounts through the API)");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is only for the message; the claim holds without it.
  }
  return std::unique_ptr<DataFolderLock>(new DataFolderLock(fd));
}

DataFolderLock::~DataFolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock
}

}  // namespace gongkai::server::store
