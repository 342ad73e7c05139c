// Search benchmark: builds a search index over a generated corpus of disclosure documents and
// reports indexing throughput, index size per document, peak RSS during the rebuild, and the
// latency (p50, p99) of two-word queries with a category filter, top 20 with snippets and facet
// counts (category, year, scope, org_unit) over all matches. SQLite FTS5 with the trigram
// tokenizer runs as the baseline on the same corpus and queries, side by side.
//
//   gongkai_search_bench [--documents N] [--queries Q] [--runs R] [--keep DIR] [--seed S]
//                        [--only xapian|fts5]
//   gongkai_search_bench --index DIR [--queries Q] [--runs R] [--warmup W] [--seed S]
//                        [--answers FILE]
//
// Defaults: 100,000 documents, 1,000 queries, medians of 3 runs (each a fresh rebuild).
// --keep DIR leaves the last run's index files in DIR. Aims (from the issue): ≥ 1,000 documents/s,
// p50 ≤ 10 ms and p99 ≤ 50 ms at 100,000 documents.
//
// --index DIR times queries only, on the Xapian index an earlier run left with --keep DIR (a
// million documents take hours to index): it opens DIR/xapian read-only, as a replica is opened,
// makes the same queries from the same seed (the queries depend on the seed and their number
// only, not on the documents), and asks each through SearchIndex::search, the call behind
// GET /api/v1/search. W untimed passes first (the page cache: the first pass over a large index
// reads it from disk), then R timed passes; medians of the passes' p50 and p99. --answers FILE
// writes each query's totals, hits and facets, one line each, to compare two builds' answers.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench_stats.h"
#include "fts5_baseline.h"
#include "gongkai/indexer/search_index.h"
#include "relevance_set.h"
#include "search_corpus.h"
#include "support/temp_dir.h"

namespace {

using namespace gongkai::bench;
// Peak resident set size so far (VmHWM), in MB.
double peakRssMb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return 0;
}

// Sets the peak back to the current RSS (Linux ≥ 4.0), so that each rebuild's peak is its own.
void resetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

struct Options {
  std::int64_t documents = 100'000;
  std::size_t queries = 1000;
  int runs = 3;
  std::string keep;
  std::string only;               // "xapian" or "fts5": run one engine alone
  std::uint64_t seed = 20230106;  // the date of seed 001
  std::string index;              // queries only, on the index a --keep run left here
  int warmup = 1;                 // untimed passes before the timed ones (with --index)
  std::string answers;            // where --index writes each query's answer
};

struct Query {
  std::string words;     // "党风廉政建设 责任制"
  std::string category;  // the filter
};

// The same queries for every engine and run: the two-word mix, each with a category filter
// taken in turn, so that frequent and rare categories are both asked for.
std::vector<Query> benchQueries(const Options& options) {
  std::vector<Query> queries;
  const auto& codes = corpusCategoryCodes();
  for (auto& words : twoWordQueries(options.seed + 1, options.queries)) {
    queries.push_back({std::move(words), codes[queries.size() % codes.size()]});
  }
  return queries;
}

constexpr std::size_t kBatch = 1000;  // documents per transaction / commit

struct CorpusStats {
  std::int64_t documents = 0, bytes = 0, minBytes = 1 << 30, maxBytes = 0;
  std::map<std::string, std::int64_t> byCategory, byScope;
  std::map<int, std::int64_t> byYear;
};

// Generates the corpus in batches and hands each to `add`; returns the seconds spent in `add`
// only, so that generating the documents does not count against the indexer.
double feedCorpus(const Options& options, CorpusStats& stats,
                  const std::function<void(const std::vector<CorpusDocument>&)>& add) {
  CorpusGenerator generator(options.seed);
  std::vector<CorpusDocument> batch;
  double addSeconds = 0;
  for (std::int64_t done = 0; done < options.documents;) {
    batch.clear();
    while (batch.size() < kBatch && done < options.documents) {
      batch.push_back(generator.next());
      ++done;
      const CorpusDocument& doc = batch.back();
      const auto bytes =
          static_cast<std::int64_t>(doc.title.size() + doc.summary.size() + doc.body.size());
      ++stats.documents;
      stats.bytes += bytes;
      stats.minBytes = std::min(stats.minBytes, bytes);
      stats.maxBytes = std::max(stats.maxBytes, bytes);
      ++stats.byCategory[doc.category];
      ++stats.byScope[doc.scope];
      ++stats.byYear[doc.year];
    }
    const auto start = Clock::now();
    add(batch);
    addSeconds += seconds(start);
  }
  return addSeconds;
}

