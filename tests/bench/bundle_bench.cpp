// Bundle build and verify throughput on a payload of mixed files (PDF, PNG, JPEG, text), each
// against a baseline doing the same work with stock tools over the same files in the same run:
// `tar cf - DIR | tee >(openssl dgst -sha256) | openssl dgst -sha512` written to a file and
// fsynced (both manifests' digests and a durable tar; a bag needs all three). The files
// are filed through the real server as archived documents; the bundle is built by the server's
// job (timed from the request to the job's end) and checked by gongkai-verify (peak RSS from
// wait4). Not a test: run by hand.
//
//   gongkai_bundle_bench [--mib 1024] [--runs 3] [--dir /tmp/gongkai-bundle-bench]
//
// The payload is generated once into DIR/payload and kept for later runs of the same size.
#include <Poco/JSON/Object.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_options.h"
#include "bench_stats.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using gongkai::bench::Clock;
using gongkai::bench::median;
using gongkai::bench::peakRssKib;
using gongkai::bench::seconds;
using gongkai::testing::firstAdminPassword;
using gongkai::testing::HttpClient;
using gongkai::testing::login;
using gongkai::testing::MultipartPart;
using gongkai::testing::ServerProcess;
using gongkai::testing::TempDir;

// Bytes without '/', '<' or '%' so generated PDFs and text hold no names or markup by chance.
void fillPlain(std::string& out, std::size_t size, std::mt19937_64& random) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789 ABCDEFGHIJ\n";
  out.reserve(out.size() + size);
  for (std::size_t i = 0; i < size; i += 8) {
    std::uint64_t bits = random();
    for (int b = 0; b < 8 && i + b < size; ++b, bits >>= 8) {
      out += kAlphabet[(bits & 0xff) % (sizeof kAlphabet - 1)];
    }
  }
}

// Chinese prose from a small vocabulary, as disclosure texts are (random tokens would make the
// search index, not the bundle, the thing measured).
void fillChinese(std::string& out, std::size_t size, std::mt19937_64& random) {
  static const char* kWords[] = {"党支部", "公开",     "组织生活会", "党费", "收缴", "情况",
                                 "公示",   "民主评议", "党员",       "发展", "对象", "委员会",
                                 "选举",   "结果",     "三会一课",   "学习", "教育", "监督",
                                 "意见",   "整改",     "，",         "。\n"};
  const std::size_t end = out.size() + size;
  while (out.size() < end) out += kWords[random() % (sizeof kWords / sizeof kWords[0])];
  out.resize(end);  // may cut a character: trimmed back to whole ones below
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
}

void fillRandom(std::string& out, std::size_t size, std::mt19937_64& random) {
  const std::size_t start = out.size();
  out.resize(start + size);
  for (std::size_t i = 0; i < size; i += 8) {
    std::uint64_t bits = random();
    for (int b = 0; b < 8 && i + b < size; ++b, bits >>= 8) {
      // No 0xFF: inside a JPEG it would start a marker.
      out[start + i + b] = static_cast<char>((bits & 0xff) == 0xff ? 0xfe : bits & 0xff);
    }
  }
}

std::string makeFile(int kind, std::size_t size, std::mt19937_64& random) {
  std::string bytes;
  switch (kind) {
    case 0:  // PDF with one large content stream
      bytes =
          "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
          "/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/Contents 4 0 R>>endobj\n"
          "4 0 obj<</Length " +
          std::to_string(size) + ">>stream\n";
      fillPlain(bytes, size, random);
      bytes += "\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
      break;
    case 1: {  // PNG: header, one big IDAT, IEND (CRCs are not checked by the inspector)
      bytes = std::string(
          "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00"
          "\x08\x06\x00\x00\x00\x00\x00\x00\x00",
          33);
      const std::uint32_t length = static_cast<std::uint32_t>(size);
      for (int shift = 24; shift >= 0; shift -= 8)
        bytes += static_cast<char>((length >> shift) & 0xff);
      bytes += "IDAT";
      fillRandom(bytes, size, random);
      bytes += std::string("\x00\x00\x00\x00\x00\x00\x00\x00IEND\xae\x42\x60\x82", 16);
      break;
    }
    case 2:  // JPEG
      bytes = "\xff\xd8\xff\xe0";
      fillRandom(bytes, size, random);
      bytes += "\xff\xd9";
      break;
    default:  // text
      fillChinese(bytes, size, random);
  }
  return bytes;
}

