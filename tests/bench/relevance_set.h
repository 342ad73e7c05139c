#pragma once

// A graded relevance set for search ranking, made by construction: for each query, documents
// that hold its words in chosen places (title, 文号, summary, body), chosen often, whole or with
// their characters apart, each graded 0–3 by those places alone (no engine decides a grade).
// Queries are single and two-word, with two-character words, full-width forms, and traditional
// characters on the query side or the document side. The set, nDCG@10 over it, and the two
// engines it is measured on (our index; SQLite FTS5 trigram in three modes) are shared by the
// relevance test (tests/indexer/relevance_test.cpp) and the search benchmark.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gongkai/indexer/search_index.h"
#include "search_corpus.h"

namespace gongkai::bench {

struct JudgedQuery {
  std::string text;  // as a user types it: "换届选举", "党员大会 表决", "ＯＡ系统", "換屆選舉"
  std::string kind;  // what it exercises, e.g. "one word", "two words", "traditional query"
  std::map<std::int64_t, int> grades;  // document id → grade 1–3; every other document is 0
};

struct RelevanceSet {
  std::vector<CorpusDocument> documents;  // ids 1…n in a shuffled order (no grade in the ids)
  std::vector<JudgedQuery> queries;
};

// The set, deterministic. Throws std::logic_error if a filler sentence holds a query word (the
// grades would be wrong).
RelevanceSet makeRelevanceSet();

// nDCG@k of `ranked` (best first) against `grades`, with gain 2^grade − 1 and the ideal order
// of every graded document: 1 for a perfect top k, 0 when nothing relevant is in it.
double ndcgAt(const std::vector<std::int64_t>& ranked, const std::map<std::int64_t, int>& grades,
              std::size_t k = 10);

// A corpus document as the server indexes a document version (status draft, current).
indexer::IndexedVersion toIndexedVersion(const CorpusDocument& doc);

struct RelevanceFigures {
  double mean = 0;                               // mean nDCG@10 over the queries
  std::map<std::string, double> byKind;          // mean per query kind
  std::map<std::string, double> byQuery;         // query text → nDCG@10
  std::map<std::string, std::string> topGrades;  // query text → its top 10's grades, "3 3 2 …"
};

// Our index (a SearchIndex in `folder`, filled as a rebuild fills it), asked each query for the
// top 10.
RelevanceFigures measureOurs(const RelevanceSet& set, const std::string& folder);

// SQLite FTS5 with the trigram tokenizer (fts5_baseline) in `path`, each query in every mode:
// mode name → figures. Modes: "MATCH all words" (bm25, the benchmark's query), "MATCH any word"
// (bm25, OR), "LIKE all words" (a substring scan, which finds two-character words that trigram
// MATCH cannot; title matches first, then document order, as it has no ranking of its own).
std::map<std::string, RelevanceFigures> measureFts5(const RelevanceSet& set,
                                                    const std::string& path);

}  // namespace gongkai::bench
