#include "gongkai/server/store/case_repository.h"

#include <Poco/Data/Statement.h>

#include <stdexcept>

#include "case_tables.h"
#include "gongkai/server/store/search_repository.h"
#include "gongkai/server/store/versioned_records.h"
#include "sql_conditions.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

using Poco::Data::Statement;

namespace {

// A column of the records table a list filters on, with its value; `on_insert_only` for what
// never changes after the case is received.
struct Column {
  const char* name;
  std::string value;
  bool on_insert_only = false;
};

template <typename Record>
struct Kind;

template <>
struct Kind<core::FeedbackRecord> {
  static constexpr VersionedKind kVersioned = VersionedKind::kFeedback;
  static constexpr const CaseTables& kTables = kFeedbackTables;
  static core::Result<core::FeedbackRecord> parse(std::string_view record) {
    return core::parseFeedbackRecord(record);
  }
  static std::vector<Column> columns(const core::FeedbackRecord& r) {
    return {{"status", std::string(core::toString(r.status))},
            {"org_unit", r.org_unit},
            {"category", r.category},
            {"deadline", r.deadline.toString()},
            {"channel", r.channel, true},
            {"received_at", core::formatRfc3339(r.received_at), true},
            {"receipt_sha256", r.receipt_sha256, true}};
  }
};

template <>
struct Kind<core::DisclosureRequest> {
  static constexpr VersionedKind kVersioned = VersionedKind::kDisclosureRequest;
  static constexpr const CaseTables& kTables = kRequestTables;
  static core::Result<core::DisclosureRequest> parse(std::string_view record) {
    return core::parseDisclosureRequest(record);
  }
  static std::vector<Column> columns(const core::DisclosureRequest& r) {
    return {{"status", std::string(core::toString(r.status))},
            {"org_unit", r.org_unit},
            {"decide_by", r.decide_by.toString()},
            {"received_at", core::formatRfc3339(r.received_at), true},
            {"receipt_sha256", r.receipt_sha256, true}};
  }
};

template <typename Record>
std::vector<Record> decodeAll(const std::vector<std::string>& records) {
  std::vector<Record> out;
  out.reserve(records.size());
  for (const auto& record : records) {
    auto parsed = Kind<Record>::parse(record);
    if (!parsed.ok()) throw std::runtime_error(parsed.error().message);
    out.push_back(std::move(parsed).value());
  }
  return out;
}

template <typename Record>
std::optional<Record> currentIn(SqlSession& session, std::int64_t id) {
  const CaseTables& t = Kind<Record>::kTables;
  std::vector<std::string> records;
  Poco::Int64 key = id;
  session << std::string("SELECT v.record FROM ") + t.current + " WHERE c.id = ?", use(key),
      into(records), now;
  if (records.empty()) return std::nullopt;
  return std::move(decodeAll<Record>(records).front());
}

// Inserts the case's row at its first version, or moves the row to a later one.
void saveRow(SqlSession& session, const CaseTables& t, Poco::Int64 id, Poco::Int64 version,
             const std::vector<Column>& columns) {
  std::string sql;
  std::vector<SqlValue> values;
  if (version == 1) {
    std::string names = "id, current_version", marks = "?, ?";
    values = {id, version};
    for (const auto& column : columns) {
      names += std::string(", ") + column.name;
      marks += ", ?";
      values.push_back(column.value);
    }
    sql = std::string("INSERT INTO ") + t.records + " (" + names + ") VALUES (" + marks + ")";
  } else {
    std::string sets = "current_version = ?";
    values = {version};
    for (const auto& column : columns) {
      if (column.on_insert_only) continue;
      sets += std::string(", ") + column.name + " = ?";
      values.push_back(column.value);
    }
    values.push_back(id);
    sql = std::string("UPDATE ") + t.records + " SET " + sets + " WHERE id = ?";
  }
  Statement statement = session << sql;
  bindValues(statement, values);
  statement.execute();
}

// The filter's conditions on the records table `c`, only those the filter gives.
SqlPart whereOf(const SqlDialect& dialect, const CaseTables& t, const CaseFilter& filter) {
  SqlConditions conditions;
  if (filter.status) conditions.add("c.status = ?", {*filter.status});
  if (filter.org_unit) conditions.add("c.org_unit = ?", {*filter.org_unit});
  if (filter.channel) {
    // A kind that records no channel has no case that came in by one.
    if (t.channel)
      conditions.add(std::string(t.channel) + " = ?", {*filter.channel});
    else
      conditions.add("1 = 0");
  }
  if (filter.overdue_on) {
    conditions.add(std::string(t.deadline) + " < ? AND " + t.open, {*filter.overdue_on});
  }
  if (filter.units) conditions.add(inList(dialect, "c.org_unit", *filter.units));
  return conditions.where();
}

}  // namespace

