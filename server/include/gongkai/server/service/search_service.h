#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/document.h"
#include "gongkai/core/feedback.h"
#include "gongkai/core/result.h"
#include "gongkai/indexer/extract.h"
#include "gongkai/indexer/search_index.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/lease_keeper.h"
#include "gongkai/server/service/search_replication.h"
#include "gongkai/server/store/search_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

struct SearchOptions {
  std::string folder;            // the index lives here (DATA/search)
  std::string extractor_binary;  // `gongkai`, run as `gongkai extract-text` for binary formats
  indexer::ExtractionLimits limits;
  int batch_size = 500;                      // outbox entries applied per commit
  std::chrono::milliseconds idle_wait{100};  // how often an idle worker looks at the outbox
  bool follow_writes = true;  // the store's commits wake the worker (else only idle_wait does)
  // The least time from a pass that found more than one entry queued to the next pass, unless a
  // full batch waits. A pass ends in a commit of the index, several fsyncs on the disk the
  // store's own commits wait for: with filings coming faster than passes, a pass per store
  // commit took a quarter of the filing rate. Filings one at a time are applied at once.
  std::chrono::milliseconds commit_spacing{250};
  // From how many index entries (the highest document id) a search's all-words tier is searched
  // as two halves at once on two threads: less time for one search on an idle second core, no
  // gain on a server whose cores are both busy. 0: never.
  std::int64_t split_search_from = indexer::SearchIndex::kSplitSearchFrom;
  // Set when several servers share the database (PostgreSQL): they take turns writing the index
  // by this keeper's lease and the others search replicas (SearchReplication). Null: this server
  // alone writes the index.
  LeaseKeeper* shared = nullptr;
  std::string server_id;           // this server's, which status() names as the writer when alone
  ReplicationOptions replication;  // with `shared`
};

struct SearchStatus {
  indexer::IndexStats index;
  std::int64_t pending = 0;  // outbox entries not yet applied
  bool rebuilding = false;
  std::string last_rebuild;        // RFC 3339 of the last finished rebuild, "" if none
  std::string last_error;          // of the worker, "" when fine
  std::string set_aside;           // the last updates set aside as impossible to index, "" if none
  std::string role;                // "writer" (this server writes the index) or "replica"
  std::string writer;              // the server that writes it ("" when none does just now)
  std::string reading;             // what searches read: "master" (the index itself) or "replica"
  std::string writer_last_commit;  // of the index itself, when this server reads a copy
  std::optional<double> replica_lag_seconds;  // how far the copy searched is behind the index
};

// How far one file's text extraction got: extracted (`ok`, maybe truncated) or failed with a
// code and message.
struct TextExtraction {
  std::string sha256;
  bool ok = false;
  std::string format;
  std::string error_code;
  std::string message;
  bool truncated = false;
  std::string extracted_at;  // RFC 3339
};

// A search's hits, facets and totals, as the index finds them.
using SearchHit = indexer::SearchHit;
using SearchResult = indexer::SearchResult;

// What a search found for one caller. History (superseded versions) is searched only for callers
// who see everything; for others it is refused and said so.
struct SearchAnswer {
  indexer::SearchResult result;
  bool history_refused = false;
  std::string notice;  // searchNotice(): what the searcher is told above the hits, "" if nothing
};

// Keeps the Xapian index in step with the store. New versions reach the outbox in their own
// transaction (store layer); a worker thread applies them in batches, commits the index, then
// deletes them, so a crash anywhere leaves them to be applied again at the next start (applying
// is idempotent). Extracted file text is cached by content hash. Thread-safe.
class SearchService {
 public:
  SearchService(store::Store& store, SearchOptions options, AuthorizerSource authorizer);
  ~SearchService();

  // Opens the index (rebuilding it from the store when it is missing or broken) and starts the
  // worker. With `shared` servers only the writer does so; the others start replicating.
  core::Status start();
  // Stops the worker after its current batch; what is still queued stays in the outbox.
  void stop();
  // Applies everything queued now; for tests and tools.
  core::Status drain();

