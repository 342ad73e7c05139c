#include "gongkai/server/store/retention_repository.h"

#include <set>
#include <stdexcept>

#include "gongkai/core/audit_entry.h"
#include "sql_conditions.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

namespace {

constexpr const char* kDispositionColumns =
    "p.id, p.document_id, p.state, p.reason, p.proposed_by, p.proposed_at, p.decided_by, "
    "p.decided_at, p.decision_note";

constexpr const char* kHoldColumns =
    "h.id, COALESCE(h.document_id, 0), COALESCE(h.org_unit, ''), COALESCE(h.category, ''), "
    "COALESCE(h.year, 0), h.reason, h.placed_by, h.placed_at, h.released_by, h.released_at, "
    "h.release_reason";

// A hold in force (alias h) that covers the document of alias d. A hold on a unit covers its
// sub-units too (a hold on a party committee holds its branches' records): the unit matches the
// document's unit or any unit above it in the tree.
constexpr const char* kHoldCovers =
    "h.released_at = '' AND (h.document_id = d.id OR (h.document_id IS NULL "
    "AND (h.org_unit IS NULL OR h.org_unit IN ("
    "WITH RECURSIVE up(code) AS (SELECT d.org_unit UNION SELECT o.parent_code FROM org_units o "
    "JOIN up ON o.code = up.code WHERE o.parent_code <> '') SELECT code FROM up)) "
    "AND (h.category IS NULL OR h.category = d.category) "
    "AND (h.year IS NULL OR h.year = d.year)))";

core::DocumentVersion decode(const std::string& record) {
  auto parsed = core::parseRecord(record);
  if (!parsed.ok()) throw std::runtime_error(parsed.error().message);
  return std::move(parsed).value();
}

std::vector<DispositionRow> selectDispositions(SqlSession& session, const std::string& rest,
                                               const std::vector<SqlValue>& values) {
  std::vector<Poco::Int64> ids, documents;
  std::vector<std::string> states, reasons, proposedBy, proposedAt, decidedBy, decidedAt, notes;
  runSelect(session,
            std::string("SELECT ") + kDispositionColumns +
                " FROM dispositions p JOIN documents d "
                "ON d.id = p.document_id" +
                rest,
            values, ids, documents, states, reasons, proposedBy, proposedAt, decidedBy, decidedAt,
            notes);
  std::vector<DispositionRow> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back({ids[i], documents[i], states[i], reasons[i], proposedBy[i], proposedAt[i],
                   decidedBy[i], decidedAt[i], notes[i]});
  }
  return out;
}

std::vector<LegalHoldRow> selectHolds(SqlSession& session, const std::string& rest,
                                      const std::vector<SqlValue>& values) {
  std::vector<Poco::Int64> ids, documents;
  std::vector<std::string> units, categories, reasons, placedBy, placedAt, releasedBy, releasedAt,
      releaseReasons;
  std::vector<int> years;
  runSelect(session, std::string("SELECT ") + kHoldColumns + " FROM legal_holds h" + rest, values,
            ids, documents, units, categories, years, reasons, placedBy, placedAt, releasedBy,
            releasedAt, releaseReasons);
  std::vector<LegalHoldRow> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back({ids[i], documents[i], units[i], categories[i], years[i], reasons[i], placedBy[i],
                   placedAt[i], releasedBy[i], releasedAt[i], releaseReasons[i]});
  }
  return out;
}

std::optional<DispositionRow> firstOf(std::vector<DispositionRow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t count(SqlSession& session, const std::string& sql,
                   const std::vector<SqlValue>& values) {
  Poco::Int64 total = 0;
  Poco::Data::Statement statement = session << sql;
  bindValues(statement, values);
  statement, into(total);
  statement.execute();
  return total;
}

std::int64_t nextId(Transaction& tx, const std::string& table) {
  Poco::Int64 next = 0;
  tx.session() << "SELECT COALESCE(MAX(id), 0) + 1 FROM " + table, into(next), now;
  return next;
}

}  // namespace

