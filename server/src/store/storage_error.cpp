#include "gongkai/server/store/storage_error.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

namespace gongkai::server::store {

core::Error storageError(const std::exception& e) {
  const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
  Poco::Logger::get("gongkai.store").error("store failed: %s", poco ? poco->displayText() : std::string(e.what()));
  return core::Error::make(core::ErrorCode::kIo, "storage_error",
                           "存储读写失败，详情已记录在服务器日志中 (the store failed; details are in "
                           "the server log)");
}

}  // namespace gongkai::server::store
