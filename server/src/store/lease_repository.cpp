#include "gongkai/server/store/lease_repository.h"

#include "sql_conditions.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

namespace {

std::vector<Lease> selectLeases(SqlSession& session, const std::string& where,
                                const std::vector<SqlValue>& values) {
  std::vector<std::string> names, holders, addresses;
  std::vector<Poco::Int64> expiries;
  runSelect(session, "SELECT name, holder, address, expires_at_ms FROM leases" + where, values,
            names, holders, addresses, expiries);
  std::vector<Lease> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out.push_back({names[i], holders[i], addresses[i], expiries[i]});
  }
  return out;
}

}  // namespace

Lease LeaseRepository::claim(Transaction& tx, const std::string& name, const std::string& holder,
                             const std::string& address, std::int64_t nowMs,
                             std::int64_t expiresAtMs) {
  BorrowedReadSession rs(tx.session());
  const std::optional<Lease> held = find(rs, name);
  const Lease mine{name, holder, address, expiresAtMs};
  if (!held) {
    tx.session() << "INSERT INTO leases (name, holder, address, expires_at_ms) VALUES (?, ?, ?, ?)",
        bind(name), bind(holder), bind(address), bind(Poco::Int64{expiresAtMs}), now;
    return mine;
  }
  if (held->holder != holder && held->expires_at_ms > nowMs) return *held;
  tx.session() << "UPDATE leases SET holder = ?, address = ?, expires_at_ms = ? WHERE name = ?",
      bind(holder), bind(address), bind(Poco::Int64{expiresAtMs}), bind(name), now;
  return mine;
}

void LeaseRepository::release(Transaction& tx, const std::string& name, const std::string& holder) {
  tx.session() << "DELETE FROM leases WHERE name = ? AND holder = ?", bind(name), bind(holder), now;
}

// Names are ours (no % or _ in the prefixes used), so LIKE needs no escaping.
void LeaseRepository::dropAll(Transaction& tx, const std::string& prefix) {
  tx.session() << "DELETE FROM leases WHERE name LIKE ?", bind(prefix + "%"), now;
}

std::optional<Lease> LeaseRepository::find(ReadSession& rs, const std::string& name) {
  auto found = selectLeases(rs.session(), " WHERE name = ?", {name});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Lease> LeaseRepository::live(ReadSession& rs, const std::string& prefix,
                                         std::int64_t nowMs) {
  return selectLeases(rs.session(), " WHERE name LIKE ? AND expires_at_ms > ? ORDER BY name",
                      {prefix + "%", Poco::Int64{nowMs}});
}

}  // namespace gongkai::server::store
