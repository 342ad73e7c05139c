// gongkai_load_bench: a long mixed load against one real server (hardening issue, "Load"):
// readers (the public board and published documents), searchers, archivists filing documents
// with a file, and anonymous feedback, all at once, for --minutes minutes (default 10). Prints,
// per minute, the requests, errors, p50 and p99 latency and the server's resident memory, then
// the first minute against the last. Every answer must be a success: any error fails the run.
// Usage: gongkai_load_bench [--minutes N] [--readers N] [--searchers N] [--archivists N]
//                           [--archivist-pause-ms N]
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_accounts.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace {

using namespace gongkai::testing;
using gongkai::bench::Clock;
using Tokens = gongkai::bench::BenchAccounts;
using namespace std::chrono_literals;

double percentileOf(const std::vector<double>& values, double p) {
  return values.empty() ? 0.0 : gongkai::bench::percentile(values, p);
}

long rssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Latencies and errors per minute of the run.
class Recorder {
 public:
  explicit Recorder(Clock::time_point start) : start_(start) {}
  void record(const std::string& kind, double millis, bool ok, const std::string& what) {
    const auto minute = static_cast<std::size_t>(
        std::chrono::duration_cast<std::chrono::minutes>(Clock::now() - start_).count());
    std::lock_guard lock(mutex_);
    if (minutes_.size() <= minute) minutes_.resize(minute + 1);
    minutes_[minute].latencies.push_back(millis);
    minutes_[minute].by_kind[kind].push_back(millis);
    if (!ok) {
      ++minutes_[minute].errors;
      if (errorsShown_++ < 10) std::cerr << "  error: " << what << std::endl;
    }
  }
  struct Minute {
    std::vector<double> latencies;
    std::map<std::string, std::vector<double>> by_kind;
    long errors = 0;
    long rss_kib = 0;
  };
  std::vector<Minute> take() {
    std::lock_guard lock(mutex_);
    return minutes_;
  }
  void noteRss(std::size_t minute, long kib) {
    std::lock_guard lock(mutex_);
    if (minutes_.size() <= minute) minutes_.resize(minute + 1);
    minutes_[minute].rss_kib = kib;
  }

 private:
  Clock::time_point start_;
  std::mutex mutex_;
  std::vector<Minute> minutes_;
  int errorsShown_ = 0;
};

const std::vector<std::string> kWords = {"党费",     "收缴",     "组织生活", "民主评议",
                                         "发展党员", "三会一课", "主题党日", "公开",
                                         "支部",     "整改",     "通知",     "决定"};

// Files and publishes `count` public documents, so readers and searchers have something to find.
std::vector<std::int64_t> publish(const HttpClient& archivist, const HttpClient& reviewer,
                                  int count) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < count; ++i) {
    std::string metadata =
        sampleMetadata(kWords[i % kWords.size()] + "情况公示" + std::to_string(i));
    const auto made = archivist.postJson("/api/v1/documents", metadata);
    if (made.status != 201) continue;
    const std::string path =
        "/api/v1/documents/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
    archivist.request("POST", path + "/submit", "", "");
    reviewer.postJson(path + "/approve", R"({"confidentiality_reviewed":true,"opinion":"同意"})");
    if (reviewer.postJson(path + "/publish", R"({"channels":["bulletin_board"]})").status == 200) {
      ids.push_back(made.json()->getValue<Poco::Int64>("id"));
    }
  }
  return ids;
}

}  // namespace