// What each engine reports for one run; the medians over runs are printed side by side.
struct EngineFigures {
  double docsPerSecond = 0;  // documents / (adding + finishing)
  double addSeconds = 0;     // adding all batches
  double finishSeconds = 0;  // the final merge / commit
  double bytesPerDocument = 0;
  double peakRssMb = 0;  // during the rebuild
  double p50Ms = 0, p99Ms = 0;
  double meanMatches = 0;  // per query, after the filter
  double noMatchQueries = 0;
  // Xapian: queries whose top 20 were all all-words hits, so the partial tier was estimated.
  double partialEstimated = 0;
};

void printResult(const Query& query, const SearchResult& result) {
  std::printf("  query \"%s\" in %s: %lld matches\n", query.words.c_str(), query.category.c_str(),
              static_cast<long long>(result.total));
  for (std::size_t i = 0; i < std::min<std::size_t>(3, result.hits.size()); ++i) {
    const auto& hit = result.hits[i];
    std::printf("    #%lld %.2f %s\n      %s\n", static_cast<long long>(hit.id), hit.score,
                hit.title.c_str(), hit.snippet.c_str());
  }
  auto facet = [](const char* name, const FacetCounts& counts) {
    std::printf("    %s:", name);
    for (const auto& [value, count] : counts) {
      std::printf(" %s %lld", value.c_str(), static_cast<long long>(count));
    }
    std::printf("\n");
  };
  facet("category", result.byCategory);
  facet("year", result.byYear);
  facet("scope", result.byScope);
  facet("org_unit", result.byOrgUnit);
}

EngineFigures runFts5(const Options& options, const std::vector<Query>& queries,
                      const std::string& dir, bool verbose) {
  EngineFigures figures;
  Fts5Baseline index(dir + "/fts5.sqlite");
  CorpusStats stats;
  resetPeakRss();
  figures.addSeconds =
      feedCorpus(options, stats, [&](const auto& batch) { index.addBatch(batch); });
  const auto finishStart = Clock::now();
  index.finish();
  figures.finishSeconds = seconds(finishStart);
  figures.peakRssMb = peakRssMb();
  figures.docsPerSecond =
      static_cast<double>(options.documents) / (figures.addSeconds + figures.finishSeconds);
  figures.bytesPerDocument =
      static_cast<double>(index.fileBytes()) / static_cast<double>(options.documents);

  std::vector<double> latencies;
  std::int64_t matches = 0;
  for (const Query& query : queries) {
    const auto start = Clock::now();
    const SearchResult result = index.search(query.words, query.category);
    latencies.push_back(seconds(start) * 1e3);
    matches += result.total;
    if (result.total == 0) ++figures.noMatchQueries;
  }
  figures.p50Ms = percentile(latencies, 0.50);
  figures.p99Ms = percentile(latencies, 0.99);
  figures.meanMatches = static_cast<double>(matches) / static_cast<double>(queries.size());

  if (verbose) {
    std::printf("corpus: %lld documents, %.0f bytes on average (min %lld, max %lld)\n",
                static_cast<long long>(stats.documents),
                static_cast<double>(stats.bytes) / static_cast<double>(stats.documents),
                static_cast<long long>(stats.minBytes), static_cast<long long>(stats.maxBytes));
    std::printf("  categories:");
    for (const auto& [code, count] : stats.byCategory)
      std::printf(" %s %lld", code.c_str(), static_cast<long long>(count));
    std::printf("\n  scopes:");
    for (const auto& [scope, count] : stats.byScope)
      std::printf(" %s %lld", scope.c_str(), static_cast<long long>(count));
    std::printf("\n  years:");
    for (const auto& [year, count] : stats.byYear)
      std::printf(" %d %lld", year, static_cast<long long>(count));
    std::printf("\nFTS5 file by table:");
    for (const auto& [table, bytes] : index.tableBytes()) {
      std::printf(" %s %.0f", table.c_str(),
                  static_cast<double>(bytes) / static_cast<double>(options.documents));
    }
    std::printf(" (bytes per document)\nFTS5 sample answer:\n");
    printResult(queries.front(), index.search(queries.front().words, queries.front().category));
  }
  return figures;
}

