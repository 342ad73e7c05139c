#pragma once

#include <cstdint>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// Read access to the audit log. Entries are written only by the services that make changes.
class AuditService {
 public:
  static constexpr std::int64_t kMaxPage = 1000;
  explicit AuditService(store::Store& store) : store_(store) {}

  // Entries with seq > after, in order; `limit` is clamped to 1..kMaxPage.
  core::Result<std::vector<store::StoredAuditEntry>> list(std::int64_t after, std::int64_t limit);
  core::Result<std::int64_t> size();

 private:
  store::Store& store_;
};

}  // namespace gongkai::server::service
