// HTTP ingest with one and with two servers on one PostgreSQL database, against one server on
// SQLite: the same clients filing the same small documents (metadata only, so the store and the
// audit chain are measured, not the disk's copy speed), spread evenly over the servers.
//
//   gongkai_ingest_bench [--clients N] [--seconds S] [--runs R]
//
// Without --mode it runs each mode R times (default 3), each in a fresh process and data folder,
// and prints the median writes/s and latencies per mode and the ratios from the same run.
// PostgreSQL runs in a temporary cluster with fsync on; SQLite commits with synchronous=FULL.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
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

using namespace gongkai;
using bench::Clock;
using testing::HttpClient;

struct Figures {
  double writes_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  long errors = 0;
};

// One measurement: `servers` servers on a fresh folder, `clients` threads writing for `seconds`.
Figures measure(int servers, int clients, int seconds) {
  testing::TempDir temp;
  const std::string dataDir = temp / "data";
  std::vector<std::unique_ptr<testing::ServerProcess>> running;
  running.push_back(std::make_unique<testing::ServerProcess>(dataDir));
  const bench::BenchAccounts accounts =
      bench::signInBenchAccounts(*running.front(), "bench-password-long-enough");
  for (int i = 1; i < servers; ++i) {
    running.push_back(std::make_unique<testing::ServerProcess>(dataDir));
  }
  std::atomic<bool> stop{false};
  std::atomic<long> writes{0}, errors{0};
  std::mutex mutex;
  std::vector<double> latencies;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      const HttpClient on = HttpClient(running[c % servers]->port()).as(accounts.archivist);
      std::vector<double> mine;
      for (long i = 0; !stop; ++i) {
        const auto sent = Clock::now();
        const auto made = on.postJson(
            "/api/v1/documents",
            R"({"title":"接收测量 )" + std::to_string(c) + "-" + std::to_string(i) +
                R"(","category":"ZZ","org_unit":"branch-1","scope":"public","mode":"proactive",)"
                R"("period":"periodic","issued_at":"2024-03-01","summary":"吞吐测量"})");
        mine.push_back(bench::seconds(sent) * 1000);
        if (made.status == 201) {
          ++writes;
        } else {
          ++errors;
        }
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  // The first seconds warm up (connections, caches); what is counted starts after them.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long before = writes;
  const auto started = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const long counted = writes - before;
  const double elapsed = bench::seconds(started);
  stop = true;
  for (auto& thread : threads) thread.join();
  Figures figures;
  figures.writes_per_second = static_cast<double>(counted) / elapsed;
  figures.p50_ms = bench::median(latencies);
  figures.p99_ms = bench::percentile(latencies, 0.99);
  figures.errors = errors;
  return figures;
}

// Runs this program again for one measurement (a fresh process: the test store's choice of
// backend is made once per process) and reads its figures.
Figures measureApart(const char* self, const std::string& mode, int clients, int seconds) {
  int pipeFds[2];
  if (::pipe(pipeFds) != 0) std::exit(2);
  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(pipeFds[1], STDOUT_FILENO);
    ::close(pipeFds[0]);
    const std::string c = std::to_string(clients), s = std::to_string(seconds);
    ::execl(self, self, "--mode", mode.c_str(), "--clients", c.c_str(), "--seconds", s.c_str(),
            nullptr);
    std::_Exit(127);
  }
  ::close(pipeFds[1]);
  std::string out;
  char buffer[4096];
  ssize_t got;
  while ((got = ::read(pipeFds[0], buffer, sizeof buffer)) > 0) out.append(buffer, got);
  ::close(pipeFds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  Figures figures;
  if (std::sscanf(out.c_str(), "RESULT %lf %lf %lf %ld", &figures.writes_per_second,
                  &figures.p50_ms, &figures.p99_ms, &figures.errors) != 4) {
    std::fprintf(stderr, "%s: no result:\n%s\n", mode.c_str(), out.c_str());
    std::exit(1);
  }
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode;
  int clients = 16, seconds = 15, runs = 3;
  gongkai::bench::Options("gongkai_ingest_bench",
                          "HTTP ingest: one SQLite server, one and two PostgreSQL servers.")
      .add("--clients", &clients, "concurrent clients")
      .add("--seconds", &seconds, "length of each run")
      .add("--runs", &runs, "runs per mode (medians are printed)")
      .add("--mode", &mode, "internal: measure one mode in this process")
      .parse(argc, argv);
  if (!mode.empty()) {
    if (mode != "sqlite") {
      ::setenv("GONGKAI_TEST_STORE", "postgresql", 1);
      ::setenv("GONGKAI_TEST_PG_FSYNC", "1", 0);
    }
    const Figures f = measure(mode == "postgresql-2" ? 2 : 1, clients, seconds);
    std::printf("RESULT %.1f %.2f %.2f %ld\n", f.writes_per_second, f.p50_ms, f.p99_ms, f.errors);
    return 0;
  }
  std::printf("ingest: %d clients filing metadata-only documents for %d s, %d runs per mode\n",
              clients, seconds, runs);
  std::map<std::string, double> medianRate;
  for (const std::string m : {"sqlite", "postgresql-1", "postgresql-2"}) {
    std::vector<double> rates, p50s, p99s;
    long errors = 0;
    for (int r = 0; r < runs; ++r) {
      const Figures f = measureApart(argv[0], m, clients, seconds);
      rates.push_back(f.writes_per_second);
      p50s.push_back(f.p50_ms);
      p99s.push_back(f.p99_ms);
      errors += f.errors;
    }
    medianRate[m] = bench::median(rates);
    std::printf("%-14s median %7.1f writes/s   p50 %6.2f ms   p99 %7.2f ms   errors %ld\n",
                m.c_str(), medianRate[m], bench::median(p50s), bench::median(p99s), errors);
  }
  std::printf("two PostgreSQL servers / one: %.2f x;  one PostgreSQL / SQLite: %.2f x\n",
              medianRate["postgresql-2"] / medianRate["postgresql-1"],
              medianRate["postgresql-1"] / medianRate["sqlite"]);
  return 0;
}