// Bytes per document of each Xapian table (postlist, position, termlist, docdata), as the
// FTS5 side prints its tables: where the index's size, and the merge's time, go.
void printXapianTables(const std::string& folder, std::int64_t documents) {
  std::map<std::string, std::uintmax_t> bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".glass" && entry.file_size() > 0) {
      bytes[entry.path().stem().string()] += entry.file_size();
    }
  }
  std::printf("Xapian index by table:");
  for (const auto& [table, size] : bytes) {
    std::printf(" %s %.0f", table.c_str(),
                static_cast<double>(size) / static_cast<double>(documents));
  }
  std::printf(" (bytes per document)\n");
}

// One line per query: its text and filter, the totals, the hits (id, version, tier) and the
// facets, so that two builds' answers on the same index can be compared with diff.
void writeAnswer(std::FILE* out, const Query& query, const gongkai::indexer::SearchResult& r) {
  std::fprintf(out, "%s|%s|total %lld all %lld partial %lld%s facets_%s|hits", query.words.c_str(),
               query.category.c_str(), static_cast<long long>(r.total),
               static_cast<long long>(r.total_all_words), static_cast<long long>(r.total_partial),
               r.total_partial_exact ? "" : "~", r.facets_count_partial ? "partial" : "all");
  for (const auto& hit : r.hits) {
    std::fprintf(out, " %lld.%lld%s", static_cast<long long>(hit.document_id),
                 static_cast<long long>(hit.version), hit.partial ? "p" : "");
  }
  std::fprintf(out, "|missing");
  for (const auto& word : r.missing_terms) std::fprintf(out, " %s", word.c_str());
  for (const auto& [field, counts] : r.facets) {
    std::fprintf(out, "|%s", field.c_str());
    for (const auto& [value, count] : counts) {
      std::fprintf(out, " %s=%lld", value.c_str(), static_cast<long long>(count));
    }
  }
  std::fprintf(out, "\n");
}

// Asks every query through SearchIndex::search, the call behind GET /api/v1/search (a category
// filter, top 20 with snippets, facet counts, the partial tier), timing each; into `figures`.
void timeQueries(const gongkai::indexer::SearchIndex& index, const std::vector<Query>& queries,
                 EngineFigures& figures, bool verbose, std::FILE* answers) {
  std::vector<double> latencies;
  std::int64_t matches = 0;
  const gongkai::indexer::Viewer viewer;
  for (const Query& query : queries) {
    gongkai::indexer::SearchRequest request;
    request.query = query.words;
    request.categories = {query.category};
    const auto start = Clock::now();
    auto result = index.search(request, viewer);
    latencies.push_back(seconds(start) * 1e3);
    if (!result.ok()) {
      std::fprintf(stderr, "%s\n", result.error().message.c_str());
      std::exit(1);
    }
    if (answers != nullptr) writeAnswer(answers, query, result.value());
    // All-words matches: what FTS5's query (every word required) counts.
    matches += result.value().total_all_words;
    if (result.value().total_all_words == 0) ++figures.noMatchQueries;
    if (!result.value().total_partial_exact) ++figures.partialEstimated;
    if (verbose && &query == &queries.front()) {
      std::printf("Xapian sample answer: \"%s\" in %s: %lld matches\n", query.words.c_str(),
                  query.category.c_str(), static_cast<long long>(result.value().total));
      for (std::size_t i = 0; i < std::min<std::size_t>(3, result.value().hits.size()); ++i) {
        const auto& hit = result.value().hits[i];
        std::printf("    #%lld %.2f %s\n      %s\n", static_cast<long long>(hit.document_id),
                    hit.score, hit.title.c_str(), hit.snippet.c_str());
      }
    }
  }
  figures.p50Ms = percentile(latencies, 0.50);
  figures.p99Ms = percentile(latencies, 0.99);
  figures.meanMatches = static_cast<double>(matches) / static_cast<double>(queries.size());
}

