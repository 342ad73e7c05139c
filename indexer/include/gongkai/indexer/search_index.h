#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/core/time.h"

namespace Xapian {
class Database;
class WritableDatabase;
class Query;
}  // namespace Xapian

namespace gongkai::indexer {

class ParallelBuilder;

// What an index entry is: a document version, or a feedback record or application (only their
// current state is indexed, one entry each, replaced as they change).
inline constexpr std::string_view kTypeDocument = "document";
inline constexpr std::string_view kTypeFeedback = "feedback";
inline constexpr std::string_view kTypeRequest = "request";

// One version of a document as the index sees it. Every version is its own index entry, so
// superseded versions stay searchable; only the current one carries the "current" term.
// Feedback and applications use the same fields: their id in document_id, scope "feedback" or
// "request" (which the visibility clauses for them name), no contact details anywhere.
struct IndexedVersion {
  std::string type = std::string(kTypeDocument);
  std::int64_t document_id = 0;
  std::int64_t version = 0;
  bool current = true;
  std::string title;
  std::string doc_number;
  std::string summary;
  std::vector<std::string> file_texts;  // extracted text of each file, in order
  std::string category;
  std::string org_unit;
  std::string scope;
  std::string status;
  std::string mode;
  std::string period;
  int year = 0;
  core::Date date;  // issued, else created: what "from/to" and sort=date use
};

// A search as asked. Filters within one field are ORed, across fields ANDed.
struct SearchRequest {
  std::string query;  // user text; may be empty (then every document matches)
  std::vector<std::string> categories, scopes, org_units, statuses, modes, periods;
  std::vector<std::string> types;  // document, feedback, request; empty: all the searcher sees
  std::vector<int> years;
  std::optional<core::Date> from, to;
  bool sort_by_date = false;
  bool history = false;  // also superseded versions
  int offset = 0;
  int limit = 20;
};

struct SearchHit {
  std::string type;              // document, feedback or request
  std::int64_t document_id = 0;  // or the feedback's or application's id
  std::int64_t version = 0;
  bool current = true;
  std::string title;
  std::string doc_number;
  std::string category;
  std::string org_unit;
  std::string scope;
  std::string status;  // of this version: draft … archived, or the record's for feedback
  core::Date date;
  double score = 0;
  std::string snippet;   // HTML-escaped text with matches in <mark>…</mark>
  bool partial = false;  // holds only some of the query's words (below every all-words hit)
  std::vector<std::string> missing_terms;  // the words it lacks, as typed; empty when !partial
};

// Hits come in two tiers: every document holding all the query's words, ranked, then (for a
// query of several plain words) the documents holding only some of them, ranked by how many they
// hold, then by relevance. Paging runs through both as one list.
struct SearchResult {
  std::int64_t total = 0;            // total_all_words + total_partial
  std::int64_t total_all_words = 0;  // exact
  // 0 for a query with no partial tier. Exact when the page reaches into the partial tier;
  // when the all-words hits fill the page, counted only so far and estimated past that
  // (total_partial_exact false), since an exact count costs a pass over every document holding
  // any of the words.
  std::int64_t total_partial = 0;
  bool total_partial_exact = true;
  std::vector<SearchHit> hits;
  // field → value → count, over every all-words match (not just this page); over the partial
  // matches instead when there is no all-words match (facets_count_partial)
  std::map<std::string, std::map<std::string, std::int64_t>> facets;
  bool facets_count_partial = false;
  // The words some partial match lacks, as typed, in the order typed. (Which ones, not how many:
  // counting them cost a pass over the partial matches per word.)
  std::vector<std::string> missing_terms;
  bool fallback_query = false;  // the query parser refused the text; it was taken word by word
};

struct IndexStats {
  std::int64_t documents = 0;   // current versions
  std::int64_t versions = 0;    // all versions indexed
  std::string last_commit;      // RFC 3339, "" before the first
  std::int64_t generation = 0;  // bumped by each rebuild
  std::uint64_t bytes = 0;      // on disk
};

// Versions of these scopes and statuses, in these organisation units (any unit when unset).
struct ViewerClause {
  std::vector<std::string> scopes;
  std::vector<std::string> statuses;
  std::optional<std::vector<std::string>> org_units;
};

// What the searcher may see, as the policy engine decided: everything, or versions matching any
// clause (no clause: nothing). The index adds it to every query in one place, so hits and facet
// counts alike leave out what the searcher may not see.
struct Viewer {
  bool sees_everything = true;
  std::vector<ViewerClause> clauses;
};

// The Xapian index under one folder. One writer (the caller serialises put/commit), any number
// of concurrent searches, and rebuilds that swap a fresh index in while searches go on.
class SearchIndex {
 public:
  // Opens the folder's current index, creating an empty one; removes leftovers of rebuilds.
  // Fails with reason search_index_locked while another process writes it.
  static core::Result<std::unique_ptr<SearchIndex>> open(const std::string& folder);
  // Opens one index database read-only: a replica kept by xapian-replicate (whose full copies
  // switch the folder it reads, which searches follow), or a generation folder of an index that
  // another process writes. put(), commit() and rebuilds throw std::logic_error; `generation` is
  // what stats() reports.
  static core::Result<std::unique_ptr<SearchIndex>> openReadOnly(const std::string& path,
                                                                 std::int64_t generation);
  // The name of the folder's current index ("index-N", below `folder`), "" when there is none.
  static std::string currentName(const std::string& folder);
  static std::int64_t generationOfName(const std::string& name);
  // The last commit (RFC 3339) recorded in the index database at `path`, "" when unreadable.
  static std::string lastCommitOf(const std::string& path);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Adds or replaces one version (found by document id and version). Index failures throw
  // std::runtime_error.
  void put(const IndexedVersion& version);
  // Makes what was put visible to searches and durable.
  void commit();

