#pragma once

// The SQLite FTS5 baseline of the search benchmark: the corpus in an FTS5 table with the trigram
// tokenizer (title, doc_number, summary, body), the filter and facet fields in a plain side table
// `docs` with the same rowid, and the query the Xapian index answers: a two-word query with a
// category filter, the top 20 by bm25 with a snippet, and facet counts over all matches.
//
// The trigram tokenizer matches substrings of three or more characters only; a two-character
// Chinese word (党员, 公示) matches nothing with MATCH. The benchmark's queries use words of three
// or more characters (see twoWordQueries). LIKE would find shorter words by scanning, but SQLite
// 3.40's trigram LIKE also returns nothing for two non-ASCII characters (it counts bytes, not
// characters, when deciding whether the index can answer), so only `(body || '') LIKE` works there.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "search_corpus.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gongkai::bench {

struct SearchHit {
  std::int64_t id = 0;
  std::string title;
  std::string snippet;
  double score = 0;  // bm25: lower is better
};

// (value, count), most frequent first.
using FacetCounts = std::vector<std::pair<std::string, std::int64_t>>;

struct SearchResult {
  std::int64_t total = 0;  // documents matching query and filter
  std::vector<SearchHit> hits;
  FacetCounts byCategory, byYear, byScope, byOrgUnit;
};

// How a ranking query is asked (see Fts5Baseline::rank).
enum class Fts5Mode {
  kMatchAll,  // trigram MATCH, every word required, bm25
  kMatchAny,  // trigram MATCH, any word, bm25
  kLikeAll,   // LIKE '%word%' for every word over all fields: a scan; title matches first
};

class Fts5Baseline {
 public:
  // Creates a fresh database at `path` (an existing file there is removed).
  explicit Fts5Baseline(const std::string& path);
  ~Fts5Baseline();
  Fts5Baseline(const Fts5Baseline&) = delete;
  Fts5Baseline& operator=(const Fts5Baseline&) = delete;

  // Adds the documents in one transaction.
  void addBatch(const std::vector<CorpusDocument>& documents);
  // Merges the index into one segment ('optimize') and checkpoints the WAL, as the end of a
  // rebuild would; afterwards fileBytes() is the size of the whole index.
  void finish();

  // `query` is words separated by spaces, all required; `category` empty means no filter.
  // Facets count every match of query and filter, not only the top 20.
  SearchResult search(const std::string& query, const std::string& category);
  // The ids of the top `limit` documents for space-separated words, best first, as `mode` asks.
  std::vector<std::int64_t> rank(const std::string& query, Fts5Mode mode, int limit);

  std::int64_t fileBytes() const;
  // Bytes per table (FTS5 index, FTS5 copy of the text, side table, ...), from the dbstat virtual
  // table; empty when SQLite was built without it.
  std::vector<std::pair<std::string, std::int64_t>> tableBytes();

 private:
  void exec(const char* sql);
  sqlite3_stmt* prepare(const char* sql);

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insertDoc_ = nullptr;
  sqlite3_stmt* insertText_ = nullptr;
  sqlite3_stmt* top_ = nullptr;
  sqlite3_stmt* facets_ = nullptr;
};

// The FTS5 MATCH expression for space-separated words: each quoted, all required.
std::string fts5MatchExpression(const std::string& query);

}  // namespace gongkai::bench
