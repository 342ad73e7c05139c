#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gongkai::server::store {

class Transaction;
class ReadSession;

struct OutboxEntry {
  std::int64_t id = 0;
  std::int64_t document_id = 0;  // or the feedback's or application's id
  std::int64_t version = 0;
  std::string kind = "document";  // document, feedback or request
};

// Text extracted from one file's contents, or why there is none.
struct FileText {
  std::string sha256;
  bool ok = false;
  std::string format;
  std::string error_code;
  std::string message;
  bool truncated = false;
  std::string text;
  std::string extracted_at;
};

// The search outbox and the extracted-text cache. Plain SQL, no policy.
class SearchRepository {
 public:
  // Queues a version for indexing; called in the transaction that stores the version. `kind`
  // feedback or request queues that record (by id) instead of a document version.
  static void enqueue(Transaction& tx, std::int64_t documentId, std::int64_t version,
                      const std::string& kind = "document");
  static std::vector<OutboxEntry> pending(ReadSession& rs, std::int64_t limit);
  static std::int64_t pendingCount(ReadSession& rs);
  // Removes what has been applied: every entry up to and including `lastId`.
  static void acknowledge(Transaction& tx, std::int64_t lastId);
  // Removes one entry (after a failed batch, entry by entry).
  static void acknowledgeOne(Transaction& tx, std::int64_t id);

  static std::optional<FileText> fileText(ReadSession& rs, const std::string& sha256);
  // The extraction verdict of every file document `documentId` holds or held that has been
  // extracted (text left empty: only the verdict).
  static std::vector<FileText> fileTextStatus(ReadSession& rs, std::int64_t documentId);
  static void saveFileText(Transaction& tx, const FileText& text);

  // Every (document, version) with the current flag, in document order, for a rebuild.
  struct VersionRef {
    std::int64_t document_id = 0;
    std::int64_t version = 0;
    bool current = false;
  };
  static std::vector<VersionRef> versionsAfter(ReadSession& rs, std::int64_t afterDocument,
                                               std::int64_t limit);
  // Versions stored after audit entry `seq` (what a rebuild started then has not seen).
  static std::vector<VersionRef> versionsSince(ReadSession& rs, std::int64_t seq);
  static std::int64_t lastAuditSeq(ReadSession& rs);
  static std::int64_t versionCount(ReadSession& rs);
};

}  // namespace gongkai::server::store
