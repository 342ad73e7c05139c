// gongkai_crash_trials: kill -9 at random moments during mixed writes, then check that nothing
// acknowledged was lost (hardening issue, "Crash trials"). Each trial, on the same data folder:
//   1. starts the real server and, while writers run, asks for a bundle build and a search
//      rebuild; the writers file documents with a file (archivist), take drafts through
//      submit → approve → publish (archivist, reviewer) and enter feedback (admin);
//   2. kills the server with SIGKILL after a random 0.3-2 s;
//   3. restarts it and checks every acknowledged write: each document with its title and file
//      bytes, each procedure step (the status is at least the one acknowledged), each feedback
//      record with its text; `gongkai verify-log --hash-blobs` passes; once the index has caught
//      up, search finds as many current documents as the store lists.
// Prints one line per trial and exits non-zero on the first broken promise. Usage:
//   gongkai_crash_trials [--trials N] [--seed S]
#include <Poco/JSON/Array.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bench_accounts.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "gongkai/core/sha256.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace {

using namespace gongkai::testing;
using gongkai::bench::Clock;
using Accounts = gongkai::bench::BenchAccounts;
using namespace std::chrono_literals;

struct Document {
  std::string title;
  std::string sha256;
  int status_rank = 0;  // 0 draft, 1 submitted, 2 approved, 3 published (acknowledged)
};

struct Acknowledged {
  std::mutex mutex;
  long steps = 0;  // procedure steps acknowledged
  std::map<std::int64_t, Document> documents;
  std::map<std::int64_t, std::string> feedback;
};

int rankOf(const std::string& status) {
  if (status == "submitted") return 1;
  if (status == "approved") return 2;
  if (status == "published") return 3;
  return 0;
}

// Runs the writers until `stop`; only answers that came back count as acknowledged.
void write(int port, const Accounts& accounts, int trial, Acknowledged& acked,
           std::atomic<bool>& stop) {
  std::vector<std::thread> writers;
  const HttpClient anonymous(port);
  const HttpClient archivist = anonymous.as(accounts.archivist),
                   reviewer = anonymous.as(accounts.reviewer), admin = anonymous.as(accounts.admin);
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop; ++i) {
        const std::string title =
            "试验" + std::to_string(trial) + "-" + std::to_string(w) + "-" + std::to_string(i);
        const std::string body = title + std::string(1000 + 97 * i, 'k');
        try {
          const auto made = archivist.postMultipart(
              "/api/v1/documents", {{"metadata", "", "", sampleMetadata(title), ""},
                                    {"file", title + ".txt", "text/plain", body, ""}});
          if (made.status != 201) continue;
          std::lock_guard lock(acked.mutex);
          acked.documents[made.json()->getValue<Poco::Int64>("id")] = {
              title, gongkai::core::sha256Hex(body), 0};
        } catch (const std::exception&) {
          return;  // the server is gone
        }
      }
    });
  }
  writers.emplace_back([&] {
    // The procedure: the oldest drafts of this run, one step at a time.
    const auto take = [&](const HttpClient& as, std::int64_t id, const std::string& step,
                          const std::string& body) {
      const auto answer = as.request("POST", "/api/v1/documents/" + std::to_string(id) + "/" + step,
                                     body, body.empty() ? "" : "application/json");
      if (answer.status != 200) return false;
      std::lock_guard lock(acked.mutex);
      acked.documents[id].status_rank = rankOf(answer.json()->getValue<std::string>("status"));
      ++acked.steps;
      return true;
    };
    std::set<std::int64_t> tried;  // each draft once: a step refused is not tried again
    while (!stop) {
      std::int64_t id = 0;
      {
        std::lock_guard lock(acked.mutex);
        for (const auto& [candidate, document] : acked.documents) {
          if (document.status_rank == 0 && tried.insert(candidate).second) {
            id = candidate;
            break;
          }
        }
      }
      if (id == 0) {
        std::this_thread::sleep_for(20ms);
        continue;
      }
      try {
        if (take(archivist, id, "submit", "") &&
            take(reviewer, id, "approve",
                 R"({"confidentiality_reviewed":true,"opinion":"同意"})")) {
          take(reviewer, id, "publish", R"({"channels":["bulletin_board"]})");
        }
      } catch (const std::exception&) {
        return;
      }
    }
  });
  writers.emplace_back([&] {
    for (int i = 0; !stop; ++i) {
      const std::string content = "试验意见" + std::to_string(trial) + "-" + std::to_string(i);
      try {
        const auto made = admin.postJson("/api/v1/feedback",
                                         R"({"channel":"letter","content":")" + content + "\"}");
        if (made.status != 201) continue;
        std::lock_guard lock(acked.mutex);
        acked.feedback[made.json()->getValue<Poco::Int64>("id")] = content;
      } catch (const std::exception&) {
        return;
      }
    }
  });
  // Long work in the background, to be killed in the middle of.
  try {
    admin.postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})");
    admin.request("POST", "/api/v1/search/rebuild", "", "");
  } catch (const std::exception&) {
  }
  for (auto& writer : writers) writer.join();
}