template <typename Record>
std::int64_t CaseRepository<Record>::nextId(Transaction& tx) {
  Poco::Int64 next = 0;
  tx.session() << std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") +
                      Kind<Record>::kTables.records,
      into(next), now;
  return next;
}

template <typename Record>
void CaseRepository<Record>::saveVersion(Transaction& tx, const Record& r,
                                         const std::string& canonical, const std::string& sha256,
                                         std::int64_t auditSeq) {
  const CaseTables& t = Kind<Record>::kTables;
  const Poco::Int64 id = r.id, version = r.version;
  saveRow(tx.session(), t, id, version, Kind<Record>::columns(r));
  insertVersion(tx, Kind<Record>::kVersioned, id, version, canonical, sha256, auditSeq);
  SearchRepository::enqueue(tx, r.id, r.version, t.search_kind);
}

template <typename Record>
std::optional<Record> CaseRepository<Record>::current(Transaction& tx, std::int64_t id) {
  return currentIn<Record>(tx.session(), id);
}

template <typename Record>
std::optional<Record> CaseRepository<Record>::current(ReadSession& rs, std::int64_t id) {
  return currentIn<Record>(rs.session(), id);
}

template <typename Record>
std::optional<Record> CaseRepository<Record>::byReceipt(ReadSession& rs,
                                                        const std::string& sha256) {
  std::vector<Poco::Int64> ids;
  std::string key = sha256;
  rs.session() << std::string("SELECT id FROM ") + Kind<Record>::kTables.records +
                      " WHERE receipt_sha256 = ?",
      use(key), into(ids), now;
  if (ids.empty()) return std::nullopt;
  return currentIn<Record>(rs.session(), ids.front());
}

template <typename Record>
std::vector<Record> CaseRepository<Record>::list(ReadSession& rs, const CaseFilter& filter) {
  const CaseTables& t = Kind<Record>::kTables;
  SqlPart where = whereOf(rs.session().dialect(), t, filter);
  where.values.push_back(Poco::Int64{filter.limit});
  where.values.push_back(Poco::Int64{filter.offset});
  std::vector<std::string> records;
  Statement statement = rs.session() << std::string("SELECT v.record FROM ") + t.current +
                                            where.sql + " ORDER BY c.id DESC LIMIT ? OFFSET ?";
  bindValues(statement, where.values);
  statement, into(records);
  statement.execute();
  return decodeAll<Record>(records);
}

template <typename Record>
std::int64_t CaseRepository<Record>::count(ReadSession& rs, const CaseFilter& filter) {
  const CaseTables& t = Kind<Record>::kTables;
  const SqlPart where = whereOf(rs.session().dialect(), t, filter);
  Poco::Int64 total = 0;
  Statement statement = rs.session()
                        << std::string("SELECT COUNT(*) FROM ") + t.records + " c" + where.sql;
  bindValues(statement, where.values);
  statement, into(total);
  statement.execute();
  return total;
}

template <typename Record>
std::vector<Record> CaseRepository<Record>::versions(ReadSession& rs, std::int64_t id) {
  const CaseTables& t = Kind<Record>::kTables;
  std::vector<std::string> records;
  Poco::Int64 key = id;
  rs.session() << std::string("SELECT record FROM ") + t.versions + " WHERE " + t.owner +
                      " = ? ORDER BY version",
      use(key), into(records), now;
  return decodeAll<Record>(records);
}

template class CaseRepository<core::FeedbackRecord>;
template class CaseRepository<core::DisclosureRequest>;

}  // namespace gongkai::server::store
