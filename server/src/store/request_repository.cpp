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
                    "received_at, receipt_sha256) VALUES (?, ?, ?, ?, ?, ?)",
        bind(id), bind(version), bind(status), bind(decideBy), bind(received),
        bind(r.receipt_sha256), now;
  } else {
    tx.session() << "UPDATE disclosure_requests SET current_version = ?, status = ?, "
                    "decide_by = ? WHERE id = ?",
        bind(version), bind(status), bind(decideBy), bind(id), now;
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

std::vector<core::DisclosureRequest> RequestRepository::list(
    ReadSession& rs, const std::optional<std::string>& status, std::int64_t limit) {
  Poco::Nullable<std::string> wanted =
      status ? Poco::Nullable<std::string>(*status) : Poco::Nullable<std::string>();
  Poco::Int64 count = limit;
  std::vector<std::string> records;
  rs.session() << "SELECT v.record FROM disclosure_requests r JOIN disclosure_request_versions v "
                  "ON v.request_id = r.id AND v.version = r.current_version "
                  "WHERE (?1 IS NULL OR r.status = ?1) ORDER BY r.id DESC LIMIT ?2",
      use(wanted), use(count), into(records), now;
  std::vector<core::DisclosureRequest> out;
  for (const auto& record : records) out.push_back(decode(record));
  return out;
}

}  // namespace gongkai::server::store