DuePage RetentionRepository::due(ReadSession& rs, const DueFilter& f) {
  SqlSession& session = rs.session();
  SqlConditions where;
  where.add("d.status = 'archived'");
  SqlPart periods{"(", {}};
  for (const auto& [retention, lastYear] : f.last_due_years) {
    periods.sql += (periods.values.empty() ? "" : " OR ");
    periods.sql += "(r.retention = ? AND d.year <= ?)";
    periods.values.push_back(retention);
    periods.values.push_back(Poco::Int64{lastYear});
  }
  if (f.last_due_years.empty()) periods.sql += "1 = 0";
  periods.sql += ")";
  where.add(std::move(periods));
  if (f.units) where.add(inList(session.dialect(), "d.org_unit", *f.units));
  if (f.org_unit) where.add("d.org_unit = ?", {*f.org_unit});
  if (f.category) where.add("d.category = ?", {*f.category});
  if (f.year) where.add("d.year = ?", {Poco::Int64{*f.year}});
  where.add(std::string("NOT EXISTS (SELECT 1 FROM legal_holds h WHERE ") + kHoldCovers + ")");
  const SqlPart conditions = where.where();
  const std::string from = " FROM documents d JOIN reference_codes r ON r.document_id = d.id";

  DuePage page;
  page.total = count(session, "SELECT COUNT(*)" + from + conditions.sql, conditions.values);
  std::vector<std::string> records, codes, retentions;
  std::vector<int> years;
  std::vector<Poco::Int64> pending;
  std::vector<SqlValue> values = conditions.values;
  values.push_back(Poco::Int64{f.limit});
  values.push_back(Poco::Int64{f.offset});
  runSelect(session,
            "SELECT v.record, r.code, r.retention, d.year, COALESCE((SELECT MAX(p.id) FROM "
            "dispositions p WHERE p.document_id = d.id AND p.state = 'proposed'), 0)" +
                from +
                " JOIN document_versions v ON v.document_id = d.id AND v.version = "
                "d.current_version" +
                conditions.sql + " ORDER BY d.year, r.code LIMIT ? OFFSET ?",
            values, records, codes, retentions, years, pending);
  for (std::size_t i = 0; i < records.size(); ++i) {
    DueRecord record{decode(records[i]), codes[i], retentions[i], years[i], std::nullopt};
    if (pending[i] != 0) {
      record.pending = firstOf(selectDispositions(session, " WHERE p.id = ?", {pending[i]}));
    }
    page.records.push_back(std::move(record));
  }
  return page;
}

std::int64_t RetentionRepository::insertDisposition(Transaction& tx, const DispositionRow& row) {
  const Poco::Int64 id = nextId(tx, "dispositions");
  Poco::Int64 document = row.document_id;
  tx.session() << "INSERT INTO dispositions (id, document_id, state, reason, proposed_by, "
                  "proposed_at) VALUES (?, ?, 'proposed', ?, ?, ?)",
      bind(id), use(document), bind(row.reason), bind(row.proposed_by), bind(row.proposed_at), now;
  return id;
}

void RetentionRepository::decideDisposition(Transaction& tx, std::int64_t id,
                                            const std::string& state, const std::string& by,
                                            const std::string& at, const std::string& note) {
  Poco::Int64 key = id;
  tx.session() << "UPDATE dispositions SET state = ?, decided_by = ?, decided_at = ?, "
                  "decision_note = ? WHERE id = ?",
      bind(state), bind(by), bind(at), bind(note), use(key), now;
}

std::optional<DispositionRow> RetentionRepository::disposition(Transaction& tx, std::int64_t id) {
  return firstOf(selectDispositions(tx.session(), " WHERE p.id = ?", {Poco::Int64{id}}));
}

std::optional<DispositionRow> RetentionRepository::disposition(ReadSession& rs, std::int64_t id) {
  return firstOf(selectDispositions(rs.session(), " WHERE p.id = ?", {Poco::Int64{id}}));
}

std::optional<DispositionRow> RetentionRepository::pendingDisposition(Transaction& tx,
                                                                      std::int64_t documentId) {
  return firstOf(selectDispositions(tx.session(),
                                    " WHERE p.document_id = ? AND p.state = 'proposed'",
                                    {Poco::Int64{documentId}}));
}

std::vector<DispositionRow> RetentionRepository::dispositions(
    ReadSession& rs, const std::optional<std::vector<std::string>>& units,
    const std::optional<std::string>& state, std::int64_t limit, std::int64_t offset,
    std::int64_t& total) {
  SqlSession& session = rs.session();
  SqlConditions where;
  if (units) where.add(inList(session.dialect(), "d.org_unit", *units));
  if (state) where.add("p.state = ?", {*state});
  const SqlPart conditions = where.where();
  total = count(session,
                "SELECT COUNT(*) FROM dispositions p JOIN documents d ON d.id = p.document_id" +
                    conditions.sql,
                conditions.values);
  std::vector<SqlValue> values = conditions.values;
  values.push_back(Poco::Int64{limit});
  values.push_back(Poco::Int64{offset});
  return selectDispositions(session, conditions.sql + " ORDER BY p.id DESC LIMIT ? OFFSET ?",
                            values);
}

