#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gongkai::server::store {

class ReadSession;
class Transaction;

// Record kinds kept version by version: each version the canonical record, its hash, and the
// audit entry that made it.
enum class VersionedKind { kDocument, kCatalogueItem, kFeedback, kDisclosureRequest };

// The audit log's object type for the kind: "document", "catalogue_item", "feedback",
// "disclosure_request".
const char* objectTypeOf(VersionedKind kind);

struct StoredVersion {
  std::int64_t owner_id = 0;
  std::int64_t version = 0;
  std::string record;
  std::string record_sha256;
  std::int64_t audit_seq = 0;
};

// Inserts the row of one version: the canonical record, its hash and the audit entry that made
// it. The kind's repository keeps its current row beside it. Throws Poco exceptions on database
// failure (a version stored twice among them).
void insertVersion(Transaction& tx, VersionedKind kind, std::int64_t ownerId, std::int64_t version,
                   const std::string& record, const std::string& recordSha256,
                   std::int64_t auditSeq);

// Every stored version of the records with id > `afterOwner`, at most `ownerLimit` records'
// worth, by id then version: for the state check of `gongkai verify-log`. Throws Poco exceptions
// on database failure.
std::vector<StoredVersion> storedVersions(ReadSession& rs, VersionedKind kind,
                                          std::int64_t afterOwner, std::int64_t ownerLimit);

// The versions of one record made by audit entries up to `maxSeq`, oldest first: the record as
// of a checkpoint (what an annual bundle takes in).
std::vector<StoredVersion> versionsUpTo(ReadSession& rs, VersionedKind kind, std::int64_t ownerId,
                                        std::int64_t maxSeq);

}  // namespace gongkai::server::store
