#include "gongkai/server/service/audit_service.h"

#include <algorithm>

namespace gongkai::server::service {

core::Result<std::vector<store::StoredAuditEntry>> AuditService::list(std::int64_t after,
                                                                       std::int64_t limit) {
  try {
    auto session = store_.read();
    return store::AuditRepository::list(*session, std::max<std::int64_t>(after, 0),
                                        std::clamp<std::int64_t>(limit, 1, kMaxPage));
  } catch (const std::exception& e) {
    return core::Error::make(core::ErrorCode::kIo, "storage_error", e.what());
  }
}

core::Result<std::int64_t> AuditService::size() {
  try {
    auto session = store_.read();
    return store::AuditRepository::size(*session);
  } catch (const std::exception& e) {
    return core::Error::make(core::ErrorCode::kIo, "storage_error", e.what());
  }
}

}  // namespace gongkai::server::service