std::int64_t RetentionRepository::insertHold(Transaction& tx, const LegalHoldRow& row) {
  const Poco::Int64 id = nextId(tx, "legal_holds");
  Poco::Int64 document = row.document_id, year = row.year;
  tx.session() << "INSERT INTO legal_holds (id, document_id, org_unit, category, year, reason, "
                  "placed_by, placed_at) VALUES (?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, ''), "
                  "NULLIF(?, 0), ?, ?, ?)",
      bind(id), use(document), bind(row.org_unit), bind(row.category), use(year), bind(row.reason),
      bind(row.placed_by), bind(row.placed_at), now;
  return id;
}

void RetentionRepository::releaseHold(Transaction& tx, std::int64_t id, const std::string& by,
                                      const std::string& at, const std::string& reason) {
  Poco::Int64 key = id;
  tx.session() << "UPDATE legal_holds SET released_by = ?, released_at = ?, release_reason = ? "
                  "WHERE id = ?",
      bind(by), bind(at), bind(reason), use(key), now;
}

std::optional<LegalHoldRow> RetentionRepository::hold(Transaction& tx, std::int64_t id) {
  auto rows = selectHolds(tx.session(), " WHERE h.id = ?", {Poco::Int64{id}});
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<LegalHoldRow> RetentionRepository::holds(ReadSession& rs, bool activeOnly,
                                                     std::int64_t limit, std::int64_t offset,
                                                     std::int64_t& total) {
  const std::string where = activeOnly ? " WHERE h.released_at = ''" : "";
  total = count(rs.session(), "SELECT COUNT(*) FROM legal_holds h" + where, {});
  return selectHolds(rs.session(), where + " ORDER BY h.id DESC LIMIT ? OFFSET ?",
                     {Poco::Int64{limit}, Poco::Int64{offset}});
}

std::vector<LegalHoldRow> RetentionRepository::holdsCovering(Transaction& tx,
                                                             std::int64_t documentId,
                                                             const std::string& unit,
                                                             const std::string& category,
                                                             int year) {
  // The document's facts as a one-row `d`, so the covering rule is the due list's own.
  return selectHolds(tx.session(),
                     " JOIN (SELECT CAST(? AS BIGINT) AS id, CAST(? AS TEXT) AS org_unit, "
                     "CAST(? AS TEXT) AS category, CAST(? AS BIGINT) AS year) d ON " +
                         std::string(kHoldCovers) + " ORDER BY h.id",
                     {Poco::Int64{documentId}, unit, category, Poco::Int64{year}});
}

std::vector<std::string> RetentionRepository::blobsOnlyDisposedUse(Transaction& tx,
                                                                   std::int64_t documentId) {
  std::vector<std::string> blobs;
  Poco::Int64 id = documentId;
  tx.session() << "SELECT DISTINCT f.sha256 FROM files f WHERE f.document_id = ? AND NOT EXISTS "
                  "(SELECT 1 FROM files g JOIN documents o ON o.id = g.document_id "
                  "WHERE g.sha256 = f.sha256 AND g.document_id <> f.document_id "
                  "AND o.status <> 'disposed') ORDER BY f.sha256",
      use(id), into(blobs), now;
  return blobs;
}

std::vector<std::string> RetentionRepository::renditionsOf(
    Transaction& tx, const std::string& objectType, const std::vector<std::string>& originals,
    std::int64_t documentId) {
  std::set<std::string> renditions;
  std::string type = objectType;
  for (const std::string& original : originals) {
    std::vector<std::string> entries;
    std::string id = original;
    tx.session() << "SELECT entry FROM audit_log WHERE object_type = ? AND object_id = ?",
        use(type), use(id), into(entries), now;
    for (const std::string& entry : entries) {
      auto parsed = core::parseAuditEntry(entry);
      if (parsed.ok() && !parsed.value().content_sha256.empty()) {
        renditions.insert(parsed.value().content_sha256);
      }
    }
  }
  std::vector<std::string> out;
  Poco::Int64 self = documentId;
  for (const std::string& rendition : renditions) {
    std::string sha = rendition;
    Poco::Int64 live = 0;
    tx.session() << "SELECT COUNT(*) FROM files g JOIN documents o ON o.id = g.document_id "
                    "WHERE g.sha256 = ? AND g.document_id <> ? AND o.status <> 'disposed'",
        use(sha), use(self), into(live), now;
    if (live == 0) out.push_back(rendition);
  }
  return out;
}

void RetentionRepository::forgetTexts(Transaction& tx, const std::vector<std::string>& blobs) {
  for (const std::string& blob : blobs) {
    tx.session() << "DELETE FROM file_texts WHERE sha256 = ?", bind(blob), now;
  }
}

}  // namespace gongkai::server::store