const char* kExtensions[] = {".pdf", ".png", ".jpg", ".txt"};

// Writes about `mib` MiB of files of mixed kinds and sizes (16 KiB to 32 MiB) into `folder`.
void generate(const fs::path& folder, std::int64_t mib) {
  fs::remove_all(folder);
  fs::create_directories(folder);
  std::mt19937_64 random(20261123);
  std::int64_t left = mib << 20;
  for (int n = 0; left > 0; ++n) {
    const int kind = static_cast<int>(random() % 10 < 5 ? 0 : random() % 3 + 1);
    const std::size_t size = std::min<std::int64_t>(left, (16 << 10) << (random() % 12));
    const std::string bytes = makeFile(kind, size, random);
    std::ofstream(folder / ("f" + std::to_string(n) + kExtensions[kind]), std::ios::binary)
        << bytes;
    left -= static_cast<std::int64_t>(bytes.size());
  }
}

struct Measured {
  double seconds = 0;
  long max_rss_kib = 0;
  int exit = -1;
};

// Runs a command to completion; its time, exit status and peak RSS. The peak is the child's own
// VmHWM, read while it runs: wait4's ru_maxrss would also count this process's high-water mark,
// which a spawned child's address space starts out as.
Measured runMeasured(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  const auto start = Clock::now();
  pid_t pid = 0;
  Measured m;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) return m;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    m.max_rss_kib = std::max(m.max_rss_kib, peakRssKib(pid));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  posix_spawn_file_actions_destroy(&actions);
  m.seconds = seconds(start);
  m.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return m;
}

std::string mediaTypeOf(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".pdf") return "application/pdf";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg") return "image/jpeg";
  return "text/plain";
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A fresh server with an admin, a unit, an archivist and a reviewer, as the tests set it up.
struct Unit {
  fs::path data;
  std::unique_ptr<ServerProcess> server;
  std::string adminToken;
  std::unique_ptr<HttpClient> admin, archivist, reviewer;

  // Stops the server and starts a fresh process on the same folder (sessions stay valid), so
  // its peak RSS counts only what happens from now on.
  void restart() {
    server.reset();
    server = std::make_unique<ServerProcess>(data.string());
    admin = std::make_unique<HttpClient>(HttpClient(server->port()).as(adminToken));
  }
};

Unit startUnit(const fs::path& dataDir) {
  Unit unit;
  unit.data = dataDir;
  unit.server = std::make_unique<ServerProcess>(dataDir.string());
  const HttpClient anonymous(unit.server->port());
  unit.adminToken = login(anonymous, "admin", firstAdminPassword(unit.server->log()));
  unit.admin = std::make_unique<HttpClient>(anonymous.as(unit.adminToken));
  unit.admin->postJson("/api/v1/org-units", R"({"code":"b1","name":"第一支部","parent":""})");
  for (const char* role : {"archivist", "reviewer"}) {
    unit.admin->postJson("/api/v1/users",
                         std::string(R"({"username":")") + role +
                             R"(1","password":"bench-password-long","roles":[{"role":")" + role +
                             R"(","unit":"b1"}]})");
  }
  unit.archivist = std::make_unique<HttpClient>(
      anonymous.as(login(anonymous, "archivist1", "bench-password-long")));
  unit.reviewer = std::make_unique<HttpClient>(
      anonymous.as(login(anonymous, "reviewer1", "bench-password-long")));
  return unit;
}

