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

namespace {

// Those of `keys` that `countSql` (one "?" for the key) counts at least once.
std::set<std::string> present(ReadSession& rs, const std::string& countSql,
                              const std::vector<std::string>& keys) {
  std::set<std::string> found;
  for (const std::string& key : keys) {
    int count = 0;
    rs.session() << countSql, bind(key), into(count), now;
    if (count > 0) found.insert(key);
  }
  return found;
}

}  // namespace

std::set<std::string> ImportRepository::importedRows(ReadSession& rs,
                                                     const std::vector<std::string>& rowKeys) {
  return present(rs, "SELECT COUNT(*) FROM import_rows WHERE row_sha256 = ?", rowKeys);
}

std::set<std::string> ImportRepository::givenReferenceCodes(ReadSession& rs,
                                                            const std::vector<std::string>& codes) {
  return present(rs, "SELECT COUNT(*) FROM reference_codes WHERE code = ?", codes);
}

}  // namespace gongkai::server::store
