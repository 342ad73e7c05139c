// Two servers on one PostgreSQL database and one data folder, with clients spread over both:
// eight writers make a thousand mixed writes each while one server is killed, and afterwards the
// audit log is one gap-free chain of the acknowledged writes that verify-log accepts, every
// acknowledged document is there as acknowledged, bundle jobs of a killed server are taken over
// and built once each, and search on both servers agrees with the store. PostgreSQL only
// (GONGKAI_TEST_STORE=postgresql): with SQLite one server is alone.
#include <Poco/URI.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "fixture.h"
#include "support/test_store.h"

namespace gongkai::testing {
namespace {

using Clock = std::chrono::steady_clock;
const std::vector<std::string> kServerArgs{"-D", "gongkai.feedback.submissions_per_hour=1000000"};

class SeveralServersTest : public ServerTest {
 protected:
  void SetUp() override {
    if (!testingPostgresql()) {
      GTEST_SKIP() << "servers share a database only with PostgreSQL "
                      "(GONGKAI_TEST_STORE=postgresql)";
    }
    start(kServerArgs);
    startSecond();
  }

  void startSecond() {
    second_ = std::make_unique<ServerProcess>(dataDir(), kServerArgs);
    secondClient_ = std::make_unique<HttpClient>(second_->port());
    secondClient_->setDefaultHeader("Authorization", "Bearer " + adminToken_);
  }

  std::int64_t hits(const HttpClient& on, const std::string& word) {
    const auto response = on.get("/api/v1/search?q=" + word + "&per_page=1");
    if (response.status != 200) return -1;
    return response.json()->getValue<Poco::Int64>("total");
  }

  // Waits until a search for `word` on `on` finds `expected` documents; false after `limit`.
  bool searchAgrees(const HttpClient& on, const std::string& word, std::int64_t expected,
                    std::chrono::seconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (hits(on, word) == expected) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  std::unique_ptr<ServerProcess> second_;
  std::unique_ptr<HttpClient> secondClient_;
};

TEST_F(SeveralServersTest, EightWritersOverTwoServersOneKilledLoseNothingAcknowledged) {
  constexpr int kWriters = 8, kWritesEach = 1000;
  const std::int64_t auditBefore = auditSize();
  const int secondPort = second_->port();
  const int firstPort = server().port();
  std::atomic<int> acknowledged{0}, uncertain{0}, refused{0};
  std::atomic<bool> secondDown{false};
  std::mutex mutex;
  std::map<std::int64_t, int> versionOf;  // acknowledged documents and their versions
  int acknowledgedCreates = 0;

  const auto writer = [&](int w) {
    std::vector<std::int64_t> mine;
    for (int i = 0; i < kWritesEach; ++i) {
      const bool toSecond = (w + i) % 2 == 1 && !secondDown;
      HttpClient on(toSecond ? secondPort : firstPort);
      on.setDefaultHeader("Authorization", "Bearer " + adminToken_);
      const int kind = i % 10;  // 6 creations, 3 edits, 1 public feedback in every 10
      try {
        if (kind == 9) {
          const auto made = anonymous().postJson(
              "/api/v1/feedback", R"({"channel":"online","content":"并发意见 )" +
                                      std::to_string(w) + "-" + std::to_string(i) + R"("})");
          if (made.status == 201)
            ++acknowledged;
          else
            ++refused;
        } else if (kind >= 6 && !mine.empty()) {
          const std::int64_t id = mine[static_cast<std::size_t>(i) % mine.size()];
          int version = 0;
          {
            std::lock_guard lock(mutex);
            version = versionOf[id];
          }
          const auto edited = on.request(
              "PATCH", "/api/v1/documents/" + std::to_string(id),
              R"({"summary":"第 )" + std::to_string(version + 1) + R"( 版"})", "application/json",
              {{"If-Match", "\"v" + std::to_string(version) + "\""}});
          if (edited.status == 200) {
            ++acknowledged;
            std::lock_guard lock(mutex);
            versionOf[id] = version + 1;
          } else {
            ++refused;
          }
        } else {
          const auto made =
              on.postJson("/api/v1/documents",
                          R"({"title":"并发写入 concurrentzeta )" + std::to_string(w) + "-" +
                              std::to_string(i) +
                              R"(","category":"DF","org_unit":"branch-1","scope":"public",)"
                              R"("mode":"proactive","period":"immediate"})");
          if (made.status == 201) {
            ++acknowledged;
            const std::int64_t id = made.json()->getValue<Poco::Int64>("id");
            mine.push_back(id);
            std::lock_guard lock(mutex);
            versionOf[id] = 1;
            ++acknowledgedCreates;
          } else {
            ++refused;
          }
        }
      } catch (const std::exception&) {
        // No answer: the server was killed with this request in flight (it may have committed).
        ++uncertain;
      }
    }
  };
  std::vector<std::thread> writers;
  const auto started = Clock::now();
  for (int w = 0; w < kWriters; ++w) writers.emplace_back(writer, w);
  while (acknowledged < kWriters * kWritesEach * 2 / 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  second_->kill();  // mid-run, with writes in flight on it
  secondDown = true;
  for (auto& thread : writers) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "[ several servers ] " << acknowledged << " acknowledged, " << uncertain
            << " without answer, " << refused << " refused in " << seconds << " s" << std::endl;

  EXPECT_EQ(refused, 0);
  EXPECT_GT(acknowledged, kWriters * kWritesEach * 9 / 10);
  // One chain holding every acknowledged write, and at most the unanswered ones besides.
  const std::int64_t added = auditSize() - auditBefore;
  EXPECT_GE(added, acknowledged.load());
  EXPECT_LE(added, acknowledged.load() + uncertain.load());
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
  // Every acknowledged document as acknowledged: its last acknowledged version at least.
  int unedited = 0;
  for (const auto& [id, version] : versionOf) {
    if (version < 2 && unedited++ % 25 != 0) continue;  // every edited one, some others
    const auto stored = client().get("/api/v1/documents/" + std::to_string(id));
    ASSERT_EQ(stored.status, 200) << id;
    EXPECT_GE(stored.json()->getValue<int>("version"), version) << id;
  }
  EXPECT_GE(documentCount(), acknowledgedCreates);

  // Search on both servers agrees with the store within seconds.
  startSecond();
  const std::int64_t documents = documentCount();
  EXPECT_TRUE(searchAgrees(client(), "concurrentzeta", documents, std::chrono::seconds(60)))
      << hits(client(), "concurrentzeta") << " of " << documents;
  EXPECT_TRUE(searchAgrees(*secondClient_, "concurrentzeta", documents, std::chrono::seconds(30)))
      << hits(*secondClient_, "concurrentzeta") << " of " << documents << "\n"
      << second_->log();
}

