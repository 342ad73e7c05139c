// Audit log benchmark: appends per second through the store's writer (with checkpoints signed
// every 1000 entries), full verification speed of a data folder and of an export file, and the
// time of inclusion and consistency proofs at the log's full size. After each append run it also
// measures the disk (16 KiB write + fdatasync, repeated): the bound on one writer's commits.
//
//   gongkai_audit_bench [--entries N] [--runs R] [--writers W] [--appends A] [--keep DIR]
//
// --keep DIR leaves the built data folder and export file in DIR (for profiling verify-log).
//
// Defaults: a log of 1,000,000 entries, medians of 3 runs, 8 writer threads appending 200,000.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "bench_options.h"
#include "bench_stats.h"
#include "gongkai/core/merkle.h"
#include "gongkai/server/admin/verify_log.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/checkpoint_service.h"
#include "gongkai/server/service/signing_key.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace {

using namespace gongkai;
using namespace gongkai::server;
using bench::Clock;
using bench::median;
using bench::seconds;

core::AuditEntry draft(std::int64_t i) {
  core::AuditEntry entry;
  entry.actor = "bench";
  entry.client = "127.0.0.1";
  entry.action = "document.update";
  entry.object_type = "bench_object";  // no document rows for the state check to look for
  entry.object_id = std::to_string(i % 5000 + 1);
  entry.object_version = i / 5000 + 1;
  entry.content_sha256 = core::sha256Hex(std::to_string(i));
  return entry;
}

std::unique_ptr<service::CheckpointService> checkpointer(store::Store& db, const std::string& dir) {
  auto signer =
      service::loadOrCreateSigningKey(dir + "/keys/checkpoint-signing.pem", "bench/audit");
  auto service = std::make_unique<service::CheckpointService>(
      db, "bench/audit", std::move(signer).value(), service::CheckpointPolicy{1000, 60});
  if (!service->start().ok()) std::abort();
  return service;
}

// W threads, each appending one entry per unit of work, as document changes do.
double appendsPerSecond(int writers, std::int64_t appends) {
  gongkai::testing::TempDir dir;
  const std::string dataDir = dir / "data";
  // GONGKAI_TEST_STORE=postgresql measures PostgreSQL (support/test_store.h).
  auto db = store::Store::open(dataDir, gongkai::testing::testStoreOptions(dataDir)).value();
  auto checkpoints = checkpointer(*db, dataDir);
  std::atomic<std::int64_t> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      for (std::int64_t i; (i = next++) < appends;) {
        auto status = db->write([&](store::Transaction& tx) -> core::Status {
          store::AuditRepository::append(tx, draft(i));
          return core::okStatus();
        });
        if (!status.ok()) std::abort();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double rate = static_cast<double>(appends) / seconds(start);
  checkpoints->stop();
  return rate;
}

// What the disk allows a single writer at most: `count` times, write `bytes` into a file in `dir`
// and wait for fdatasync, as each commit does with the WAL (SQLite writes the commit's pages to
// the WAL and syncs it once). `grow`: append each time (the file's size changes, as while the WAL
// grows); otherwise overwrite the same place (as once SQLite reuses the WAL from its start).
double syncsPerSecond(const std::string& dir, std::size_t bytes, int count, bool grow) {
  const std::string path = dir + "/sync-probe";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) std::abort();
  const std::string block(bytes, 'x');
  if (!grow &&
      (::pwrite(fd, block.data(), bytes, 0) != static_cast<ssize_t>(bytes) || ::fsync(fd) != 0)) {
    std::abort();
  }
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    const off_t at = grow ? static_cast<off_t>(i) * static_cast<off_t>(bytes) : 0;
    if (::pwrite(fd, block.data(), bytes, at) != static_cast<ssize_t>(bytes) ||
        ::fdatasync(fd) != 0) {
      std::abort();
    }
  }
  const double rate = count / seconds(start);
  ::close(fd);
  std::filesystem::remove(path);
  return rate;
}

// Fills a data folder with `entries` entries quickly (many per unit of work).
void buildLog(const std::string& dataDir, std::int64_t entries) {
  // GONGKAI_TEST_STORE=postgresql measures PostgreSQL (support/test_store.h).
  auto db = store::Store::open(dataDir, gongkai::testing::testStoreOptions(dataDir)).value();
  auto checkpoints = checkpointer(*db, dataDir);
  constexpr std::int64_t kPerUnit = 2000;
  for (std::int64_t done = 0; done < entries; done += kPerUnit) {
    auto status = db->write([&](store::Transaction& tx) -> core::Status {
      for (std::int64_t i = done; i < std::min(entries, done + kPerUnit); ++i) {
        store::AuditRepository::append(tx, draft(i));
      }
      return core::okStatus();
    });
    if (!status.ok()) std::abort();
  }
  if (!checkpoints->checkpointNow().ok()) std::abort();
  checkpoints->stop();
}

