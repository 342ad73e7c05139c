// Replica lag: two servers on one PostgreSQL database and one data folder, documents written
// through the index writer at a steady rate; per document, the time from the write's answer
// until a search on the other server (which searches its replica) finds it, and the same on the
// writer itself (the indexing part of that time).
//
//   gongkai_replica_lag_bench [--documents N] [--rate PER_SECOND]
//
// Defaults: 300 documents at 10 a second. PostgreSQL in a temporary cluster (as the tests start
// it), with fsync on.
#include <Poco/URI.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "bench_accounts.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "search_lag.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace {

using namespace gongkai;
using bench::Clock;
using bench::LagWatcher;
using bench::probeWord;
using bench::readingOf;
using bench::report;
using testing::HttpClient;

}  // namespace

int main(int argc, char** argv) {
  int documents = 300;
  double rate = 10;
  bench::Options("gongkai_replica_lag_bench",
                 "Two servers on one PostgreSQL database: how long until the replica finds a "
                 "new document.")
      .add("--documents", &documents, "documents written")
      .add("--rate", &rate, "documents written per second")
      .parse(argc, argv);
  // Before the first server asks for its database (support/test_store.h).
  ::setenv("GONGKAI_TEST_STORE", "postgresql", 1);
  ::setenv("GONGKAI_TEST_PG_FSYNC", "1", 0);

  testing::TempDir temp;
  const std::string dataDir = temp / "data";
  testing::ServerProcess writer(dataDir);
  const bench::BenchAccounts accounts =
      bench::signInBenchAccounts(writer, "bench-password-long-enough");
  testing::ServerProcess replica(dataDir);
  const HttpClient onWriter = HttpClient(writer.port()).as(accounts.admin);
  const HttpClient onReplica = HttpClient(replica.port()).as(accounts.admin);
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (readingOf(onReplica) != "replica" && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (readingOf(onReplica) != "replica") {
    std::fprintf(stderr, "the second server never read its replica:\n%s\n", replica.log().c_str());
    return 1;
  }

  std::printf("replica lag: %d documents written through the index writer at %.1f/s\n", documents,
              rate);
  LagWatcher writerWatch(onWriter), replicaWatch(onReplica);
  const auto every = std::chrono::duration<double>(1.0 / rate);
  const auto started = Clock::now();
  for (int i = 0; i < documents; ++i) {
    std::this_thread::sleep_until(started + std::chrono::duration_cast<Clock::duration>(every * i));
    const std::string word = probeWord(i);
    const auto response = onWriter.postJson(
        "/api/v1/documents",
        R"({"title":"复制延迟 )" + word +
            R"(","category":"ZZ","org_unit":"branch-1","scope":"public","mode":"proactive",)"
            R"("period":"periodic","issued_at":"2024-03-01","summary":"副本延迟测量"})");
    if (response.status != 201) {
      std::fprintf(stderr, "write refused: %d %s\n", response.status, response.body.c_str());
      return 1;
    }
    const auto answered = Clock::now();
    writerWatch.written(word, answered);
    replicaWatch.written(word, answered);
  }
  const std::vector<double> onWriterLags = writerWatch.finish();
  const std::vector<double> onReplicaLags = replicaWatch.finish();
  report("found on the writer:", onWriterLags, writerWatch.lost());
  report("found on the replica server:", onReplicaLags, replicaWatch.lost());
  return 0;
}
