// Search freshness: documents filed with a file each at a steady rate through the real server;
// per document, the time from its 201 until a search finds it (the text of its file is what the
// search asks for, so extraction and indexing are both in the time).
//
//   gongkai_freshness_bench [--documents N] [--rate PER_SECOND] [--file-kib K] [--runs R]
//
// Defaults: 1,500 documents at 50 a second (half a minute of a busy archive), 16 KiB files of
// generated disclosure text, SQLite in a temporary data folder; `--store postgresql` runs it on a
// temporary PostgreSQL cluster (fsync on).
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench_accounts.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "search_corpus.h"
#include "search_lag.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace {

using namespace gongkai;
using bench::Clock;
using testing::HttpClient;

// Disclosure text of about `bytes`, with the probe word in its middle: only the file holds it.
std::string fileText(bench::CorpusGenerator& corpus, const std::string& word, std::size_t bytes) {
  std::string text;
  while (text.size() < bytes / 2) text += corpus.next().body + "\n";
  text += word + "\n";
  while (text.size() < bytes) text += corpus.next().body + "\n";
  return text;
}

struct RunFigures {
  std::vector<double> lags;
  std::size_t lost = 0;
  double filed_per_second = 0;
};

RunFigures runOnce(int documents, double rate, std::size_t fileBytes, int run) {
  testing::TempDir temp;
  testing::ServerProcess server(temp / "data");
  const bench::BenchAccounts accounts =
      bench::signInBenchAccounts(server, "bench-password-long-enough");
  const HttpClient archivist = HttpClient(server.port()).as(accounts.archivist);
  bench::LagWatcher watcher(HttpClient(server.port()).as(accounts.admin));

  // Files are made before the clock starts, so the pace is the server's, not the generator's.
  bench::CorpusGenerator corpus(static_cast<std::uint64_t>(run) + 1);
  std::vector<std::string> words, texts;
  for (int i = 0; i < documents; ++i) {
    words.push_back(bench::probeWord(run * documents + i));
    texts.push_back(fileText(corpus, words.back(), fileBytes));
  }
  // Four filers share the schedule: one slow answer does not hold back the next filing.
  constexpr int kFilers = 4;
  const auto every = std::chrono::duration<double>(1.0 / rate);
  const auto started = Clock::now();
  std::atomic<int> next{0}, refused{0};
  std::vector<std::thread> filers;
  for (int f = 0; f < kFilers; ++f) {
    filers.emplace_back([&] {
      for (int i = next++; i < documents; i = next++) {
        std::this_thread::sleep_until(started +
                                      std::chrono::duration_cast<Clock::duration>(every * i));
        const auto made = archivist.postMultipart(
            "/api/v1/documents",
            {{"metadata", "", "application/json",
              R"({"title":"时效测量 )" + std::to_string(i) +
                  R"(","category":"ZZ","org_unit":"branch-1","scope":"public",)"
                  R"("mode":"proactive","period":"periodic","issued_at":"2024-03-01"})",
              ""},
             {"file", "f" + std::to_string(i) + ".txt", "text/plain", texts[i], ""}});
        if (made.status != 201) {
          ++refused;
          continue;
        }
        watcher.written(words[i], Clock::now());
      }
    });
  }
  for (auto& filer : filers) filer.join();
  RunFigures figures;
  figures.filed_per_second = documents / bench::seconds(started);
  figures.lags = watcher.finish();
  figures.lost = watcher.lost() + static_cast<std::size_t>(refused.load());
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  int documents = 1500, fileKib = 16, runs = 3;
  double rate = 50;
  std::string store = "sqlite";
  bench::Options("gongkai_freshness_bench",
                 "From a document's 201 to its first search hit, while documents with files are "
                 "filed at a steady rate.")
      .add("--documents", &documents, "documents filed per run")
      .add("--rate", &rate, "documents filed per second")
      .add("--file-kib", &fileKib, "size of each document's text file")
      .add("--runs", &runs, "runs (medians of the runs' figures are printed)")
      .add("--store", &store, "sqlite or postgresql")
      .parse(argc, argv);
  if (store == "postgresql") {
    ::setenv("GONGKAI_TEST_STORE", "postgresql", 1);
    ::setenv("GONGKAI_TEST_PG_FSYNC", "1", 0);
  }
  std::printf("freshness: %d documents with a %d KiB text file at %.0f/s on %s, %d runs\n",
              documents, fileKib, rate, store.c_str(), runs);
  std::vector<double> p50s, p99s, maxima;
  for (int r = 0; r < runs; ++r) {
    const RunFigures f = runOnce(documents, rate, static_cast<std::size_t>(fileKib) << 10, r);
    if (f.lags.empty()) {
      std::printf("run %d: nothing found (%zu lost)\n", r + 1, f.lost);
      return 1;
    }
    p50s.push_back(bench::median(f.lags));
    p99s.push_back(bench::percentile(f.lags, 0.99));
    maxima.push_back(*std::max_element(f.lags.begin(), f.lags.end()));
    std::printf(
        "run %d: filed %.1f/s; found after p50 %.3f s, p99 %.3f s, max %.3f s (%zu not "
        "found in 30 s or refused)\n",
        r + 1, f.filed_per_second, p50s.back(), p99s.back(), maxima.back(), f.lost);
    std::fflush(stdout);
  }
  std::printf("median of %d runs: p50 %.3f s, p99 %.3f s (aim: p99 <= 1 s)\n", runs,
              bench::median(p50s), bench::median(p99s));
  return 0;
}
