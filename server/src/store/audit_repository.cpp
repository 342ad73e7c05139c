#include "gongkai/server/store/audit_repository.h"

#include <algorithm>

#include "gongkai/server/store/merkle_repository.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

core::AuditEntry AuditRepository::append(Transaction& tx, core::AuditEntry draft) {
  AuditTail& tail = tx.auditTail();
  draft.seq = tail.seq + 1;
  draft.prev_hash = tail.hash;
  // A clock stepped back must not make the log look reordered.
  draft.time = std::max(core::nowUtc(), tail.time);
  const std::string bytes = core::canonicalBytes(draft);
  const std::string hash = core::entryHash(bytes);
  tx.session().execute(
      "INSERT INTO audit_log (seq, entry, entry_hash, action, object_type, object_id) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {KeptValue::integer(draft.seq), KeptValue::text(bytes), KeptValue::text(hash),
       KeptValue::text(draft.action), KeptValue::text(draft.object_type),
       KeptValue::text(draft.object_id)});
  MerkleRepository::insertNodes(tx, tail.tree.add(core::merkle::leafHash(bytes)));
  tail.seq = draft.seq;
  tail.hash = hash;
  tail.time = draft.time;
  return draft;
}

std::pair<std::int64_t, core::merkle::Hash> AuditRepository::treeHead(Transaction& tx) {
  const AuditTail& tail = tx.auditTail();
  return {static_cast<std::int64_t>(tail.tree.size()), tail.tree.root()};
}

std::vector<StoredAuditEntry> AuditRepository::list(ReadSession& rs, std::int64_t after,
                                                    std::int64_t limit) {
  std::vector<Poco::Int64> seqs;
  std::vector<std::string> entries, hashes;
  Poco::Int64 from = after, count = limit;
  rs.session() << "SELECT seq, entry, entry_hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
      use(from), use(count), into(seqs), into(entries), into(hashes), now;
  std::vector<StoredAuditEntry> out;
  out.reserve(seqs.size());
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    out.push_back(StoredAuditEntry{seqs[i], std::move(entries[i]), std::move(hashes[i])});
  }
  return out;
}

std::vector<StoredAuditEntry> AuditRepository::listForObject(ReadSession& rs,
                                                             const std::string& objectType,
                                                             const std::string& objectId,
                                                             std::int64_t after,
                                                             std::int64_t limit) {
  std::vector<Poco::Int64> seqs;
  std::vector<std::string> entries, hashes;
  std::string type = objectType, id = objectId;
  Poco::Int64 from = after, count = limit;
  rs.session() << "SELECT seq, entry, entry_hash FROM audit_log WHERE object_type = ? AND "
                  "object_id = ? AND seq > ? ORDER BY seq LIMIT ?",
      use(type), use(id), use(from), use(count), into(seqs), into(entries), into(hashes), now;
  std::vector<StoredAuditEntry> out;
  out.reserve(seqs.size());
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    out.push_back(StoredAuditEntry{seqs[i], std::move(entries[i]), std::move(hashes[i])});
  }
  return out;
}

std::int64_t AuditRepository::size(ReadSession& rs) {
  Poco::Int64 count = 0;
  rs.session() << "SELECT COALESCE(MAX(seq), 0) FROM audit_log", into(count), now;
  return count;
}

std::optional<StoredAuditEntry> AuditRepository::at(ReadSession& rs, std::int64_t seq) {
  auto entries = list(rs, seq - 1, 1);
  if (entries.empty() || entries[0].seq != seq) return std::nullopt;
  return std::move(entries[0]);
}

}  // namespace gongkai::server::store