// Every promise checked against the restarted server; "" when all hold, else what broke.
std::string check(const ServerProcess& server, const Accounts& accounts, const std::string& dataDir,
                  Acknowledged& acked) {
  const HttpClient admin = HttpClient(server.port()).as(accounts.admin);
  for (auto& [id, document] : acked.documents) {
    const auto found = admin.get("/api/v1/documents/" + std::to_string(id));
    if (found.status != 200) return "acknowledged document " + std::to_string(id) + " lost";
    const auto json = found.json();
    if (json->getValue<std::string>("title") != document.title)
      return "document " + std::to_string(id) + " changed";
    const int rank = rankOf(json->getValue<std::string>("status"));
    if (rank < document.status_rank)
      return "document " + std::to_string(id) + " lost an acknowledged step";
    // A step taken but not acknowledged before the kill may have committed: from here on the
    // store's status is the one to build on.
    document.status_rank = rank;
    const auto file = json->getArray("files")->getObject(0);
    if (file->getValue<std::string>("sha256") != document.sha256 ||
        gongkai::core::sha256Hex(admin.get(file->getValue<std::string>("url")).body) !=
            document.sha256) {
      return "the file of document " + std::to_string(id) + " is not what was sent";
    }
  }
  for (const auto& [id, content] : acked.feedback) {
    const auto found = admin.get("/api/v1/feedback/" + std::to_string(id));
    if (found.status != 200 || found.json()->getValue<std::string>("content") != content) {
      return "acknowledged feedback " + std::to_string(id) + " lost";
    }
  }
  std::string output;
  if (runCommand({GONGKAI_CLI_BINARY, "verify-log", "--data-dir", dataDir, "--hash-blobs"},
                 output) != 0) {
    return "verify-log failed: " + output;
  }
  // Search agrees with the store once the index has caught up.
  for (int i = 0; i < 600; ++i) {
    const auto status = admin.get("/api/v1/search/status").json();
    if (status->getValue<Poco::Int64>("pending_updates") == 0 &&
        !status->getValue<bool>("rebuilding"))
      break;
    std::this_thread::sleep_for(100ms);
  }
  const auto stored =
      admin.get("/api/v1/documents?per_page=1").json()->getValue<Poco::Int64>("total");
  const auto found =
      admin
          .get("/api/v1/search?q=%E5%85%9A%E5%8A%A1%E5%85%AC%E5%BC%80&type=document")  // 党务公开
          .json()
          ->getValue<Poco::Int64>("total");
  if (stored != found) {
    return "search finds " + std::to_string(found) + " documents, the store has " +
           std::to_string(stored);
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  int trials = 50;
  unsigned seed = std::random_device{}();
  gongkai::bench::Options("gongkai_crash_trials",
                          "kill -9 during mixed writes; nothing acknowledged may be lost.")
      .add("--trials", &trials, "kill-and-check rounds")
      .add("--seed", &seed, "random seed, to repeat a run")
      .parse(argc, argv);
  std::cout << "gongkai_crash_trials: " << trials << " trials, seed " << seed << std::endl;
  std::mt19937 random(seed);
  TempDir temp;
  const std::string dataDir = temp / "data";
  Accounts accounts;
  Acknowledged acked;
  for (int trial = 1; trial <= trials; ++trial) {
    const auto started = Clock::now();
    std::size_t documentsBefore = 0, feedbackBefore = 0;
    long stepsBefore = 0;
    {
      std::lock_guard lock(acked.mutex);
      documentsBefore = acked.documents.size();
      feedbackBefore = acked.feedback.size();
      stepsBefore = acked.steps;
    }
    const auto killAfter =
        std::chrono::milliseconds(std::uniform_int_distribution<int>(300, 2000)(random));
    {
      ServerProcess server(dataDir);
      if (trial == 1)
        accounts = gongkai::bench::signInBenchAccounts(server, "crash-trials-password");
      std::atomic<bool> stop{false};
      std::thread writers([&] { write(server.port(), accounts, trial, acked, stop); });
      std::this_thread::sleep_for(killAfter);
      server.kill();
      stop = true;
      writers.join();
    }
    ServerProcess restarted(dataDir);
    const std::string broken = check(restarted, accounts, dataDir, acked);
    std::lock_guard lock(acked.mutex);
    std::cout << "trial " << trial << ": killed after " << killAfter.count() << " ms; acknowledged "
              << acked.documents.size() - documentsBefore << " documents, "
              << acked.steps - stepsBefore << " procedure steps, "
              << acked.feedback.size() - feedbackBefore << " feedback; "
              << (broken.empty() ? "all present, log verified, search agrees" : "FAILED: " + broken)
              << " (" << gongkai::bench::seconds(started) << " s)" << std::endl;
    if (!broken.empty()) return 1;
  }
  std::cout << "all " << trials << " trials passed: " << acked.documents.size() << " documents, "
            << acked.steps << " procedure steps and " << acked.feedback.size()
            << " feedback records acknowledged, none lost" << std::endl;
  return 0;
}
