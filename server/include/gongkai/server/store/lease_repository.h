#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// Who holds a named lease, where to reach them (e.g. the index writer's replication address)
// and until when (milliseconds since the Unix epoch, by the holder's clock).
struct Lease {
  std::string name;
  std::string holder;
  std::string address;
  std::int64_t expires_at_ms = 0;
};

// The leases table. Writes run one transaction at a time (SQLite's write lock, PostgreSQL's
// writers' advisory lock: see SqlDialect::writerTurn), so reading a lease and then taking it in
// the same transaction cannot race another server doing the same.
class LeaseRepository {
 public:
  // Takes `name` for `holder` until `expiresAtMs` when it is free, expired at `nowMs` or already
  // the holder's (a renewal); otherwise leaves it. Returns the lease as it stands afterwards.
  static Lease claim(Transaction& tx, const std::string& name, const std::string& holder,
                     const std::string& address, std::int64_t nowMs, std::int64_t expiresAtMs);
  // Gives `name` up at once, if `holder` holds it.
  static void release(Transaction& tx, const std::string& name, const std::string& holder);
  // Drops every lease whose name starts with `prefix`, whoever holds it.
  static void dropAll(Transaction& tx, const std::string& prefix);
  static std::optional<Lease> find(ReadSession& rs, const std::string& name);
  // Leases whose name starts with `prefix` that are still held at `nowMs`.
  static std::vector<Lease> live(ReadSession& rs, const std::string& prefix, std::int64_t nowMs);
};

}  // namespace gongkai::server::store
