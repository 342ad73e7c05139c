// Bulk import benchmark: a generated legacy folder imported through the real server (POST
// /api/v1/imports, timed from the request to the job's end), for metadata-only rows (documents
// a second) and for rows with files (MB a second, against `cp -r` plus `sync` of the same folder
// on the same disk).
//
//   gongkai_import_bench [--rows N] [--files N] [--file-mib M] [--runs R]
//
// Defaults: 20,000 metadata-only rows; 200 files of 1 MiB, one a row; 3 runs, each on a fresh
// data folder.
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_accounts.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using gongkai::bench::Clock;
using gongkai::bench::seconds;
using gongkai::testing::HttpClient;
using gongkai::testing::ServerProcess;

const char* const kCategories[] = {"ZZ", "SX", "QJ", "LD", "GB", "DF", "LX", "QT"};

// catalogue.csv of `rows` rows in branch-1: without files every third with a 档号; with
// `fileBytes` > 0 each row names one file of that size, all contents distinct (and has no 档号,
// so that both folders can go into one server).
void writeFolder(const fs::path& folder, int rows, std::size_t fileBytes) {
  fs::create_directories(folder / "files");
  std::ofstream csv(folder / "catalogue.csv");
  csv << "标题,文号,类别,单位,日期,公开范围,保管期限,档号,文件\n";
  std::vector<int> items(8 * 5, 0);
  for (int i = 1; i <= rows; ++i) {
    const int year = 2010 + i % 5;
    const std::string category = kCategories[i % 8];
    std::string code, file;
    if (i % 3 == 0 && fileBytes == 0) {
      char text[48];
      std::snprintf(text, sizeof text, "J001-%d-Y-%s-%04d", year, category.c_str(),
                    ++items[(i % 8) * 5 + i % 5]);
      code = text;
    }
    if (fileBytes > 0) {
      file = "files/" + std::to_string(i) + ".bin";
      std::string body(fileBytes, '\0');
      std::uint64_t state = 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(i);
      for (std::size_t at = 0; at + 8 <= body.size(); at += 8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        std::memcpy(&body[at], &state, 8);
      }
      std::ofstream(folder / file, std::ios::binary) << body;
    }
    csv << "旧档案第" << i << "件,连发[" << year << "]" << i << "号," << category << ",branch-1,"
        << year << "-0" << 1 + i % 9 << "-1" << i % 9 << ",党内公开,永久," << code << "," << file
        << "\n";
  }
}

// Seconds from the request to the import job's end.
double importSeconds(const HttpClient& admin, const std::string& folder) {
  const auto start = Clock::now();
  const auto accepted = admin.postJson("/api/v1/imports", R"({"path":")" + folder + "\"}");
  if (accepted.status != 202) {
    std::fprintf(stderr, "import refused: %d %s\n", accepted.status,
                 accepted.body.substr(0, 500).c_str());
    std::exit(1);
  }
  const std::string job =
      "/api/v1/jobs/" + std::to_string(accepted.json()->getValue<std::int64_t>("job_id"));
  while (true) {
    const auto view = admin.get(job).json();
    const std::string state = view->getValue<std::string>("state");
    if (state == "done") return seconds(start);
    if (state != "queued" && state != "running") {
      std::fprintf(stderr, "import %s: %s\n", state.c_str(), view->get("error").toString().c_str());
      std::exit(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

struct Run {
  double metadata_per_second = 0, files_mb_per_second = 0, copy_mb_per_second = 0;
};

Run runOnce(int rows, int files, std::size_t fileBytes) {
  gongkai::testing::TempDir temp;
  const fs::path data = fs::path(temp / "data");
  writeFolder(data / "import" / "metadata", rows, 0);
  writeFolder(data / "import" / "files", files, fileBytes);
  const double megabytes = static_cast<double>(files) * static_cast<double>(fileBytes) / 1e6;

  Run run;
  // The disk's own speed on the same folder: a plain copy made durable.
  const auto copyStart = Clock::now();
  const std::string copy = "cp -r '" + (data / "import" / "files").string() + "' '" +
                           (fs::path(temp / "copy")).string() + "' && sync";
  if (std::system(copy.c_str()) != 0) std::exit(1);
  run.copy_mb_per_second = megabytes / seconds(copyStart);

  ServerProcess server(data.string());
  const auto accounts = gongkai::bench::signInBenchAccounts(server, "bench-password-long");
  const HttpClient admin = HttpClient(server.port()).as(accounts.admin);
  run.metadata_per_second = rows / importSeconds(admin, "metadata");
  run.files_mb_per_second = megabytes / importSeconds(admin, "files");
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 20000, files = 200, fileMib = 1, runs = 3;
  gongkai::bench::Options("gongkai_import_bench",
                          "Bulk import of a generated legacy folder, against cp -r and sync.")
      .add("--rows", &rows, "metadata-only rows")
      .add("--files", &files, "rows with a file")
      .add("--file-mib", &fileMib, "size of each file")
      .add("--runs", &runs, "runs (medians are printed)")
      .parse(argc, argv);
  std::printf("import: %d metadata-only rows; %d files of %d MiB; %d runs\n", rows, files, fileMib,
              runs);
  std::vector<double> metadata, withFiles, copy;
  for (int r = 0; r < runs; ++r) {
    const Run run = runOnce(rows, files, static_cast<std::size_t>(fileMib) << 20);
    std::printf(
        "  run %d: %.0f documents/s metadata-only, %.0f MB/s with files, cp -r + sync "
        "%.0f MB/s\n",
        r + 1, run.metadata_per_second, run.files_mb_per_second, run.copy_mb_per_second);
    metadata.push_back(run.metadata_per_second);
    withFiles.push_back(run.files_mb_per_second);
    copy.push_back(run.copy_mb_per_second);
  }
  using gongkai::bench::percentile;
  std::printf(
      "median: %.0f documents/s metadata-only; %.0f MB/s with files against %.0f MB/s "
      "for cp -r + sync (%.0f %%)\n",
      percentile(metadata, 0.5), percentile(withFiles, 0.5), percentile(copy, 0.5),
      100 * percentile(withFiles, 0.5) / percentile(copy, 0.5));
  return 0;
}