// The server's own index, filled the way `POST /api/v1/search/rebuild` fills it (a Rebuild
// swapped in), then asked what the API asks: top 20 with snippets and exact facet counts.
EngineFigures runXapian(const Options& options, const std::vector<Query>& queries,
                        const std::string& dir, bool verbose) {
  EngineFigures figures;
  const std::string folder = dir + "/xapian";
  std::filesystem::remove_all(folder);
  auto opened = gongkai::indexer::SearchIndex::open(folder);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    std::exit(1);
  }
  auto index = std::move(opened).value();
  CorpusStats stats;
  resetPeakRss();
  auto rebuild = index->startRebuild();
  figures.addSeconds = feedCorpus(options, stats, [&](const auto& batch) {
    for (const auto& doc : batch) rebuild->put(toIndexedVersion(doc));
  });
  const auto finishStart = Clock::now();
  index->swapIn(std::move(rebuild));
  figures.finishSeconds = seconds(finishStart);
  figures.peakRssMb = peakRssMb();
  figures.docsPerSecond =
      static_cast<double>(options.documents) / (figures.addSeconds + figures.finishSeconds);
  figures.bytesPerDocument =
      static_cast<double>(index->stats().bytes) / static_cast<double>(options.documents);
  if (verbose) printXapianTables(folder, options.documents);

  timeQueries(*index, queries, figures, verbose, nullptr);
  return figures;
}

void printRun(const char* engine, int run, const EngineFigures& f) {
  std::printf(
      "run %d %s: %.0f docs/s (add %.1f s + finish %.1f s), %.0f bytes/doc, peak RSS %.0f MB; "
      "query p50 %.2f ms, p99 %.2f ms, %.0f matches/query, %.0f queries without a match\n",
      run, engine, f.docsPerSecond, f.addSeconds, f.finishSeconds, f.bytesPerDocument, f.peakRssMb,
      f.p50Ms, f.p99Ms, f.meanMatches, f.noMatchQueries);
}

EngineFigures medians(const std::vector<EngineFigures>& runs) {
  auto of = [&](double EngineFigures::*field) {
    std::vector<double> values;
    for (const auto& run : runs) values.push_back(run.*field);
    return median(values);
  };
  EngineFigures m;
  for (auto field :
       {&EngineFigures::docsPerSecond, &EngineFigures::addSeconds, &EngineFigures::finishSeconds,
        &EngineFigures::bytesPerDocument, &EngineFigures::peakRssMb, &EngineFigures::p50Ms,
        &EngineFigures::p99Ms, &EngineFigures::meanMatches, &EngineFigures::noMatchQueries,
        &EngineFigures::partialEstimated}) {
    m.*field = of(field);
  }
  return m;
}

void printSideBySide(const Options& options,
                     const std::vector<std::pair<std::string, EngineFigures>>& engines) {
  std::printf("\nmedians of %d runs at %lld documents, %zu queries:\n%-28s", options.runs,
              static_cast<long long>(options.documents), options.queries, "");
  for (const auto& [name, figures] : engines) std::printf("%16s", name.c_str());
  auto row = [&](const char* label, const char* format, double EngineFigures::*field) {
    std::printf("\n%-28s", label);
    for (const auto& [name, figures] : engines) {
      char cell[32];
      std::snprintf(cell, sizeof cell, format, figures.*field);
      std::printf("%16s", cell);
    }
  };
  row("indexing (docs/s)", "%.0f", &EngineFigures::docsPerSecond);
  row("  adding (s)", "%.1f", &EngineFigures::addSeconds);
  row("  finishing (s)", "%.1f", &EngineFigures::finishSeconds);
  row("index size (bytes/doc)", "%.0f", &EngineFigures::bytesPerDocument);
  row("peak RSS, rebuild (MB)", "%.0f", &EngineFigures::peakRssMb);
  row("query p50 (ms)", "%.2f", &EngineFigures::p50Ms);
  row("query p99 (ms)", "%.2f", &EngineFigures::p99Ms);
  row("matches per query", "%.0f", &EngineFigures::meanMatches);
  row("queries without a match", "%.0f", &EngineFigures::noMatchQueries);
  row("partial count estimated", "%.0f", &EngineFigures::partialEstimated);
  std::printf("\n");
}