int main(int argc, char** argv) {
  // Archivists file at a pace (a unit's whole year is a few hundred documents): unpaced, two of
  // them filed some 50,000 documents in ten minutes, and what grew was the work of every search.
  int minutes = 10, readers = 4, searchers = 2, archivists = 2, archivistPauseMs = 250;
  gongkai::bench::Options("gongkai_load_bench",
                          "A long mixed load against one server; latency and memory per minute.")
      .add("--minutes", &minutes, "length of the run")
      .add("--readers", &readers, "clients reading the board and documents")
      .add("--searchers", &searchers, "clients searching")
      .add("--archivists", &archivists, "clients filing documents with a file")
      .add("--archivist-pause-ms", &archivistPauseMs, "each archivist's pause between filings")
      .parse(argc, argv);
  TempDir temp;
  // Anonymous feedback all comes from loopback here: the per-address hourly allowance is lifted.
  ServerProcess server(temp / "data", {"-D", "gongkai.feedback.submissions_per_hour=100000000"});
  const Tokens tokens = gongkai::bench::signInBenchAccounts(server, "load-bench-password");
  const HttpClient anonymous(server.port());
  const HttpClient archivist = anonymous.as(tokens.archivist),
                   reviewer = anonymous.as(tokens.reviewer);
  const auto published = publish(archivist, reviewer, 60);
  std::cout << "gongkai_load_bench: " << minutes << " min; " << readers << " readers, " << searchers
            << " searchers, " << archivists << " archivists (a document each every "
            << archivistPauseMs << " ms and its answer), 1 anonymous feedback writer; "
            << published.size() << " published documents to start with" << std::endl;

  const auto start = Clock::now();
  const auto until = start + std::chrono::minutes(minutes);
  Recorder recorder(start);
  const auto timed = [&](const std::string& what, const std::function<HttpResponse()>& call,
                         int expected) {
    const auto t0 = Clock::now();
    HttpResponse answer;
    try {
      answer = call();
    } catch (const std::exception& e) {
      answer.status = 0;
      answer.body = e.what();
    }
    const double millis = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    recorder.record(
        what, millis, answer.status == expected,
        what + " → " + std::to_string(answer.status) + " " + answer.body.substr(0, 200));
  };
  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      std::mt19937 random(r);
      for (int i = 0; Clock::now() < until; ++i) {
        if (i % 4 == 0) {
          timed(
              "GET /board", [&] { return anonymous.get("/api/v1/board"); }, 200);
        } else {
          const auto id = published[random() % published.size()];
          timed(
              "GET document",
              [&] { return anonymous.get("/api/v1/documents/" + std::to_string(id)); }, 200);
        }
      }
    });
  }
  for (int s = 0; s < searchers; ++s) {
    threads.emplace_back([&, s] {
      std::mt19937 random(100 + s);
      while (Clock::now() < until) {
        std::string query;
        Poco::URI::encode(kWords[random() % kWords.size()], "", query);
        timed(
            "search", [&] { return anonymous.get("/api/v1/search?q=" + query); }, 200);
      }
    });
  }
  for (int a = 0; a < archivists; ++a) {
    threads.emplace_back([&, a] {
      for (int i = 0; Clock::now() < until; ++i) {
        const std::string title =
            kWords[i % kWords.size()] + "记录" + std::to_string(a) + "-" + std::to_string(i);
        timed(
            "POST document",
            [&] {
              return archivist.postMultipart(
                  "/api/v1/documents",
                  {{"metadata", "", "", sampleMetadata(title), ""},
                   {"file", title + ".txt", "text/plain", title + std::string(4000, 'x'), ""}});
            },
            201);
        std::this_thread::sleep_for(std::chrono::milliseconds(archivistPauseMs));
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; Clock::now() < until; ++i) {
      timed(
          "POST feedback",
          [&] {
            return anonymous.postJson("/api/v1/feedback",
                                      R"({"channel":"online","content":"建议公开)" +
                                          kWords[i % kWords.size()] + R"(情况"})");
          },
          201);
      std::this_thread::sleep_for(50ms);
    }
  });
  for (int minute = 0; minute < minutes; ++minute) {
    std::this_thread::sleep_until(start + std::chrono::minutes(minute + 1) - 1s);
    recorder.noteRss(static_cast<std::size_t>(minute), rssKib(server.pid()));
  }
  for (auto& thread : threads) thread.join();

  const auto table = recorder.take();
  long errors = 0;
  std::cout << "minute  requests  errors  p50_ms  p99_ms  rss_mib" << std::fixed
            << std::setprecision(1) << std::endl;
  for (std::size_t m = 0; m < table.size() && m < static_cast<std::size_t>(minutes); ++m) {
    const auto& row = table[m];
    errors += row.errors;
    std::cout << std::setw(6) << m + 1 << std::setw(10) << row.latencies.size() << std::setw(8)
              << row.errors << std::setw(8) << percentileOf(row.latencies, 0.5) << std::setw(8)
              << percentileOf(row.latencies, 0.99) << std::setw(9) << row.rss_kib / 1024.0
              << std::endl;
  }
  if (table.size() >= 2) {
    const auto& first = table.front();
    const auto& last =
        table[std::min<std::size_t>(table.size(), static_cast<std::size_t>(minutes)) - 1];
    std::cout << "first minute against last: p99 " << percentileOf(first.latencies, 0.99) << " → "
              << percentileOf(last.latencies, 0.99) << " ms, RSS " << first.rss_kib / 1024.0
              << " → " << last.rss_kib / 1024.0 << " MiB" << std::endl;
    for (const auto& [kind, latencies] : first.by_kind) {
      const auto later = last.by_kind.find(kind);
      std::cout << "  " << kind << ": " << latencies.size() << " → "
                << (later == last.by_kind.end() ? 0 : later->second.size()) << " a minute, p99 "
                << percentileOf(latencies, 0.99) << " → "
                << (later == last.by_kind.end() ? 0.0 : percentileOf(later->second, 0.99)) << " ms"
                << std::endl;
    }
  }
  std::cout << (errors == 0 ? "0 errors" : std::to_string(errors) + " errors") << std::endl;
  return errors == 0 ? 0 : 1;
}
