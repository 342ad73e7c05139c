#include "gongkai/server/service/audit_trail.h"

#include "gongkai/server/service/client_pseudonym.h"
#include "gongkai/server/store/audit_repository.h"

namespace gongkai::server::service {

core::AuditEntry appendAudit(store::Transaction& tx, const Subject& subject, std::string action,
                             std::string objectType, std::string objectId,
                             std::optional<std::int64_t> objectVersion, std::string contentSha256) {
  core::AuditEntry draft;
  draft.actor = subject.id;
  draft.client = auditClientOf(subject);  // never a member of the public's address
  draft.action = std::move(action);
  draft.object_type = std::move(objectType);
  draft.object_id = std::move(objectId);
  draft.object_version = objectVersion;
  draft.content_sha256 = std::move(contentSha256);
  return store::AuditRepository::append(tx, std::move(draft));
}

}  // namespace gongkai::server::service