// nDCG@10 on the graded relevance set (relevance_set.h), ours and FTS5's modes; the relevance
// test asserts the aim.
void printRelevance(const std::string& dir) {
  const RelevanceSet set = makeRelevanceSet();
  const RelevanceFigures ours = measureOurs(set, dir + "/relevance-xapian");
  const auto fts5 = measureFts5(set, dir + "/relevance-fts5.sqlite");
  // Each column as wide as its heading and two spaces more ("FTS5 MATCH every word" is 21).
  std::vector<int> widths;
  for (const auto& [mode, figures] : fts5) widths.push_back(static_cast<int>(mode.size()) + 7);
  std::printf("\nrelevance: nDCG@10 on the graded set (%zu queries, %zu documents)\n%-28s%10s",
              set.queries.size(), set.documents.size(), "query kind", "ours");
  std::size_t column = 0;
  for (const auto& [mode, figures] : fts5) {
    std::printf("%*s", widths[column++], ("FTS5 " + mode).c_str());
  }
  auto row = [&](const std::string& label, double oursValue, auto of) {
    std::printf("\n%-28s%10.3f", label.c_str(), oursValue);
    std::size_t at = 0;
    for (const auto& [mode, figures] : fts5) std::printf("%*.3f", widths[at++], of(figures));
  };
  for (const auto& [kind, value] : ours.byKind) {
    const std::string& name = kind;  // clang 14 cannot capture a structured binding
    row(kind, value, [&](const RelevanceFigures& f) { return f.byKind.at(name); });
  }
  row("all queries", ours.mean, [](const RelevanceFigures& f) { return f.mean; });
  std::printf("\n");
}

// --index: the queries alone, on an index a --keep run left; see the comment at the top.
int runQueriesOnly(const Options& options) {
  const std::string folder = options.index + "/xapian";
  const std::string name = gongkai::indexer::SearchIndex::currentName(folder);
  if (name.empty()) {
    std::fprintf(stderr, "no index in %s (run with --keep %s first)\n", folder.c_str(),
                 options.index.c_str());
    return 1;
  }
  auto opened = gongkai::indexer::SearchIndex::openReadOnly(
      folder + "/" + name, gongkai::indexer::SearchIndex::generationOfName(name));
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  const auto index = std::move(opened).value();
  const auto stats = index->stats();
  const std::vector<Query> queries = benchQueries(options);
  std::printf(
      "index %s/%s: %lld versions, %.0f bytes/doc; %zu queries (seed %llu), e.g. \"%s\" "
      "in %s\n",
      folder.c_str(), name.c_str(), static_cast<long long>(stats.versions),
      static_cast<double>(stats.bytes) /
          static_cast<double>(std::max<std::int64_t>(stats.versions, 1)),
      queries.size(), static_cast<unsigned long long>(options.seed), queries.front().words.c_str(),
      queries.front().category.c_str());
  for (int pass = 0; pass < options.warmup; ++pass) {
    EngineFigures figures;
    const auto start = Clock::now();
    timeQueries(*index, queries, figures, false, nullptr);
    std::printf("warm-up pass %d (untimed): %.1f s, p50 %.2f ms, p99 %.2f ms\n", pass + 1,
                seconds(start), figures.p50Ms, figures.p99Ms);
  }
  std::vector<EngineFigures> runs;
  for (int run = 0; run < options.runs; ++run) {
    std::FILE* answers = nullptr;
    if (run == 0 && !options.answers.empty()) {
      answers = std::fopen(options.answers.c_str(), "w");
      if (answers == nullptr) {
        std::fprintf(stderr, "cannot write %s\n", options.answers.c_str());
        return 1;
      }
    }
    EngineFigures figures;
    timeQueries(*index, queries, figures, run == 0, answers);
    if (answers != nullptr) std::fclose(answers);
    runs.push_back(figures);
    std::printf(
        "pass %d: query p50 %.2f ms, p99 %.2f ms, %.0f all-words matches/query, %.0f "
        "queries without one, partial count estimated for %.0f\n",
        run + 1, figures.p50Ms, figures.p99Ms, figures.meanMatches, figures.noMatchQueries,
        figures.partialEstimated);
  }
  const EngineFigures m = medians(runs);
  std::printf(
      "\nmedians of %d passes at %lld documents, %zu queries: query p50 %.2f ms, p99 %.2f "
      "ms\n",
      options.runs, static_cast<long long>(stats.versions), queries.size(), m.p50Ms, m.p99Ms);
  return 0;
}

