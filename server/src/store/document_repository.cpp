#include "gongkai/server/store/document_repository.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <stdexcept>

#include "gongkai/core/workflow.h"
#include "gongkai/server/store/search_repository.h"
#include "gongkai/server/store/versioned_records.h"
#include "sql_conditions.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;
using core::DocumentVersion;

namespace {

DocumentVersion decode(const std::string& record) {
  auto parsed = core::parseRecord(record);
  if (!parsed.ok()) throw std::runtime_error(parsed.error().message);
  return std::move(parsed).value();
}

// A document's record as of a query with one row or none (the index pass reads a document's
// current and queued versions for every version filed: kept prepared, SqlSession::query).
std::optional<DocumentVersion> recordOf(SqlSession& session, const std::string& sql,
                                        std::initializer_list<KeptValue> key) {
  std::optional<std::string> record;
  session.query(sql, key, [&record](const KeptRow& row) {
    if (!record) record = row.text(0);
  });
  if (!record) return std::nullopt;
  return decode(*record);
}

std::optional<DocumentVersion> currentOf(SqlSession& session, std::int64_t id) {
  return recordOf(session,
                  "SELECT v.record FROM documents d JOIN document_versions v "
                  "ON v.document_id = d.id AND v.version = d.current_version WHERE d.id = ?",
                  {KeptValue::integer(id)});
}

}  // namespace

// The statements of a write below run on every document written: kept prepared on the writer's
// connection (SqlSession::execute and queryInteger, kept_statements.h).

std::int64_t DocumentRepository::nextDocumentId(Transaction& tx) {
  return tx.session().queryInteger("SELECT COALESCE(MAX(id), 0) + 1 FROM documents").value_or(1);
}

std::int64_t DocumentRepository::nextFileId(Transaction& tx) {
  return tx.session().queryInteger("SELECT COALESCE(MAX(id), 0) + 1 FROM files").value_or(1);
}

int DocumentRepository::takeReferenceItem(Transaction& tx, const std::string& fonds, int year,
                                          const std::string& retention,
                                          const std::string& category) {
  const std::initializer_list<KeptValue> key = {KeptValue::text(fonds), KeptValue::integer(year),
                                                KeptValue::text(retention),
                                                KeptValue::text(category)};
  tx.session().execute(
      "INSERT INTO reference_sequences (fonds, year, retention, category, last_item) "
      "VALUES (?, ?, ?, ?, 1) ON CONFLICT (fonds, year, retention, category) "
      "DO UPDATE SET last_item = reference_sequences.last_item + 1",
      key);
  const auto item = tx.session().queryInteger(
      "SELECT last_item FROM reference_sequences WHERE fonds = ? AND "
      "year = ? AND retention = ? AND category = ?",
      key);
  return static_cast<int>(item.value_or(0));
}

void DocumentRepository::keepReferenceItem(Transaction& tx, const std::string& fonds, int year,
                                           const std::string& retention,
                                           const std::string& category, int item) {
  tx.session().execute(
      "INSERT INTO reference_sequences (fonds, year, retention, category, last_item) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (fonds, year, retention, category) "
      "DO UPDATE SET last_item = CASE WHEN reference_sequences.last_item < "
      "excluded.last_item THEN excluded.last_item ELSE reference_sequences.last_item "
      "END",
      {KeptValue::text(fonds), KeptValue::integer(year), KeptValue::text(retention),
       KeptValue::text(category), KeptValue::integer(item)});
}

void DocumentRepository::recordReferenceCode(Transaction& tx, const std::string& code,
                                             std::int64_t documentId, const std::string& fonds,
                                             int year, const std::string& retention,
                                             const std::string& category, int item) {
  tx.session().execute(
      "INSERT INTO reference_codes (code, document_id, fonds, year, retention, category, "
      "item) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {KeptValue::text(code), KeptValue::integer(documentId), KeptValue::text(fonds),
       KeptValue::integer(year), KeptValue::text(retention), KeptValue::text(category),
       KeptValue::integer(item)});
}

