// Two servers on one PostgreSQL database and one data folder: one writes the search index and
// serves it, the other searches a replica kept by Xapian's replication; a write through either is
// found on both within seconds, and when the writer is killed the other takes its lease over and
// carries on. PostgreSQL only (GONGKAI_TEST_STORE=postgresql): with SQLite one server is alone.
#include <Poco/URI.h>
#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "fixture.h"
#include "support/test_store.h"

namespace gongkai::testing {
namespace {

using Clock = std::chrono::steady_clock;

// The processes whose parent is `pid`.
std::vector<pid_t> childrenOf(pid_t pid) {
  std::vector<pid_t> children;
  DIR* proc = ::opendir("/proc");
  if (!proc) return children;
  while (const dirent* entry = ::readdir(proc)) {
    const pid_t candidate = static_cast<pid_t>(std::atoi(entry->d_name));
    if (candidate <= 0) continue;
    std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
    std::string line;
    std::getline(stat, line);
    // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t parent = 0;
    rest >> state >> parent;
    if (parent == pid) children.push_back(candidate);
  }
  ::closedir(proc);
  return children;
}

bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && line.substr(close + 2, 1) != "Z";
}

class SearchReplicasTest : public ServerTest {
 protected:
  void SetUp() override {
    if (!testingPostgresql()) {
      GTEST_SKIP() << "servers share a database only with PostgreSQL "
                      "(GONGKAI_TEST_STORE=postgresql)";
    }
    start();  // the first server takes the writer's lease
    ASSERT_EQ(status(client())->getValue<std::string>("role"), "writer");
    second_ = std::make_unique<ServerProcess>(dataDir());
    secondClient_ = std::make_unique<HttpClient>(second_->port());
    secondClient_->setDefaultHeader("Authorization", "Bearer " + adminToken_);
  }

  Poco::JSON::Object::Ptr status(const HttpClient& on) {
    const auto response = on.get("/api/v1/search/status");
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json();
  }

  std::int64_t create(const HttpClient& on, const std::string& title) {
    const auto response = on.postJson(
        "/api/v1/documents",
        R"({"title":")" + title +
            R"(","category":"ZZ","org_unit":"branch-1","scope":"public","mode":"proactive",)"
            R"("period":"periodic","issued_at":"2024-03-01","summary":"复制测试"})");
    EXPECT_EQ(response.status, 201) << response.body;
    return response.json()->getValue<Poco::Int64>("id");
  }

  std::int64_t hits(const HttpClient& on, const std::string& word) {
    std::string encoded;
    Poco::URI::encode(word, "&=+#%?/", encoded);
    const auto response = on.get("/api/v1/search?q=" + encoded);
    if (response.status != 200) return -1;
    return response.json()->getValue<Poco::Int64>("total");
  }

  // Seconds until a search on `on` finds `word`, or -1 when it does not within `limit`.
  double secondsUntilFound(const HttpClient& on, const std::string& word,
                           std::chrono::seconds limit = std::chrono::seconds(10)) {
    const auto started = Clock::now();
    while (Clock::now() - started < limit) {
      if (hits(on, word) > 0) return std::chrono::duration<double>(Clock::now() - started).count();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

  // Waits until the second server searches its own replica.
  void waitForReplica() {
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (Clock::now() < deadline) {
      if (status(*secondClient_)->getValue<std::string>("reading") == "replica") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the second server never read a replica:\n" << second_->log();
  }

  std::unique_ptr<ServerProcess> second_;
  std::unique_ptr<HttpClient> secondClient_;
};

TEST_F(SearchReplicasTest, WritesThroughEitherServerAreFoundOnBothWithinSeconds) {
  const auto first = status(client());
  const auto second = status(*secondClient_);
  EXPECT_EQ(second->getValue<std::string>("role"), "replica");
  EXPECT_EQ(second->getValue<std::string>("writer"), first->getValue<std::string>("writer"));
  waitForReplica();

  create(client(), "写入者 alphareplica");
  const double onReplica = secondsUntilFound(*secondClient_, "alphareplica");
  EXPECT_GE(onReplica, 0) << second_->log();
  EXPECT_LT(onReplica, 5);

  create(*secondClient_, "副本 betareplica");
  EXPECT_GE(secondsUntilFound(client(), "betareplica"), 0) << server().log();
  EXPECT_GE(secondsUntilFound(*secondClient_, "betareplica"), 0) << second_->log();

  const auto caughtUp = status(*secondClient_);
  EXPECT_EQ(caughtUp->getValue<std::string>("reading"), "replica");
  EXPECT_FALSE(caughtUp->isNull("replica_lag_seconds"))
      << caughtUp->get("writer_last_commit").toString();
  EXPECT_LT(caughtUp->getValue<double>("replica_lag_seconds"), 5);

  // Only the writer replaces the index: the replica says so and names it.
  const auto refused = secondClient_->postJson("/api/v1/search/rebuild", "{}");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("not_index_writer"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find(first->getValue<std::string>("writer")), std::string::npos);
}

TEST_F(SearchReplicasTest, WhenTheWriterIsKilledTheOtherTakesOverAndLosesNothing) {
  waitForReplica();
  create(client(), "击杀前 gammareplica");
  ASSERT_GE(secondsUntilFound(*secondClient_, "gammareplica"), 0) << second_->log();

  // Its replication server goes with it (PR_SET_PDEATHSIG), not left behind listening.
  const std::vector<pid_t> helpers = childrenOf(server().pid());
  ASSERT_FALSE(helpers.empty()) << "the writer runs xapian-replicate-server";
  const auto killed = Clock::now();
  server().kill();
  for (const pid_t helper : helpers) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (alive(helper) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_FALSE(alive(helper)) << "child " << helper << " outlived its server";
  }

  // The lease expires (10 s) and the survivor takes it at its next round (every 2 s).
  double takenAfter = -1;
  while (Clock::now() - killed < std::chrono::seconds(20)) {
    if (status(*secondClient_)->getValue<std::string>("role") == "writer") {
      takenAfter = std::chrono::duration<double>(Clock::now() - killed).count();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(takenAfter, 0) << second_->log();
  EXPECT_LT(takenAfter, 10 + 2 + 3);

  create(*secondClient_, "接管后 deltareplica");
  EXPECT_GE(secondsUntilFound(*secondClient_, "deltareplica"), 0) << second_->log();
  EXPECT_GT(hits(*secondClient_, "gammareplica"), 0);
  const auto taken = status(*secondClient_);
  EXPECT_EQ(taken->getValue<std::string>("reading"), "master");
  EXPECT_EQ(taken->getValue<Poco::Int64>("pending_updates"), 0);
}

}  // namespace
}  // namespace gongkai::testing
