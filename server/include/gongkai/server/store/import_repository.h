#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// All SQL of the bulk import: which catalogue rows are already imported (import_rows), and which
// 档号 are already given. Functions throw Poco exceptions on database failure, as the other
// repositories do.
class ImportRepository {
 public:
  // Records that the row with key `rowSha256` (core::importRowKey), at `line` of the catalogue
  // with `catalogueSha256`, became `documentId`; throws when that row was recorded before (so a
  // row imported twice rolls its transaction back).
  static void recordRow(Transaction& tx, const std::string& rowSha256,
                        const std::string& catalogueSha256, std::int64_t line,
                        std::int64_t documentId, std::int64_t jobId, const std::string& at);
  // Those of `rowKeys` imported before.
  static std::set<std::string> importedRows(ReadSession& rs,
                                            const std::vector<std::string>& rowKeys);
  // Those of `codes` that some document already holds as its 档号.
  static std::set<std::string> givenReferenceCodes(ReadSession& rs,
                                                   const std::vector<std::string>& codes);
};

}  // namespace gongkai::server::store