TEST_F(SeveralServersTest, BundleJobsOfAKilledServerAreTakenOverAndBuiltOnce) {
  HttpClient archivist = anonymous().as(userWithRole("archivist1", "archivist", "branch-1"));
  HttpClient reviewer = anonymous().as(userWithRole("reviewer1", "reviewer", "branch-1"));
  const auto made = archivist.postJson(
      "/api/v1/documents",
      R"({"title":"接管归档","category":"ZZ","org_unit":"branch-1","scope":"public",)"
      R"("mode":"proactive","period":"standing","issued_at":"2023-03-01"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string doc =
      "/api/v1/documents/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
  const auto step = [&](const HttpClient& as, const std::string& name, const std::string& body) {
    const auto r =
        as.request("POST", doc + "/" + name, body, body.empty() ? "" : "application/json");
    ASSERT_EQ(r.status, 200) << name << " " << r.body;
  };
  step(archivist, "submit", "");
  step(reviewer, "approve", R"({"confidentiality_reviewed":true,"opinion":"同意"})");
  step(reviewer, "publish", R"({"channels":["website"]})");
  step(archivist, "archive", "");

  // Jobs asked of the second server, which is killed at once: they are its own, unfinished.
  std::vector<std::int64_t> jobs;
  for (int i = 0; i < 3; ++i) {
    const auto accepted =
        secondClient_->postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})");
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    jobs.push_back(accepted.json()->getValue<Poco::Int64>("job_id"));
  }
  second_->kill();
  // Its lease expires (10 s) and the first server adopts them at its next look.
  std::set<std::int64_t> archives;
  for (const std::int64_t job : jobs) {
    const std::string url = "/api/v1/jobs/" + std::to_string(job);
    std::string state;
    const auto deadline = Clock::now() + std::chrono::seconds(40);
    while (Clock::now() < deadline) {
      state = client().get(url).json()->getValue<std::string>("state");
      if (state != "queued" && state != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(state, "done") << client().get(url).body << server().log();
    archives.insert(
        client().get(url).json()->getObject("result")->getValue<Poco::Int64>("archive_id"));
  }
  EXPECT_EQ(archives.size(), jobs.size());
  const auto listed = client().get("/api/v1/archives?category=ZZ&year=2023");
  EXPECT_EQ(listed.json()->getArray("archives")->size(), jobs.size()) << listed.body;
}

}  // namespace
}  // namespace gongkai::testing
