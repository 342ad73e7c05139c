#include "private_folder.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace gongkai::server::admin {
namespace fs = std::filesystem;

bool isMissingOrEmpty(const std::string& path) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(path, error))) return true;
  return fs::is_directory(fs::symlink_status(path, error)) && fs::is_empty(path, error) && !error;
}

core::Status makePrivateFolder(const std::string& path) {
  std::error_code error;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, error);
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return core::Error::make(
        core::ErrorCode::kIo, "io_error",
        "无法创建目录 (cannot create the folder) " + path + ": " + std::strerror(errno));
  }
  if (::chmod(path.c_str(), 0700) != 0) {
    return core::Error::make(
        core::ErrorCode::kIo, "io_error",
        "无法设置目录权限 (cannot set the folder's mode) " + path + ": " + std::strerror(errno));
  }
  return core::okStatus();
}

}  // namespace gongkai::server::admin