  // Searches what the subject may see (documents by the visibility rules, cases by the case
  // rules): the index adds it to every query, so hits and facet counts leave out the rest alike.
  core::Result<SearchAnswer> search(const Subject& subject, indexer::SearchRequest request) const;
  core::Result<SearchStatus> status() const;
  // The same, as use cases: search.manage only.
  core::Result<SearchStatus> status(const Subject& subject) const;
  core::Status startRebuild(const Subject& subject);
  // Starts a rebuild in the background; kConflict while one runs, or when another server writes
  // the index (not_index_writer, naming it: only the writer may replace the index).
  core::Status startRebuild();
  // Builds a fresh index from the store and swaps it in, in this thread.
  core::Status rebuildNow();

  // Extraction verdicts of the document's files already processed, by content hash.
  core::Result<std::vector<TextExtraction>> extractionStatus(std::int64_t documentId) const;

 private:
  core::Status mayManage(const Subject& subject) const;
  // The index searches read now (null before there is one).
  std::shared_ptr<indexer::SearchIndex> index() const;
  // Opens the index in options_.folder as its writer, rebuilding it when it lags the store.
  core::Status openAsWriter();
  // Stops writing (after the batch in flight) and releases the index's lock.
  void stopWriting();
  void readFrom(std::shared_ptr<indexer::SearchIndex> index);
  core::Error notIndexWriter() const;
  void workerLoop();
  // The rebuild itself, once rebuilding_ has been set; clears it when done.
  core::Status rebuildMarked();
  // Applies one batch; returns how many outbox entries it handled.
  core::Result<int> applyBatch();
  // Puts what `entries` name into the index and commits it.
  core::Status applyEntries(store::ReadSession& rs, const std::vector<store::OutboxEntry>& entries);
  // After a batch failed: each entry alone. Entries that fail while others succeed can never be
  // applied and are set aside; when every one fails the fault is not theirs and all stay.
  core::Result<int> applyOneByOne(store::ReadSession& rs,
                                  const std::vector<store::OutboxEntry>& entries,
                                  const core::Error& batchError);
  // The version as the index takes it, with the text of its files: known texts from the store,
  // the others extracted now and added to `extracted` for saveExtracted().
  core::Result<indexer::IndexedVersion> indexedVersion(store::ReadSession& rs,
                                                       std::int64_t documentId,
                                                       std::int64_t version, bool current,
                                                       std::vector<store::FileText>& extracted);
  std::string fileText(store::ReadSession& rs, const core::FileRecord& file,
                       std::vector<store::FileText>& extracted);
  void saveExtracted(std::vector<store::FileText>& extracted);
  void dropHitsNoLongerVisible(const Subject& subject, const policies::Authorizer& authorizer,
                               indexer::SearchResult& result) const;

  store::Store& store_;
  SearchOptions options_;
  AuthorizerSource authorizer_;
  mutable std::mutex indexMutex_;
  std::shared_ptr<indexer::SearchIndex> index_;  // guarded by indexMutex_
  // This server writes index_ (always when alone; while it holds the lease when shared). Set and
  // cleared under applyMutex_, so no batch is half applied when it is cleared.
  std::atomic<bool> writing_{false};
  std::unique_ptr<SearchReplication> replication_;  // when shared
  std::mutex applyMutex_;                           // one batch or one rebuild swap at a time
  std::mutex wakeMutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool written_ =
      false;  // the store committed since the worker last looked (guarded by wakeMutex_)
  std::thread worker_;
  std::thread rebuilder_;
  std::atomic<bool> rebuilding_{false};
  mutable std::mutex stateMutex_;
  std::string lastRebuild_;
  std::string lastError_;
  std::string lastSetAside_;  // the last updates set aside as impossible to index, if any
};

// The search document of one stored version.
indexer::IndexedVersion toIndexedVersion(const core::DocumentVersion& version, bool current,
                                         std::vector<std::string> fileTexts);
// The search entries of a feedback record and an application as they are now: what was asked
// and answered, never names or contact details.
indexer::IndexedVersion toIndexedFeedback(const core::FeedbackRecord& record);
indexer::IndexedVersion toIndexedRequest(const core::DisclosureRequest& request);
// The index's filter for what a caller may find.
indexer::Viewer viewerOf(const policies::SearchVisibility& visible);

}  // namespace gongkai::server::service
