#include "gongkai/server/store/search_repository.h"

#include <Poco/Data/Statement.h>

#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

namespace {

// Rows of (document, version, the document's current version) as VersionRefs.
std::vector<SearchRepository::VersionRef> versionRefs(const std::vector<Poco::Int64>& documents,
                                                      const std::vector<Poco::Int64>& versions,
                                                      const std::vector<Poco::Int64>& currents) {
  std::vector<SearchRepository::VersionRef> out;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    out.push_back({documents[i], versions[i], versions[i] == currents[i]});
  }
  return out;
}

}  // namespace

void SearchRepository::enqueue(Transaction& tx, std::int64_t documentId, std::int64_t version,
                               const std::string& kind) {
  // Kept prepared: every document version written queues here.
  tx.session().execute(
      "INSERT INTO search_outbox (document_id, version, kind) VALUES (?, ?, ?)",
      {KeptValue::integer(documentId), KeptValue::integer(version), KeptValue::text(kind)});
}

std::vector<OutboxEntry> SearchRepository::pending(ReadSession& rs, std::int64_t limit) {
  std::vector<Poco::Int64> ids, documents, versions;
  std::vector<std::string> kinds;
  Poco::Int64 max = limit;
  rs.session() << "SELECT id, document_id, version, kind FROM search_outbox ORDER BY id LIMIT ?",
      use(max), into(ids), into(documents), into(versions), into(kinds), now;
  std::vector<OutboxEntry> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back({ids[i], documents[i], versions[i], kinds[i]});
  }
  return out;
}

std::int64_t SearchRepository::pendingCount(ReadSession& rs) {
  Poco::Int64 count = 0;
  rs.session() << "SELECT COUNT(*) FROM search_outbox", into(count), now;
  return count;
}

void SearchRepository::acknowledge(Transaction& tx, std::int64_t lastId) {
  tx.session() << "DELETE FROM search_outbox WHERE id <= ?", bind(static_cast<Poco::Int64>(lastId)),
      now;
}

void SearchRepository::acknowledgeOne(Transaction& tx, std::int64_t id) {
  tx.session() << "DELETE FROM search_outbox WHERE id = ?", bind(static_cast<Poco::Int64>(id)), now;
}

std::optional<FileText> SearchRepository::fileText(ReadSession& rs, const std::string& sha256) {
  // Kept prepared (SqlSession::query): the index pass asks for every file of every version.
  std::optional<FileText> found;
  rs.session().query(
      "SELECT status, format, error_code, message, truncated, text, extracted_at "
      "FROM file_texts WHERE sha256 = ?",
      {KeptValue::text(sha256)}, [&](const KeptRow& row) {
        if (found) return;
        found = FileText{sha256,      row.text(0) == "ok", row.text(1), row.text(2),
                         row.text(3), row.integer(4) != 0, row.text(5), row.text(6)};
      });
  return found;
}

std::vector<FileText> SearchRepository::fileTextStatus(ReadSession& rs, std::int64_t documentId) {
  std::vector<std::string> hashes, statuses, formats, codes, messages, times;
  std::vector<int> truncated;
  Poco::Int64 id = documentId;
  // One query for all the document's files, whichever version holds them.
  rs.session()
      << "SELECT sha256, status, format, error_code, message, truncated, extracted_at "
         "FROM file_texts WHERE sha256 IN (SELECT sha256 FROM files WHERE document_id = ?)",
      use(id), into(hashes), into(statuses), into(formats), into(codes), into(messages),
      into(truncated), into(times), now;
  std::vector<FileText> out;
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    out.push_back(FileText{hashes[i], statuses[i] == "ok", formats[i], codes[i], messages[i],
                           truncated[i] != 0, "", times[i]});
  }
  return out;
}

void SearchRepository::saveFileText(Transaction& tx, const FileText& t) {
  tx.session() << "INSERT INTO file_texts (sha256, status, format, error_code, message, "
                  "truncated, text, extracted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (sha256) DO UPDATE SET status = excluded.status, "
                  "format = excluded.format, error_code = excluded.error_code, "
                  "message = excluded.message, truncated = excluded.truncated, "
                  "text = excluded.text, extracted_at = excluded.extracted_at",
      bind(t.sha256), bind(std::string(t.ok ? "ok" : "failed")), bind(t.format), bind(t.error_code),
      bind(t.message), bind(t.truncated ? 1 : 0), bind(t.text), bind(t.extracted_at), now;
}

std::vector<SearchRepository::VersionRef> SearchRepository::versionsAfter(
    ReadSession& rs, std::int64_t afterDocument, std::int64_t limit) {
  std::vector<Poco::Int64> documents, versions, currents;
  Poco::Int64 after = afterDocument, max = limit;
  // Whole documents per page, so a page never splits one document's versions.
  rs.session() << "SELECT v.document_id, v.version, d.current_version FROM document_versions v "
                  "JOIN documents d ON d.id = v.document_id WHERE v.document_id IN "
                  "(SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?) "
                  "ORDER BY v.document_id, v.version",
      use(after), use(max), into(documents), into(versions), into(currents), now;
  return versionRefs(documents, versions, currents);
}

std::vector<SearchRepository::VersionRef> SearchRepository::versionsSince(ReadSession& rs,
                                                                          std::int64_t seq) {
  std::vector<Poco::Int64> documents, versions, currents;
  Poco::Int64 after = seq;
  rs.session()
      << "SELECT v.document_id, v.version, d.current_version FROM document_versions v "
         "JOIN documents d ON d.id = v.document_id WHERE v.audit_seq > ? ORDER BY v.audit_seq",
      use(after), into(documents), into(versions), into(currents), now;
  return versionRefs(documents, versions, currents);
}

std::int64_t SearchRepository::lastAuditSeq(ReadSession& rs) {
  Poco::Int64 seq = 0;
  rs.session() << "SELECT COALESCE(MAX(seq), 0) FROM audit_log", into(seq), now;
  return seq;
}

std::int64_t SearchRepository::versionCount(ReadSession& rs) {
  Poco::Int64 count = 0;
  rs.session() << "SELECT COUNT(*) FROM document_versions", into(count), now;
  return count;
}

}  // namespace gongkai::server::store