template <typename Proof>
double medianMicros(int count, Proof proof) {
  std::vector<double> times;
  for (int i = 0; i < count; ++i) {
    const auto start = Clock::now();
    proof(i);
    times.push_back(seconds(start) * 1e6);
  }
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t entries = 1'000'000, appends = 200'000;
  int runs = 3, writers = 8;
  std::string keep;
  gongkai::bench::Options("gongkai_audit_bench",
                          "Audit appends per second, log verification speed, proof times.")
      .add("--entries", &entries, "entries in the log that is verified and proved")
      .add("--runs", &runs, "runs of each measurement (medians are printed)")
      .add("--writers", &writers, "concurrent appending threads")
      .add("--appends", &appends, "appends per run")
      .add("--keep", &keep, "keep the generated data folder here")
      .parse(argc, argv);

  std::vector<double> appendRates, syncRates;
  for (int r = 0; r < runs; ++r) {
    appendRates.push_back(appendsPerSecond(writers, appends));
    std::printf("run %d: %.0f appends/s (%d writers, %lld appends)\n", r + 1, appendRates.back(),
                writers, static_cast<long long>(appends));
    // The same disk's bound on one writer's commits, measured right after the run.
    gongkai::testing::TempDir probe;
    const double growing = syncsPerSecond(probe.path(), 16 * 1024, 2000, true);
    syncRates.push_back(syncsPerSecond(probe.path(), 16 * 1024, 2000, false));
    std::printf("run %d: disk: %.0f write+fdatasync/s overwriting 16 KiB, %.0f/s appending\n",
                r + 1, syncRates.back(), growing);
  }

  gongkai::testing::TempDir temporary;
  const std::filesystem::path dir = std::filesystem::path(keep.empty() ? temporary.path() : keep);
  const std::string dataDir = (dir / "data").string();
  auto buildStart = Clock::now();
  buildLog(dataDir, entries);
  std::printf("built a log of %lld entries in %.1f s\n", static_cast<long long>(entries),
              seconds(buildStart));

  const std::string exportFile = (dir / "export.log").string();
  const std::string keysFile = dataDir + "/keys/verifier-keys.txt";
  {
    // GONGKAI_TEST_STORE=postgresql measures PostgreSQL (support/test_store.h).
    auto db = store::Store::open(dataDir, gongkai::testing::testStoreOptions(dataDir)).value();
    service::AuditService audit(*db);
    std::ofstream out(exportFile, std::ios::binary);
    audit.writeExport(out, audit.latestCheckpoint().value());
  }

  std::vector<double> dataDirRates, exportRates;
  admin::VerifyOptions verifyOptions;
  verifyOptions.store_url = gongkai::testing::testStoreUrl(dataDir);
  for (int r = 0; r < runs; ++r) {
    auto start = Clock::now();
    auto report = admin::verifyDataDir(dataDir, verifyOptions);
    const double dataDirSeconds = seconds(start);
    if (!report.ok() || !report.value().ok()) {
      std::printf("data folder did not verify\n");
      return 1;
    }
    dataDirRates.push_back(static_cast<double>(entries) / dataDirSeconds);

    admin::VerifyOptions options;
    std::ifstream keys(keysFile);
    std::string keyText((std::istreambuf_iterator<char>(keys)), std::istreambuf_iterator<char>());
    options.keys = core::note::parseVerifierKeys(keyText).value();
    std::ifstream in(exportFile, std::ios::binary);
    start = Clock::now();
    auto exported = admin::verifyExport(in, options);
    const double exportSeconds = seconds(start);
    if (!exported.ok() || !exported.value().ok()) {
      std::printf("export did not verify\n");
      return 1;
    }
    exportRates.push_back(static_cast<double>(entries) / exportSeconds);
    std::printf("run %d: verify data folder %.0f entries/s, export %.0f entries/s\n", r + 1,
                dataDirRates.back(), exportRates.back());
  }

  // GONGKAI_TEST_STORE=postgresql measures PostgreSQL (support/test_store.h).
  auto db = store::Store::open(dataDir, gongkai::testing::testStoreOptions(dataDir)).value();
  service::AuditService audit(*db);
  std::mt19937_64 random(42);
  std::vector<double> inclusionTimes, consistencyTimes;
  for (int r = 0; r < runs; ++r) {
    inclusionTimes.push_back(medianMicros(1000, [&](int) {
      auto index = static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(entries));
      if (!audit.inclusionProof(index, entries).ok()) std::abort();
    }));
    consistencyTimes.push_back(medianMicros(1000, [&](int) {
      auto from = static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(entries - 1)) + 1;
      if (!audit.consistencyProof(from, entries).ok()) std::abort();
    }));
    std::printf("run %d: inclusion proof %.0f us, consistency proof %.0f us (median of 1000)\n",
                r + 1, inclusionTimes.back(), consistencyTimes.back());
  }

  std::printf(
      "\nmedian of %d runs: %.0f appends/s with %d writers (disk: %.0f write+fdatasync/s); verify "
      "%.0f entries/s (data folder), "
      "%.0f entries/s (export); at %lld entries: inclusion proof %.0f us, consistency proof %.0f "
      "us\n",
      runs, median(appendRates), writers, median(syncRates), median(dataDirRates),
      median(exportRates), static_cast<long long>(entries), median(inclusionTimes),
      median(consistencyTimes));
  return 0;
}