// Files the payload as archived ZZ documents of 2023, four files each; false on any refusal.
bool fileDocuments(Unit& unit, const std::vector<fs::path>& files) {
  for (std::size_t first = 0, n = 0; first < files.size(); first += 4, ++n) {
    std::vector<MultipartPart> parts{
        {"metadata", "", "application/json",
         R"({"title":"基准文件 )" + std::to_string(n) +
             R"(","category":"ZZ","org_unit":"b1","scope":"public","mode":"proactive",)"
             R"("period":"standing","issued_at":"2023-06-01"})",
         ""}};
    for (std::size_t i = first; i < std::min(first + 4, files.size()); ++i) {
      parts.push_back(
          {"file", files[i].filename().string(), mediaTypeOf(files[i]), readFile(files[i]), ""});
    }
    const auto made = unit.archivist->postMultipart("/api/v1/documents", parts);
    if (made.status != 201) {
      std::cerr << "filing failed: " << made.body.substr(0, 300) << "\n";
      return false;
    }
    const std::string doc =
        "/api/v1/documents/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
    const std::pair<const HttpClient*, std::pair<std::string, std::string>> steps[] = {
        {unit.archivist.get(), {"submit", ""}},
        {unit.reviewer.get(), {"approve", R"({"confidentiality_reviewed":true,"opinion":"同意"})"}},
        {unit.reviewer.get(), {"publish", R"({"channels":["website"]})"}},
        {unit.archivist.get(), {"archive", ""}}};
    for (const auto& [as, step] : steps) {
      const auto done = as->request("POST", doc + "/" + step.first, step.second,
                                    step.second.empty() ? "" : "application/json");
      if (done.status != 200) {
        std::cerr << step.first << " failed: " << done.body.substr(0, 300) << "\n";
        return false;
      }
    }
  }
  return true;
}

