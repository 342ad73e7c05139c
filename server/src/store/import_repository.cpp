#include "gongkai/server/store/import_repository.h"

#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

void ImportRepository::recordRow(Transaction& tx, const std::string& rowSha256,
                                 const std::string& catalogueSha256, std::int64_t line,
                                 std::int64_t documentId, std::int64_t jobId,
                                 const std::string& at) {
  Poco::Int64 row = line, document = documentId, job = jobId;
  tx.session() << "INSERT INTO import_rows (row_sha256, catalogue_sha256, row_line, document_id, "
                  "job_id, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
      bind(rowSha256), bind(catalogueSha256), use(row), use(document), use(job), bind(at), now;
}

std::set<std::string> ImportRepository::importedRows(ReadSession& rs,
                                                     const std::vector<std::string>& rowKeys) {
  std::set<std::string> imported;
  for (const std::string& key : rowKeys) {
    int count = 0;
    rs.session() << "SELECT COUNT(*) FROM import_rows WHERE row_sha256 = ?", bind(key), into(count),
        now;
    if (count > 0) imported.insert(key);
  }
  return imported;
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
