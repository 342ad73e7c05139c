#include "gongkai/server/store/versioned_records.h"

#include <Poco/Data/Statement.h>

#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

namespace {

struct Tables {
  const char* versions;  // the versions table
  const char* owner;     // its column naming the record
  const char* records;   // the table of the records themselves
};

Tables tablesOf(VersionedKind kind) {
  switch (kind) {
    case VersionedKind::kDocument:
      return {"document_versions", "document_id", "documents"};
    case VersionedKind::kCatalogueItem:
      return {"catalogue_item_versions", "item_id", "catalogue_items"};
    case VersionedKind::kFeedback:
      return {"feedback_versions", "feedback_id", "feedback"};
    case VersionedKind::kDisclosureRequest:
      return {"disclosure_request_versions", "request_id", "disclosure_requests"};
  }
  return {"", "", ""};
}

}  // namespace

const char* objectTypeOf(VersionedKind kind) {
  switch (kind) {
    case VersionedKind::kDocument:
      return "document";
    case VersionedKind::kCatalogueItem:
      return "catalogue_item";
    case VersionedKind::kFeedback:
      return "feedback";
    case VersionedKind::kDisclosureRequest:
      return "disclosure_request";
  }
  return "";
}

void insertVersion(Transaction& tx, VersionedKind kind, std::int64_t ownerId, std::int64_t version,
                   const std::string& record, const std::string& recordSha256,
                   std::int64_t auditSeq) {
  const Tables t = tablesOf(kind);
  // Kept prepared (one statement per kind): every version of every kind is written here.
  tx.session().execute(
      std::string("INSERT INTO ") + t.versions + " (" + t.owner +
          ", version, record, record_sha256, audit_seq) VALUES (?, ?, ?, ?, ?)",
      {KeptValue::integer(ownerId), KeptValue::integer(version), KeptValue::text(record),
       KeptValue::text(recordSha256), KeptValue::integer(auditSeq)});
}

std::vector<StoredVersion> storedVersions(ReadSession& rs, VersionedKind kind,
                                          std::int64_t afterOwner, std::int64_t ownerLimit) {
  const Tables t = tablesOf(kind);
  std::vector<Poco::Int64> owners, versions, seqs;
  std::vector<std::string> records, hashes;
  Poco::Int64 after = afterOwner, count = ownerLimit;
  rs.session() << std::string("SELECT ") + t.owner +
                      ", version, record, record_sha256, audit_seq "
                      "FROM " +
                      t.versions + " WHERE " + t.owner + " IN (SELECT id FROM " + t.records +
                      " WHERE id > ? ORDER BY id LIMIT ?) ORDER BY " + t.owner + ", version",
      use(after), use(count), into(owners), into(versions), into(records), into(hashes), into(seqs),
      now;
  std::vector<StoredVersion> out;
  for (std::size_t i = 0; i < owners.size(); ++i) {
    out.push_back({owners[i], versions[i], std::move(records[i]), std::move(hashes[i]), seqs[i]});
  }
  return out;
}

std::vector<StoredVersion> versionsUpTo(ReadSession& rs, VersionedKind kind, std::int64_t ownerId,
                                        std::int64_t maxSeq) {
  const Tables t = tablesOf(kind);
  std::vector<Poco::Int64> versions, seqs;
  std::vector<std::string> records, hashes;
  Poco::Int64 id = ownerId, limit = maxSeq;
  rs.session() << std::string("SELECT version, record, record_sha256, audit_seq FROM ") +
                      t.versions + " WHERE " + t.owner + " = ? AND audit_seq <= ? ORDER BY version",
      use(id), use(limit), into(versions), into(records), into(hashes), into(seqs), now;
  std::vector<StoredVersion> out;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    out.push_back({ownerId, versions[i], std::move(records[i]), std::move(hashes[i]), seqs[i]});
  }
  return out;
}

}  // namespace gongkai::server::store
