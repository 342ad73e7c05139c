#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/document.h"
#include "gongkai/policies/policy_engine.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

struct DocumentFilter {
  std::optional<std::string> category;
  std::optional<std::string> scope;
  std::optional<std::string> status;
  std::optional<std::string> org_unit;
  std::optional<int> year;
  // Only documents that disclose one of these catalogue items.
  std::optional<std::vector<std::int64_t>> catalogue_items;
  // What the caller may see; unset: everything. Applied in the query, so totals count only it.
  std::optional<policies::Visibility> visibility;
  std::int64_t limit = 20;
  std::int64_t offset = 0;
};

struct DocumentPage {
  std::int64_t total = 0;
  std::vector<core::DocumentVersion> documents;  // current versions, newest document first
};

// All SQL about documents, their versions and files. Functions throw Poco exceptions on database
// failure (the Store turns them into kIo); "not there" is an empty optional. A stored record that
// does not parse is reported as a thrown kCorrupt-bearing std::runtime_error.
class DocumentRepository {
 public:
  static std::int64_t nextDocumentId(Transaction& tx);
  static std::int64_t nextFileId(Transaction& tx);
  // Records a file row for `documentId` (which must exist) under `file.id`.
  static void insertFile(Transaction& tx, std::int64_t documentId, const core::FileRecord& file,
                         core::TimePoint createdAt);
  // Stores a new version (record, its hash and the audit entry that made it) and makes it the
  // document's current one; version 1 creates the document.
  static void saveVersion(Transaction& tx, const core::DocumentVersion& version,
                          const std::string& record, const std::string& recordSha256,
                          std::int64_t auditSeq);

  static std::optional<core::DocumentVersion> current(Transaction& tx, std::int64_t id);

  // The next item number of a 档号 sequence (fonds, year, retention, category), taken: numbers
  // run 1, 2, 3, ... without gaps, since the transaction that takes one also records the code.
  static int takeReferenceItem(Transaction& tx, const std::string& fonds, int year,
                               const std::string& retention, const std::string& category);
  // Makes the sequence go on after `item`, a number given elsewhere (an imported 档号), so the
  // numbers taken later follow it; a sequence already past it stays.
  static void keepReferenceItem(Transaction& tx, const std::string& fonds, int year,
                                const std::string& retention, const std::string& category,
                                int item);
  // Records a code given to a document; throws if the code was ever given before.
  static void recordReferenceCode(Transaction& tx, const std::string& code, std::int64_t documentId,
                                  const std::string& fonds, int year, const std::string& retention,
                                  const std::string& category, int item);
  static std::optional<core::DocumentVersion> current(ReadSession& rs, std::int64_t id);
  // The number of a document's current version without reading its record; nullopt when there
  // is no such document.
  static std::optional<std::int64_t> currentVersion(ReadSession& rs, std::int64_t id);
  static std::optional<core::DocumentVersion> version(ReadSession& rs, std::int64_t id,
                                                      std::int64_t version);
  static std::vector<core::DocumentVersion> versions(ReadSession& rs, std::int64_t id);
  static DocumentPage list(ReadSession& rs, const DocumentFilter& filter);
  // A file that any version of document `id` holds or held.
  static std::optional<core::FileRecord> file(ReadSession& rs, std::int64_t id,
                                              std::int64_t fileId);

  // Every stored version's record and hash, for the state check of `gongkai verify-log`.
  struct StoredRecord {
    std::int64_t document_id;
    std::int64_t version;
    std::string record;
    std::string record_sha256;
    std::int64_t audit_seq;
  };
  static std::vector<StoredRecord> records(ReadSession& rs, std::int64_t afterDocument,
                                           std::int64_t limit);

  // The columns of the documents table that lists filter on, to be checked against the records.
  struct Projection {
    std::int64_t id;
    std::int64_t current_version;
    std::string category, org_unit, scope, status;
    int year;
  };
  static std::vector<Projection> projections(ReadSession& rs, std::int64_t afterDocument,
                                             std::int64_t limit);
};

}  // namespace gongkai::server::store
