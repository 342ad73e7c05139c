#include "gongkai/server/store/storage_error.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace gongkai::server::store {

core::Error diskFull() {
  return core::Error::make(
      core::ErrorCode::kInsufficientStorage, "insufficient_storage",
      "服务器存储空间不足，未保存任何内容，请稍后再试 (the server is out of disk space; "
      "nothing was saved, try again later)");
}

bool isDiskFull(const std::exception& e) {
  if (dynamic_cast<const Poco::Data::SQLite::DatabaseFullException*>(&e)) return true;
  if (const auto* system = dynamic_cast<const std::system_error*>(&e)) {
    const int code = system->code().value();
    return code == ENOSPC || code == EDQUOT;
  }
  return false;
}

core::Error storageError(const std::exception& e) {
  const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
  const std::string what = poco ? poco->displayText() : std::string(e.what());
  if (isDiskFull(e)) {
    Poco::Logger::get("gongkai.store").error("store failed, the disk is full: %s", what);
    return diskFull();
  }
  Poco::Logger::get("gongkai.store").error("store failed: %s", what);
  return core::Error::make(
      core::ErrorCode::kIo, "storage_error",
      "存储读写失败，详情已记录在服务器日志中 (the store failed; details are in "
      "the server log)");
}

}  // namespace gongkai::server::store
