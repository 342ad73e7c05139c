#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/merkle.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// An audit entry as stored: its canonical bytes and their hash.
struct StoredAuditEntry {
  std::int64_t seq = 0;
  std::string bytes;
  std::string hash;
};

// All SQL about the audit log. Functions throw Poco exceptions on database failure.
class AuditRepository {
 public:
  // Appends `draft` to the chain inside `tx`: fills in seq, time (never earlier than the entry
  // before) and prev_hash, stores the canonical bytes, and returns the entry as stored.
  static core::AuditEntry append(Transaction& tx, core::AuditEntry draft);

  // The size and root of the Merkle tree over everything appended so far in `tx`.
  static std::pair<std::int64_t, core::merkle::Hash> treeHead(Transaction& tx);

  // Entries with seq > `after`, in order, at most `limit`.
  static std::vector<StoredAuditEntry> list(ReadSession& rs, std::int64_t after,
                                            std::int64_t limit);
  // The entries about one object (e.g. "document", "12") with seq > `after`, in order.
  static std::vector<StoredAuditEntry> listForObject(ReadSession& rs, const std::string& objectType,
                                                     const std::string& objectId,
                                                     std::int64_t after, std::int64_t limit);
  static std::int64_t size(ReadSession& rs);
  static std::optional<StoredAuditEntry> at(ReadSession& rs, std::int64_t seq);
};

}  // namespace gongkai::server::store