void DocumentRepository::insertFile(Transaction& tx, std::int64_t documentId,
                                    const core::FileRecord& file, core::TimePoint createdAt) {
  const std::string created = core::formatRfc3339(createdAt);
  tx.session().execute(
      "INSERT INTO files (id, document_id, name, media_type, size, sha256, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {KeptValue::integer(file.id), KeptValue::integer(documentId), KeptValue::text(file.name),
       KeptValue::text(file.media_type), KeptValue::integer(file.size),
       KeptValue::text(file.sha256), KeptValue::text(created)});
}

void DocumentRepository::saveVersion(Transaction& tx, const DocumentVersion& v,
                                     const std::string& record, const std::string& recordSha256,
                                     std::int64_t auditSeq) {
  SqlSession& s = tx.session();
  const int year = core::disclosureYear(v.metadata, v.created_at);
  const std::string_view scope = core::toString(v.metadata.scope);
  const std::string_view status = core::toString(v.status);
  const std::string visible(core::visibleStatus(v));
  const std::string createdAt = core::formatRfc3339(v.created_at);
  const std::string updatedAt = core::formatRfc3339(v.updated_at);
  const KeptValue catalogueItem = KeptValue::optionalInteger(v.metadata.catalogue_item);
  if (v.version == 1) {
    s.execute(
        "INSERT INTO documents (id, current_version, category, org_unit, scope, status, "
        "year, created_by, created_at, updated_at, visible_status, catalogue_item) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {KeptValue::integer(v.document_id), KeptValue::integer(v.version),
         KeptValue::text(v.metadata.category), KeptValue::text(v.metadata.org_unit),
         KeptValue::text(scope), KeptValue::text(status), KeptValue::integer(year),
         KeptValue::text(v.created_by), KeptValue::text(createdAt), KeptValue::text(updatedAt),
         KeptValue::text(visible), catalogueItem});
  } else {
    s.execute(
        "UPDATE documents SET current_version = ?, category = ?, org_unit = ?, scope = ?, "
        "status = ?, year = ?, updated_at = ?, visible_status = ?, catalogue_item = ? "
        "WHERE id = ? AND current_version = ?",
        {KeptValue::integer(v.version), KeptValue::text(v.metadata.category),
         KeptValue::text(v.metadata.org_unit), KeptValue::text(scope), KeptValue::text(status),
         KeptValue::integer(year), KeptValue::text(updatedAt), KeptValue::text(visible),
         catalogueItem, KeptValue::integer(v.document_id), KeptValue::integer(v.version - 1)});
  }
  insertVersion(tx, VersionedKind::kDocument, v.document_id, v.version, record, recordSha256,
                auditSeq);
  // Same transaction: the version and its way into the search index commit together.
  SearchRepository::enqueue(tx, v.document_id, v.version);
}

std::optional<DocumentVersion> DocumentRepository::current(Transaction& tx, std::int64_t id) {
  return currentOf(tx.session(), id);
}

std::optional<DocumentVersion> DocumentRepository::current(ReadSession& rs, std::int64_t id) {
  return currentOf(rs.session(), id);
}

std::optional<std::int64_t> DocumentRepository::currentVersion(ReadSession& rs, std::int64_t id) {
  return rs.session().queryInteger("SELECT current_version FROM documents WHERE id = ?",
                                   {KeptValue::integer(id)});
}

std::optional<DocumentVersion> DocumentRepository::version(ReadSession& rs, std::int64_t id,
                                                           std::int64_t version) {
  return recordOf(rs.session(),
                  "SELECT record FROM document_versions WHERE document_id = ? AND version = ?",
                  {KeptValue::integer(id), KeptValue::integer(version)});
}

std::vector<DocumentVersion> DocumentRepository::versions(ReadSession& rs, std::int64_t id) {
  std::vector<std::string> records;
  Poco::Int64 key = id;
  rs.session() << "SELECT record FROM document_versions WHERE document_id = ? ORDER BY version",
      use(key), into(records), now;
  std::vector<DocumentVersion> out;
  out.reserve(records.size());
  for (const auto& record : records) out.push_back(decode(record));
  return out;
}

