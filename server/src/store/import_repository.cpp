#include "gongkai/server/store/import_repository.h"

#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

void ImportRepository::recordRow(Transaction& tx, const std::string& catalogueSha256,
                                 std::int64_t line, std::int64_t documentId, std::int64_t jobId,
                                 const std::string& at) {
  Poco::Int64 row = line, document = documentId, job = jobId;
  tx.session() << "INSERT INTO import_rows (catalogue_sha256, row_line, document_id, job_id, "
                  "imported_at) VALUES (?, ?, ?, ?, ?)",
      bind(catalogueSha256), use(row), use(document), use(job), bind(at), now;
}

std::map<std::int64_t, std::int64_t> ImportRepository::importedRows(
    ReadSession& rs, const std::string& catalogueSha256) {
  std::vector<Poco::Int64> lines, documents;
  rs.session() << "SELECT row_line, document_id FROM import_rows WHERE catalogue_sha256 = ?",
      bind(catalogueSha256), into(lines), into(documents), now;
  std::map<std::int64_t, std::int64_t> rows;
  for (std::size_t i = 0; i < lines.size(); ++i) rows[lines[i]] = documents[i];
  return rows;
}

std::set<std::string> ImportRepository::givenReferenceCodes(ReadSession& rs,
                                                            const std::vector<std::string>& codes) {
  std::set<std::string> given;
  for (const std::string& code : codes) {
    int count = 0;
    rs.session() << "SELECT COUNT(*) FROM reference_codes WHERE code = ?", bind(code), into(count),
        now;
    if (count > 0) given.insert(code);
  }
  return given;
}

}  // namespace gongkai::server::store