  core::Result<SearchResult> search(const SearchRequest& request, const Viewer& viewer) const;
  // From how many index entries (the highest document id) a search's all-words tier is split into
  // two halves searched at once on two threads, with the same answer as one pass (at 1,000,000
  // documents one pass over ~100,000 matches took 300 ms). The server sets it from
  // gongkai.search.split_from_entries; tests set it low to compare the two.
  static constexpr std::int64_t kSplitSearchFrom = 50'000;
  void setSplitSearchFrom(std::int64_t entries) { splitFrom_ = entries; }
  // False for an index written in an older layout: rebuild it (the server does so at start).
  bool hasCurrentFormat() const;
  IndexStats stats() const;

  // A fresh index built beside the live one; swapIn() replaces the live one with it atomically.
  class Rebuild {
   public:
    ~Rebuild();
    // Adds a version. Until catchUp() each version must come once only (a rebuild's first pass
    // reads each once) and is indexed on worker threads; after it, a version already added is
    // replaced.
    void put(const IndexedVersion& version);
    // Finishes the first pass (waits for the workers and merges their parts, which takes a while
    // for a large index): call it before holding back the writer for the last few versions.
    void catchUp();

   private:
    friend class SearchIndex;
    Rebuild(std::string path, std::int64_t generation);
    std::string path_;
    std::int64_t generation_;
    std::unique_ptr<ParallelBuilder> firstPass_;    // until catchUp()
    std::unique_ptr<Xapian::WritableDatabase> db_;  // after catchUp()
    bool swapped_ = false;
  };
  std::unique_ptr<Rebuild> startRebuild();
  // Commits the rebuild, makes it the live index (searches switch at their next call) and
  // retires the old one. The caller holds back put() while this runs.
  void swapIn(std::unique_ptr<Rebuild> rebuild);
  // Closes the writable database, releasing its lock for another process to write the index;
  // searches go on. Nothing may be put or committed afterwards.
  void releaseWriter();
  // The live index database's path.
  std::string path() const;

 private:
  SearchIndex(std::string folder, std::string current, std::int64_t generation);
  // A reader database and the readers' epoch it was opened in (see epoch_).
  struct Reader {
    std::int64_t epoch = 0;
    std::unique_ptr<Xapian::Database> db;
  };
  Reader openReader() const;
  void returnReader(Reader reader) const;
  // A read-only index: drops the pooled readers when a replica's full copy switched the folder
  // its stub file names (they would go on reading the removed one).
  void followReplicaStub() const;
  Xapian::WritableDatabase& writer() const;

  std::string folder_;
  std::string currentPath_;  // guarded by mutex_
  std::atomic<std::int64_t> generation_;
  std::unique_ptr<Xapian::WritableDatabase> writer_;
  std::string lastCommit_;
  std::string format_;  // guarded by mutex_
  bool readOnly_ = false;
  mutable std::string stubSeen_;  // read-only: the replica stub's text as last read
  // Bumped when the database the readers read is replaced (a rebuild swapped in, a replica's
  // full copy): pooled readers of an older epoch are dropped. Guarded by mutex_.
  mutable std::int64_t epoch_ = 0;
  mutable std::mutex mutex_;
  mutable std::vector<Reader> readers_;  // kept open between searches
  std::atomic<std::int64_t> splitFrom_{kSplitSearchFrom};
};

// Makes every commit of this process keep a changeset, the last `count` of them, which
// xapian-replicate-server sends to replicas (so they copy only what changed). Xapian reads
// XAPIAN_MAX_CHANGESETS from the environment: call this before other threads start.
void keepChangesets(int count);

}  // namespace gongkai::indexer