namespace {

// The filters given, and only those (see sql_conditions.h).
SqlPart documentConditions(const SqlDialect& dialect, const DocumentFilter& f) {
  SqlConditions conditions;
  if (f.category) conditions.add("d.category = ?", {*f.category});
  if (f.scope) conditions.add("d.scope = ?", {*f.scope});
  if (f.status) conditions.add("d.status = ?", {*f.status});
  if (f.org_unit) conditions.add("d.org_unit = ?", {*f.org_unit});
  if (f.year) conditions.add("d.year = ?", {Poco::Int64{*f.year}});
  if (f.catalogue_items) conditions.add(inIds(dialect, "d.catalogue_item", *f.catalogue_items));
  if (f.visibility) conditions.add(visibleDocuments(dialect, *f.visibility));
  return conditions.where();
}

}  // namespace

DocumentPage DocumentRepository::list(ReadSession& rs, const DocumentFilter& f) {
  const SqlPart where = documentConditions(rs.session().dialect(), f);
  DocumentPage page;
  Poco::Int64 total = 0;
  Poco::Data::Statement count = rs.session() << "SELECT COUNT(*) FROM documents d" + where.sql;
  bindValues(count, where.values);
  count, into(total);
  count.execute();
  page.total = total;
  std::vector<std::string> records;
  Poco::Data::Statement select = rs.session()
                                 << "SELECT v.record FROM documents d JOIN document_versions v "
                                    "ON v.document_id = d.id AND v.version = d.current_version" +
                                        where.sql + " ORDER BY d.id DESC LIMIT ? OFFSET ?";
  bindValues(select, where.values);
  bindValues(select, {Poco::Int64{f.limit}, Poco::Int64{f.offset}});
  select, into(records);
  select.execute();
  for (const auto& record : records) page.documents.push_back(decode(record));
  return page;
}

std::optional<core::FileRecord> DocumentRepository::file(ReadSession& rs, std::int64_t id,
                                                         std::int64_t fileId) {
  std::vector<std::string> names, types, hashes;
  std::vector<Poco::Int64> sizes;
  Poco::Int64 documentKey = id, fileKey = fileId;
  rs.session()
      << "SELECT name, media_type, size, sha256 FROM files WHERE id = ? AND document_id = ?",
      use(fileKey), use(documentKey), into(names), into(types), into(sizes), into(hashes), now;
  if (names.empty()) return std::nullopt;
  return core::FileRecord{fileId, names[0], types[0], sizes[0], hashes[0]};
}

std::vector<DocumentRepository::StoredRecord> DocumentRepository::records(
    ReadSession& rs, std::int64_t afterDocument, std::int64_t limit) {
  std::vector<Poco::Int64> ids, versions, seqs;
  std::vector<std::string> records, hashes;
  Poco::Int64 after = afterDocument, count = limit;
  rs.session() << "SELECT document_id, version, record, record_sha256, audit_seq "
                  "FROM document_versions WHERE document_id > ? "
                  "AND document_id <= (SELECT COALESCE(MAX(id), 0) FROM "
                  "(SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?) AS page) "
                  "ORDER BY document_id, version",
      use(after), use(after), use(count), into(ids), into(versions), into(records), into(hashes),
      into(seqs), now;
  std::vector<StoredRecord> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back(StoredRecord{ids[i], versions[i], records[i], hashes[i], seqs[i]});
  }
  return out;
}

std::vector<DocumentRepository::Projection> DocumentRepository::projections(
    ReadSession& rs, std::int64_t afterDocument, std::int64_t limit) {
  std::vector<Projection> out;
  rs.session().query(
      "SELECT id, current_version, category, org_unit, scope, status, year "
      "FROM documents WHERE id > ? ORDER BY id LIMIT ?",
      {KeptValue::integer(afterDocument), KeptValue::integer(limit)}, [&out](const KeptRow& row) {
        out.push_back(Projection{row.integer(0), row.integer(1), row.text(2), row.text(3),
                                 row.text(4), row.text(5), static_cast<int>(row.integer(6))});
      });
  return out;
}

}  // namespace gongkai::server::store