void printSampleDocument(const Options& options) {
  CorpusGenerator generator(options.seed);
  const CorpusDocument doc = generator.next();
  std::printf(
      "sample document #%lld (%zu bytes): category %s, org_unit %s, scope %s, %d-%02d-%02d\n"
      "title: %s\ndoc_number: %s\nsummary: %s\nbody:\n%s\n",
      static_cast<long long>(doc.id), doc.title.size() + doc.summary.size() + doc.body.size(),
      doc.category.c_str(), doc.org_unit.c_str(), doc.scope.c_str(), doc.year, doc.month, doc.day,
      doc.title.c_str(), doc.doc_number.c_str(), doc.summary.c_str(), doc.body.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const char* usage =
      "usage: gongkai_search_bench [--documents N] [--queries Q] [--runs R] [--keep DIR] "
      "[--seed S] [--only xapian|fts5]\n"
      "       gongkai_search_bench --index DIR [--queries Q] [--runs R] [--warmup W] [--seed S] "
      "[--answers FILE]\n"
      "  defaults: 100000 documents, 1000 queries, 3 runs (medians), both engines\n"
      "  --keep DIR      leave the last run's indexes in DIR\n"
      "  --index DIR     time queries only, on the Xapian index a --keep DIR run left (opened\n"
      "                  read-only); the queries are the same for the same --seed and --queries\n"
      "                  (they do not depend on the documents), each asked through\n"
      "                  SearchIndex::search as GET /api/v1/search asks it; W untimed passes\n"
      "                  (default 1: warms the page cache), then R timed passes, medians\n"
      "  --answers FILE  with --index: each query's totals, hits and facets, one line each\n";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::printf("%s", usage);
      return 0;
    }
  }
  for (int i = 1; i < argc; i += 2) {
    const char* flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (value == nullptr) {
      std::fprintf(stderr, "%s needs a value\n%s", flag, usage);
      return 2;
    }
    if (!std::strcmp(flag, "--documents")) {
      options.documents = std::atoll(value);
    } else if (!std::strcmp(flag, "--queries")) {
      options.queries = std::strtoul(value, nullptr, 10);
    } else if (!std::strcmp(flag, "--runs")) {
      options.runs = std::atoi(value);
    } else if (!std::strcmp(flag, "--keep")) {
      options.keep = value;
    } else if (!std::strcmp(flag, "--only")) {
      options.only = value;
    } else if (!std::strcmp(flag, "--seed")) {
      options.seed = std::strtoull(value, nullptr, 10);
    } else if (!std::strcmp(flag, "--index")) {
      options.index = value;
    } else if (!std::strcmp(flag, "--warmup")) {
      options.warmup = std::atoi(value);
    } else if (!std::strcmp(flag, "--answers")) {
      options.answers = value;
    } else {
      // A typo must not run an hours-long benchmark with the defaults.
      std::fprintf(stderr, "unknown option %s\n%s", flag, usage);
      return 2;
    }
  }
  if (options.documents < 1 || options.queries < 1 || options.runs < 1 || options.warmup < 0 ||
      (!options.only.empty() && options.only != "xapian" && options.only != "fts5")) {
    std::fprintf(stderr, "%s", usage);
    return 2;
  }
  if (!options.index.empty()) return runQueriesOnly(options);

  gongkai::testing::TempDir temporary;
  const std::string dir = options.keep.empty() ? temporary.path() : options.keep;
  std::filesystem::create_directories(dir);

  printSampleDocument(options);
  const std::vector<Query> queries = benchQueries(options);
  std::printf(
      "queries: two words of at least three characters each (FTS5's trigram tokenizer "
      "matches nothing shorter), category filter in turn, e.g. \"%s\" in %s\n\n",
      queries.front().words.c_str(), queries.front().category.c_str());

  std::vector<EngineFigures> fts5Runs;
  for (int r = 0; r < options.runs && options.only != "xapian"; ++r) {
    fts5Runs.push_back(runFts5(options, queries, dir, r == 0));
    printRun("FTS5", r + 1, fts5Runs.back());
  }
  std::vector<EngineFigures> xapianRuns;
  for (int r = 0; r < options.runs && options.only != "fts5"; ++r) {
    xapianRuns.push_back(runXapian(options, queries, dir, r == 0));
    printRun("Xapian", r + 1, xapianRuns.back());
  }

  std::vector<std::pair<std::string, EngineFigures>> engines;
  if (!xapianRuns.empty()) engines.emplace_back("Xapian (ours)", medians(xapianRuns));
  if (!fts5Runs.empty()) engines.emplace_back("FTS5 trigram", medians(fts5Runs));
  printSideBySide(options, engines);
  printRelevance(dir);
  return 0;
}
