#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gongkai/core/audit_entry.h"
#include "gongkai/server/service/subject.h"

namespace gongkai::server::store {
class Transaction;
}

namespace gongkai::server::service {

// Appends, inside `tx`, the audit entry for `action` by `subject` on one object whose resulting
// state hashes to `contentSha256`; returns the entry as stored (its seq links the object's row).
core::AuditEntry appendAudit(store::Transaction& tx, const Subject& subject, std::string action,
                             std::string objectType, std::string objectId,
                             std::optional<std::int64_t> objectVersion, std::string contentSha256);

}  // namespace gongkai::server::service