// Builds the ZZ 2023 bundle through the API; the time from request to the job's end, and the
// archive's record.
std::pair<double, Poco::JSON::Object::Ptr> buildBundle(Unit& unit) {
  const auto start = Clock::now();
  const auto accepted =
      unit.admin->postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})");
  if (accepted.status != 202) {
    std::cerr << "build refused: " << accepted.body << "\n";
    return {0, nullptr};
  }
  const std::string url = accepted.json()->getValue<std::string>("status_url");
  while (true) {
    auto job = unit.admin->get(url).json();
    const std::string state = job->getValue<std::string>("state");
    if (state == "done") {
      const double elapsed = seconds(start);
      const auto id = job->getObject("result")->getValue<Poco::Int64>("archive_id");
      std::ostringstream timing;
      job->getObject("result")->getObject("timing_ms")->stringify(timing);
      std::printf("  build phases (ms): %s\n", timing.str().c_str());
      return {elapsed, unit.admin->get("/api/v1/archives/" + std::to_string(id)).json()};
    }
    if (state != "queued" && state != "running") {
      std::cerr << "build " << state << ": " << unit.admin->get(url).body << "\n";
      return {0, nullptr};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t mib = 1024;
  int runs = 3;
  fs::path dir = "/tmp/gongkai-bundle-bench";
  std::string dirName = dir;
  gongkai::bench::Options("gongkai_bundle_bench",
                          "Bundle build and verify against tar, both digests and fsync.")
      .add("--mib", &mib, "size of the generated payload")
      .add("--runs", &runs, "runs (medians are printed)")
      .add("--dir", &dirName, "where the payload is generated and kept between runs")
      .parse(argc, argv);
  dir = dirName;
  const fs::path payload = dir / "payload";
  const fs::path marker = dir / ("generated-" + std::to_string(mib));
  fs::create_directories(dir);  // a fresh machine has no such folder yet
  if (!fs::exists(marker)) {
    std::cout << "generating " << mib << " MiB of mixed files in " << payload << std::endl;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename().string().rfind("generated-", 0) == 0) fs::remove(entry.path());
    }
    generate(payload, mib);
    std::ofstream(marker) << "ok\n";
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(payload)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  TempDir temp;
  Unit unit = startUnit(temp / "data");
  const auto filingStart = Clock::now();
  if (!fileDocuments(unit, files)) return 1;
  std::printf("filed %zu files as %zu archived documents in %.1f s\n", files.size(),
              (files.size() + 3) / 4, seconds(filingStart));
  // Text extraction and indexing of what was filed run in the background; let them finish so
  // they do not share the two cores with what is measured.
  const auto indexingStart = Clock::now();
  while (unit.admin->get("/api/v1/search/status").json()->getValue<Poco::Int64>("pending_updates") >
         0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf("search index caught up in %.1f s\n", seconds(indexingStart));
  const fs::path data = temp / "data";
  const fs::path blobs = data / "blobs";
  std::int64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(blobs)) {
    if (entry.is_regular_file()) bytes += static_cast<std::int64_t>(entry.file_size());
  }
  const fs::path key = temp / "key.pem";
  std::ofstream(key) << unit.admin->get("/api/v1/archives/signing-keys")
                            .json()
                            ->getValue<std::string>("ed25519_public_key_pem");

  const long rssFiling = peakRssKib(unit.server->pid());
  unit.restart();
  const long rssBefore = peakRssKib(unit.server->pid());
  std::vector<double> baseline, baseline256, build, verify;
  long verifyRss = 0;
  for (int r = 0; r < runs; ++r) {
    // The same work as a build with stock tools: the tar written to a file and fsynced (sync
    // FILE), its bytes through both digests a bag's manifests need, SHA-256 in a second process.
    // Each run's tar is kept until the end, as each build's bundle is: on a virtual machine
    // whose free memory goes back to the host (free page reporting), a file written into pages
    // just freed by deleting the last one is written an order of magnitude faster than one
    // that needs fresh pages (dd of 512 MiB: 0.15 s against about 2 s here).
    const std::string baselineTar = temp / ("baseline-" + std::to_string(r) + ".tar");
    baseline.push_back(
        runMeasured({"bash", "-c",
                     "tar cf - -C '" + blobs.string() +
                         "' . | tee >(openssl dgst -sha256 >/dev/null) | tee '" + baselineTar +
                         "' | openssl dgst -sha512 >/dev/null && sync '" + baselineTar + "'"})
            .seconds);
    // For context: the old baseline, one digest and no file.
    baseline256.push_back(
        runMeasured({"sh", "-c", "tar cf - -C '" + blobs.string() + "' . | openssl dgst -sha256"})
            .seconds);
    const auto [seconds, archive] = buildBundle(unit);
    if (!archive) return 1;
    build.push_back(seconds);
    const fs::path tar = data / "archives" / (archive->getValue<std::string>("sha256") + ".tar");
    const Measured checked =
        runMeasured({GONGKAI_VERIFY_BINARY, tar.string(), "--key", key.string()});
    if (checked.exit != 0)
      std::cerr << "gongkai-verify failed the bundle (exit " << checked.exit << ")\n";
    verify.push_back(checked.seconds);
    if (r + 1 == runs)
      fs::copy_file(tar, dir / "last-bundle.tar", fs::copy_options::overwrite_existing);
    verifyRss = std::max(verifyRss, checked.max_rss_kib);
    std::printf("run %d: baseline %.2f s (sha256 only %.2f s), build %.2f s, verify %.2f s (%s)\n",
                r + 1, baseline.back(), baseline256.back(), build.back(), verify.back(),
                checked.exit == 0 ? "passed" : "FAILED");
    std::fflush(stdout);
  }
  const long serverRss = peakRssKib(unit.server->pid());
  const double mb = static_cast<double>(bytes) / 1e6;
  const double base = mb / median(baseline), b = mb / median(build), v = mb / median(verify);
  std::printf("payload %.0f MB in %zu files, medians of %d runs\n", mb, files.size(), runs);
  std::printf(
      "tar cf - | tee >(openssl dgst -sha256) | tee FILE | openssl dgst -sha512; sync FILE: "
      "%.0f MB/s (baseline)\n",
      base);
  std::printf("tar cf - | openssl dgst -sha256: %.0f MB/s (context: the old baseline)\n",
              mb / median(baseline256));
  std::printf(
      "bundle build (server job: records, audit proofs, SHA-256 + SHA-512 manifests, tar "
      "SHA-256, signed, fsynced): %.0f MB/s = %.0f %% of baseline\n",
      b, 100 * b / base);
  std::printf(
      "bundle verify (gongkai-verify, four properties): %.0f MB/s = %.0f %% of baseline, "
      "peak RSS %.1f MiB\n",
      v, 100 * v / base, verifyRss / 1024.0);
  std::printf(
      "server peak RSS (VmHWM): %.1f MiB while filing and indexing; restarted, %.1f MiB "
      "before the builds and %.1f MiB after them\n",
      rssFiling / 1024.0, rssBefore / 1024.0, serverRss / 1024.0);
  return 0;
}
