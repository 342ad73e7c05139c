#include "gongkai/server/store/report_repository.h"

#include <Poco/Data/Statement.h>

#include <stdexcept>

#include "case_tables.h"
#include "sql_conditions.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;
using Poco::Data::Statement;

namespace {

core::TimePoint timeOf(const std::string& text) {
  auto parsed = core::parseRfc3339(text);
  if (!parsed) throw std::runtime_error("stored record with a bad time: " + text);
  return *parsed;
}

core::Date dateOf(const std::string& text) {
  auto parsed = core::parseDate(text);
  if (!parsed) throw std::runtime_error("stored record with a bad date: " + text);
  return *parsed;
}

// A kind of case as the report counts it: its tables, and where in the current version `v` (or
// its row `c`) the report finds what it counts by.
struct CaseReport {
  const CaseTables& tables;
  const char* kind_column;  // what the report counts cases by besides their status: a column,
  const char* kind_path;    // or else a path in the record
  const char* finished_at;  // path in the record to when it was finished (absent: not recorded)
};

const CaseReport kFeedback{kFeedbackTables, "c.channel", nullptr, "answered.at"};
const CaseReport kRequests{kRequestTables, nullptr, "outcome", "decided.at"};

std::string kindOf(const SqlDialect& dialect, const CaseReport& report) {
  return report.kind_column ? report.kind_column : dialect.jsonText("v.record", report.kind_path);
}

SqlPart caseConditions(const SqlDialect& dialect, const ReportRepository::CaseQuery& query) {
  SqlConditions conditions;
  // The bounds, a day wide of the China-time year on either side, keep the scan to the year;
  // the China date then decides.
  conditions.add("c.received_at >= ? AND c.received_at < ?",
                 {std::to_string(query.year - 1) + "-12-31T00:00:00Z",
                  std::to_string(query.year + 1) + "-01-02T00:00:00Z"});
  conditions.add(dialect.chinaYear("c.received_at") + " = ?", {Poco::Int64{query.year}});
  if (query.units) conditions.add(inList(dialect, "c.org_unit", *query.units));
  return conditions.all();
}

// Cases with an empty or missing `column` are left out.
std::map<std::string, int> countedBy(ReadSession& rs, const CaseTables& tables,
                                     const std::string& column, const SqlPart& where) {
  std::vector<std::string> keys;
  std::vector<Poco::Int64> counts;
  runSelect(rs.session(),
            "SELECT " + column + ", COUNT(*) FROM " + tables.current + " WHERE " + where.sql +
                " AND " + column + " <> '' GROUP BY 1",
            where.values, keys, counts);
  std::map<std::string, int> out;
  for (std::size_t i = 0; i < keys.size(); ++i) out[keys[i]] = static_cast<int>(counts[i]);
  return out;
}

policies::HandlingCounts countCases(ReadSession& rs, const CaseReport& report,
                                    const ReportRepository::CaseQuery& query) {
  const CaseTables& tables = report.tables;
  const SqlDialect& dialect = rs.session().dialect();
  const SqlPart where = caseConditions(dialect, query);
  policies::HandlingCounts counts;
  counts.by_status = countedBy(rs, tables, "c.status", where);
  counts.by_kind = countedBy(rs, tables, kindOf(dialect, report), where);

  // One row per (day received, day finished), however many cases.
  const std::string finishedAt = dialect.jsonText("v.record", report.finished_at);
  const std::string finishedDay = dialect.chinaDate(finishedAt);
  std::vector<std::string> received, finished;
  std::vector<Poco::Int64> finishedCounts, onTime;
  runSelect(rs.session(),
            "SELECT " + dialect.chinaDate("c.received_at") + ", " + finishedDay +
                ", COUNT(*), SUM(CASE WHEN " + finishedDay + " <= " + tables.deadline +
                " THEN 1 ELSE 0 END) FROM " + tables.current + " WHERE " + where.sql + " AND " +
                tables.finished + " AND " + finishedAt + " IS NOT NULL GROUP BY 1, 2",
            where.values, received, finished, finishedCounts, onTime);
  for (std::size_t i = 0; i < received.size(); ++i) {
    counts.finished.push_back({dateOf(received[i]), dateOf(finished[i]),
                               static_cast<int>(finishedCounts[i]), static_cast<int>(onTime[i])});
  }

  std::vector<SqlValue> overdueValues = where.values;
  overdueValues.push_back(query.today.toString());
  std::vector<Poco::Int64> overdue;
  runSelect(rs.session(),
            "SELECT c.id FROM " + std::string(tables.current) + " WHERE " + where.sql +
                " AND NOT " + tables.finished + " AND " + tables.deadline + " < ? ORDER BY c.id",
            overdueValues, overdue);
  counts.overdue.assign(overdue.begin(), overdue.end());
  return counts;
}

}  // namespace

std::vector<ReportRepository::Publication> ReportRepository::publications(
    ReadSession& rs, const std::string& unit, const std::vector<std::int64_t>& items,
    const policies::Visibility& viewer) {
  const SqlDialect& dialect = rs.session().dialect();
  const auto record = [&](const char* path) { return dialect.jsonText("v.record", path); };
  const SqlPart visible = visibleDocuments(dialect, viewer);
  const SqlPart answering = inIds(dialect, "d.catalogue_item", items);
  std::vector<SqlValue> values = visible.values;
  values.push_back(unit);
  values.insert(values.end(), answering.values.begin(), answering.values.end());
  std::vector<Poco::Int64> catalogueItems, ids, visibleFlags;
  std::vector<std::string> titles, published, approved;
  // A withdrawn publication no longer counts as disclosed.
  runSelect(rs.session(),
            "SELECT d.catalogue_item, d.id, " + record("title") + ", " +
                record("disclosure.published.at") + ", COALESCE(CASE WHEN " +
                dialect.jsonTrue("v.record", "disclosure.confidentiality_reviewed") + " THEN " +
                record("disclosure.reviewed.at") + " END, ''), CASE WHEN " + visible.sql +
                " THEN 1 ELSE 0 END FROM documents d JOIN document_versions v "
                "ON v.document_id = d.id AND v.version = d.current_version "
                "WHERE d.org_unit = ? AND " +
                answering.sql + " AND " + record("disclosure.published") + " IS NOT NULL AND " +
                record("disclosure.withdrawn") + " IS NULL ORDER BY d.id DESC",
            values, catalogueItems, ids, titles, published, approved, visibleFlags);
  std::vector<Publication> out;
  out.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Publication p;
    p.catalogue_item = catalogueItems[i];
    p.document_id = ids[i];
    p.title = titles[i];
    p.published_at = timeOf(published[i]);
    if (!approved[i].empty()) p.approved_at = timeOf(approved[i]);
    p.visible = visibleFlags[i] != 0;
    out.push_back(std::move(p));
  }
  return out;
}

policies::HandlingCounts ReportRepository::feedbackCounts(ReadSession& rs, const CaseQuery& query) {
  return countCases(rs, kFeedback, query);
}

policies::HandlingCounts ReportRepository::requestCounts(ReadSession& rs, const CaseQuery& query) {
  return countCases(rs, kRequests, query);
}

}  // namespace gongkai::server::store
