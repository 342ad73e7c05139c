#include "gongkai/server/store/request_repository.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <stdexcept>

#include "gongkai/server/store/search_repository.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;
using Poco::Data::Session;

namespace {

core::DisclosureRequest decode(const std::string& record) {
  auto parsed = core::parseDisclosureRequest(record);
  if (!parsed.ok()) throw std::runtime_error(parsed.error().message);
  return std::move(parsed).value();
}

std::optional<core::DisclosureRequest> currentIn(Session& session, std::int64_t id) {
  std::vector<std::string> records;
  Poco::Int64 key = id;
  session << "SELECT v.record FROM disclosure_requests r JOIN disclosure_request_versions v "
             "ON v.request_id = r.id AND v.version = r.current_version WHERE r.id = ?",
      use(key), into(records), now;
  if (records.empty()) return std::nullopt;
  return decode(records.front());
}

}  // namespace

std::int64_t RequestRepository::nextId(Transaction& tx) {
  Poco::Int64 next = 0;
  tx.session() << "SELECT COALESCE(MAX(id), 0) + 1 FROM disclosure_requests", into(next), now;
  return next;
}

void RequestRepository::saveVersion(Transaction& tx, const core::DisclosureRequest& r,
                                    const std::string& canonical, const std::string& sha256,
                                    std::int64_t auditSeq) {
  const Poco::Int64 id = r.id, version = r.version, seq = auditSeq;
  const std::string status(core::toString(r.status)), decideBy = r.decide_by.toString(),
                                                      received = core::formatRfc3339(r.received_at);
  if (r.version == 1) {
    tx.session() << "INSERT INTO disclosure_requests (id, current_version, status, decide_by, "
                    "received_at, receipt_sha256, org_unit) VALUES (?, ?, ?, ?, ?, ?, ?)",
        bind(id), bind(version), bind(status), bind(decideBy), bind(received),
        bind(r.receipt_sha256), bind(r.org_unit), now;
  } else {
    tx.session() << "UPDATE disclosure_requests SET current_version = ?, status = ?, "
                    "decide_by = ?, org_unit = ? WHERE id = ?",
        bind(version), bind(status), bind(decideBy), bind(r.org_unit), bind(id), now;
  }
  tx.session() << "INSERT INTO disclosure_request_versions (request_id, version, record, "
                  "record_sha256, audit_seq) VALUES (?, ?, ?, ?, ?)",
      bind(id), bind(version), bind(canonical), bind(sha256), bind(seq), now;
  SearchRepository::enqueue(tx, r.id, r.version, "request");
}

std::optional<core::DisclosureRequest> RequestRepository::current(Transaction& tx,
                                                                  std::int64_t id) {
  return currentIn(tx.session(), id);
}

std::optional<core::DisclosureRequest> RequestRepository::current(ReadSession& rs,
                                                                  std::int64_t id) {
  return currentIn(rs.session(), id);
}

std::optional<core::DisclosureRequest> RequestRepository::byReceipt(ReadSession& rs,
                                                                    const std::string& sha256) {
  std::vector<Poco::Int64> ids;
  std::string key = sha256;
  rs.session() << "SELECT id FROM disclosure_requests WHERE receipt_sha256 = ?", use(key),
      into(ids), now;
  if (ids.empty()) return std::nullopt;
  return currentIn(rs.session(), ids.front());
}

namespace {

// The filter's conditions on `disclosure_requests r`, parameters ?1 to ?4.
constexpr const char* kRequestWhere =
    "WHERE (?1 IS NULL OR r.status = ?1) "
    "AND (?2 IS NULL OR r.org_unit IN (SELECT value FROM json_each(?2))) "
    "AND (?3 = '' OR r.received_at >= ?3) AND (?4 = '' OR r.received_at < ?4) ";

}  // namespace

std::vector<core::DisclosureRequest> RequestRepository::list(ReadSession& rs,
                                                             const RequestFilter& filter) {
  Poco::Nullable<std::string> status = nullable(filter.status), units = unitList(filter.units);
  std::string from = filter.received_from, before = filter.received_before;
  Poco::Int64 limit = filter.limit, offset = filter.offset;
  std::vector<std::string> records;
  rs.session() << std::string(
                      "SELECT v.record FROM disclosure_requests r JOIN "
                      "disclosure_request_versions v ON v.request_id = r.id AND "
                      "v.version = r.current_version ") +
                      kRequestWhere + "ORDER BY r.id DESC LIMIT ?5 OFFSET ?6",
      use(status), use(units), use(from), use(before), use(limit), use(offset), into(records), now;
  std::vector<core::DisclosureRequest> out;
  out.reserve(records.size());
  for (const auto& record : records) out.push_back(decode(record));
  return out;
}

std::int64_t RequestRepository::count(ReadSession& rs, const RequestFilter& filter) {
  Poco::Nullable<std::string> status = nullable(filter.status), units = unitList(filter.units);
  std::string from = filter.received_from, before = filter.received_before;
  Poco::Int64 total = 0;
  rs.session() << std::string("SELECT COUNT(*) FROM disclosure_requests r ") + kRequestWhere,
      use(status), use(units), use(from), use(before), into(total), now;
  return total;
}

}  // namespace gongkai::server::store
