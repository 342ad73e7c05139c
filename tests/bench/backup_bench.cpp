// Backup and restore benchmark: fills a data folder through the real server (documents with one
// file each, all contents distinct), then times `gongkai backup` while the server keeps taking
// writes (and how long those writes took, against the same writes before the backup), the
// backup's size, and `gongkai restore` (the manifest check, the copy and verify-log
// --hash-blobs on the copy).
//
//   gongkai_backup_bench [--documents N] [--file-kib K] [--clients C]
//
// Defaults: 2,000 documents of 64 KiB files, filed by 4 clients.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench_accounts.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "gongkai/server/store/database_snapshot.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace {

namespace fs = std::filesystem;
using gongkai::bench::Clock;
using gongkai::bench::percentile;
using gongkai::bench::seconds;
using gongkai::testing::HttpClient;

// Distinct contents per document, so every file is its own blob.
std::string fileBody(int n, std::size_t bytes) {
  std::string body = "文件 " + std::to_string(n) + "\n";
  std::uint64_t state = 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(n + 1);
  while (body.size() < bytes) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    body.push_back(static_cast<char>('a' + state % 26));
  }
  return body;
}

std::int64_t folderBytes(const std::string& folder) {
  std::int64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) total += static_cast<std::int64_t>(entry.file_size());
  }
  return total;
}

// Files small documents one after another until told to stop; the seconds each took.
std::vector<double> writeUntil(const HttpClient& archivist, const std::atomic<bool>& stop) {
  std::vector<double> took;
  for (int n = 0; !stop; ++n) {
    const auto start = Clock::now();
    archivist.postJson("/api/v1/documents",
                       gongkai::testing::sampleMetadata("备份期间 " + std::to_string(n)));
    took.push_back(seconds(start));
  }
  return took;
}

void printLatencies(const char* when, const std::vector<double>& took) {
  if (took.empty()) return;
  std::printf("  %-22s %5zu writes, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", when, took.size(),
              percentile(took, 0.5) * 1000, percentile(took, 0.99) * 1000,
              percentile(took, 1.0) * 1000);
}

}  // namespace

int main(int argc, char** argv) {
  int documents = 2000, fileKib = 64, clients = 4;
  gongkai::bench::Options("gongkai_backup_bench",
                          "gongkai backup beside a live server, and gongkai restore, timed.")
      .add("--documents", &documents, "documents filed before the backup")
      .add("--file-kib", &fileKib, "size of each document's file")
      .add("--clients", &clients, "clients filing and writing during the backup")
      .parse(argc, argv);
  gongkai::testing::TempDir temp;
  const std::string dataDir = temp / "data";
  gongkai::testing::ServerProcess server(dataDir);
  const auto accounts = gongkai::bench::signInBenchAccounts(server, "backup-bench-password");
  const HttpClient archivist = HttpClient(server.port()).as(accounts.archivist);

  const auto fillStart = Clock::now();
  std::atomic<int> next{0}, failed{0};
  std::vector<std::thread> fillers;
  for (int c = 0; c < clients; ++c) {
    fillers.emplace_back([&] {
      for (int n = next++; n < documents; n = next++) {
        const auto made = archivist.postMultipart(
            "/api/v1/documents",
            {{"metadata", "", "application/json",
              gongkai::testing::sampleMetadata("备份基准 " + std::to_string(n)), ""},
             {"file", "f" + std::to_string(n) + ".txt", "text/plain",
              fileBody(n, static_cast<std::size_t>(fileKib) * 1024), ""}});
        if (made.status != 201) ++failed;
      }
    });
  }
  for (auto& filler : fillers) filler.join();
  std::printf(
      "filled %d documents with one %d KiB file each in %.1f s (%d failed); data folder "
      "%.1f MiB\n",
      documents, fileKib, seconds(fillStart), failed.load(),
      static_cast<double>(folderBytes(dataDir)) / (1 << 20));

  std::atomic<bool> stop{false};
  std::vector<double> before, during;
  std::thread quiet([&] { before = writeUntil(archivist, stop); });
  std::this_thread::sleep_for(std::chrono::seconds(3));
  stop = true;
  quiet.join();
  stop = false;
  std::thread busy([&] { during = writeUntil(archivist, stop); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string backup = temp / "backup";
  std::string output;
  const auto backupStart = Clock::now();
  const int backedUp = gongkai::testing::runCommand(
      gongkai::testing::withTestStore(
          {GONGKAI_CLI_BINARY, "backup", "--data-dir", dataDir, "--to", backup}),
      output);
  const double backupSeconds = seconds(backupStart);
  stop = true;
  busy.join();
  if (backedUp != 0) {
    std::cerr << output;
    return 1;
  }
  const auto backupBytes = folderBytes(backup);
  const std::string database =
      gongkai::server::store::snapshotFileName(gongkai::testing::testStoreUrl(dataDir));
  std::printf(
      "backup (server running): %.2f s, %.1f MiB (%.0f MiB/s), of which %s %.1f "
      "MiB\n",
      backupSeconds, static_cast<double>(backupBytes) / (1 << 20),
      static_cast<double>(backupBytes) / (1 << 20) / backupSeconds, database.c_str(),
      static_cast<double>(fs::file_size(backup + "/" + database)) / (1 << 20));
  std::printf("writes to the server (JSON documents, one client):\n");
  printLatencies("before the backup", before);
  printLatencies("during the backup", during);

  const auto restoreStart = Clock::now();
  const int restored = gongkai::testing::runCommand(
      gongkai::testing::withTestStore(
          {GONGKAI_CLI_BINARY, "restore", "--from", backup, "--data-dir", temp / "restored"}),
      output);
  const double restoreSeconds = seconds(restoreStart);
  if (restored != 0) {
    std::cerr << output;
    return 1;
  }
  std::printf("restore (check, copy, verify-log --hash-blobs): %.2f s\n", restoreSeconds);
  return 0;
}
