#include "gongkai/server/store/feedback_repository.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <stdexcept>

#include "gongkai/server/store/search_repository.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;
using Poco::Data::Session;

namespace {

core::FeedbackRecord decode(const std::string& record) {
  auto parsed = core::parseFeedbackRecord(record);
  if (!parsed.ok()) throw std::runtime_error(parsed.error().message);
  return std::move(parsed).value();
}

std::vector<core::FeedbackRecord> decodeAll(const std::vector<std::string>& records) {
  std::vector<core::FeedbackRecord> out;
  out.reserve(records.size());
  for (const auto& record : records) out.push_back(decode(record));
  return out;
}

std::optional<core::FeedbackRecord> currentIn(Session& session, std::int64_t id) {
  std::vector<std::string> records;
  Poco::Int64 key = id;
  session << "SELECT v.record FROM feedback f JOIN feedback_versions v "
             "ON v.feedback_id = f.id AND v.version = f.current_version WHERE f.id = ?",
      use(key), into(records), now;
  if (records.empty()) return std::nullopt;
  return decode(records.front());
}

}  // namespace

std::int64_t FeedbackRepository::nextId(Transaction& tx) {
  Poco::Int64 next = 0;
  tx.session() << "SELECT COALESCE(MAX(id), 0) + 1 FROM feedback", into(next), now;
  return next;
}

void FeedbackRepository::saveVersion(Transaction& tx, const core::FeedbackRecord& r,
                                     const std::string& canonical, const std::string& sha256,
                                     std::int64_t auditSeq) {
  const Poco::Int64 id = r.id, version = r.version, seq = auditSeq;
  const std::string status(core::toString(r.status)), deadline = r.deadline.toString(),
                                                      received = core::formatRfc3339(r.received_at);
  if (r.version == 1) {
    tx.session() << "INSERT INTO feedback (id, current_version, status, channel, org_unit, "
                    "category, deadline, received_at, receipt_sha256) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(id), bind(version), bind(status), bind(r.channel), bind(r.org_unit), bind(r.category),
        bind(deadline), bind(received), bind(r.receipt_sha256), now;
  } else {
    tx.session() << "UPDATE feedback SET current_version = ?, status = ?, org_unit = ?, "
                    "category = ?, deadline = ? WHERE id = ?",
        bind(version), bind(status), bind(r.org_unit), bind(r.category), bind(deadline), bind(id),
        now;
  }
  tx.session() << "INSERT INTO feedback_versions (feedback_id, version, record, record_sha256, "
                  "audit_seq) VALUES (?, ?, ?, ?, ?)",
      bind(id), bind(version), bind(canonical), bind(sha256), bind(seq), now;
  SearchRepository::enqueue(tx, r.id, r.version, "feedback");
}

std::optional<core::FeedbackRecord> FeedbackRepository::current(Transaction& tx, std::int64_t id) {
  return currentIn(tx.session(), id);
}

std::optional<core::FeedbackRecord> FeedbackRepository::current(ReadSession& rs, std::int64_t id) {
  return currentIn(rs.session(), id);
}

std::optional<core::FeedbackRecord> FeedbackRepository::byReceipt(ReadSession& rs,
                                                                  const std::string& sha256) {
  std::vector<Poco::Int64> ids;
  std::string key = sha256;
  rs.session() << "SELECT id FROM feedback WHERE receipt_sha256 = ?", use(key), into(ids), now;
  if (ids.empty()) return std::nullopt;
  return currentIn(rs.session(), ids.front());
}

namespace {

// The filter's conditions on `feedback f`, parameters ?1 to ?6 (see bindFilter).
constexpr const char* kFeedbackWhere =
    "WHERE (?1 IS NULL OR f.status = ?1) AND (?2 IS NULL OR f.org_unit = ?2) "
    "AND (?3 IS NULL OR f.channel = ?3) AND (?4 IS NULL OR (f.deadline < ?4 "
    "AND f.status IN ('received', 'assigned', 'in_progress'))) "
    "AND (?5 IS NULL OR f.org_unit IN (SELECT value FROM json_each(?5))) "
    "AND (?6 = '' OR f.received_at >= ?6) AND (?7 = '' OR f.received_at < ?7) ";

struct FeedbackParameters {
  explicit FeedbackParameters(const FeedbackFilter& filter)
      : status(nullable(filter.status)),
        unit(nullable(filter.org_unit)),
        channel(nullable(filter.channel)),
        overdue(nullable(filter.overdue_on)),
        units(unitList(filter.units)),
        from(filter.received_from),
        before(filter.received_before) {}
  Poco::Nullable<std::string> status, unit, channel, overdue, units;
  std::string from, before;
};

}  // namespace

std::vector<core::FeedbackRecord> FeedbackRepository::list(ReadSession& rs,
                                                           const FeedbackFilter& filter) {
  FeedbackParameters p(filter);
  Poco::Int64 limit = filter.limit, offset = filter.offset;
  std::vector<std::string> records;
  rs.session() << std::string(
                      "SELECT v.record FROM feedback f JOIN feedback_versions v "
                      "ON v.feedback_id = f.id AND v.version = f.current_version ") +
                      kFeedbackWhere + "ORDER BY f.id DESC LIMIT ?8 OFFSET ?9",
      use(p.status), use(p.unit), use(p.channel), use(p.overdue), use(p.units), use(p.from),
      use(p.before), use(limit), use(offset), into(records), now;
  return decodeAll(records);
}

std::int64_t FeedbackRepository::count(ReadSession& rs, const FeedbackFilter& filter) {
  FeedbackParameters p(filter);
  Poco::Int64 total = 0;
  rs.session() << std::string("SELECT COUNT(*) FROM feedback f ") + kFeedbackWhere, use(p.status),
      use(p.unit), use(p.channel), use(p.overdue), use(p.units), use(p.from), use(p.before),
      into(total), now;
  return total;
}

std::vector<core::FeedbackRecord> FeedbackRepository::versions(ReadSession& rs, std::int64_t id) {
  std::vector<std::string> records;
  Poco::Int64 key = id;
  rs.session() << "SELECT record FROM feedback_versions WHERE feedback_id = ? ORDER BY version",
      use(key), into(records), now;
  return decodeAll(records);
}

}  // namespace gongkai::server::store
