// Concurrency, tampering, crashes and shutdown against the real server process.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "fixture.h"
#include "gongkai/core/sha256.h"

namespace gongkai::testing {
namespace {

using namespace Poco::Data::Keywords;

class DurabilityTest : public ServerTest {
 protected:
  // Edits the database behind the server's back.
  void tamper(const std::string& sql) { *openTestDatabase(dataDir()) << sql, now; }

  std::string uploadBody(int i) {
    return "第" + std::to_string(i) + "份上传 " +
           std::string(64 * 1024 + i, static_cast<char>('a' + i % 26));
  }
};

TEST_F(DurabilityTest, FiftyConcurrentUploadsAreAllStoredWithAValidChain) {
  constexpr int kUploads = 50;
  std::vector<std::thread> threads;
  std::vector<HttpResponse> responses(kUploads);
  const HttpClient& admin = client();
  for (int i = 0; i < kUploads; ++i) {
    threads.emplace_back([&, i] {
      HttpClient own = admin;  // its own copy, signed in as the admin
      responses[i] = own.postMultipart(
          "/api/v1/documents",
          {{"metadata", "", "application/json", sampleMetadata("并发" + std::to_string(i)), ""},
           {"file", "上传" + std::to_string(i) + ".txt", "text/plain", uploadBody(i), ""}});
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<Poco::Int64> ids;
  for (int i = 0; i < kUploads; ++i) {
    ASSERT_EQ(responses[i].status, 201) << responses[i].body;
    auto doc = responses[i].json();
    ids.insert(doc->getValue<Poco::Int64>("id"));
    auto file = doc->getArray("files")->getObject(0);
    EXPECT_EQ(file->getValue<std::string>("sha256"), core::sha256Hex(uploadBody(i)));
    EXPECT_EQ(client().get(file->getValue<std::string>("url")).body, uploadBody(i));
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kUploads));
  EXPECT_EQ(documentCount(), kUploads);
  EXPECT_EQ(auditSize(), entryAt(kUploads));
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
  EXPECT_NE(output.find("审计记录 (audit entries verified): " + std::to_string(entryAt(kUploads))),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("文档版本 (document versions checked): " + std::to_string(kUploads)),
            std::string::npos)
      << output;
}

TEST_F(DurabilityTest, VerifyLogNamesATamperedAuditEntry) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(
        client().postJson("/api/v1/documents", sampleMetadata("条目" + std::to_string(i))).status,
        201);
  }
  std::string output;
  ASSERT_EQ(verifyLog(output), 0) << output;
  server().stop();

  // Rewrite who did it in the test's entry 3, keeping the stored hash.
  const std::string seq = std::to_string(entryAt(3));
  tamper(
      "UPDATE audit_log SET entry = replace(entry, '\"actor\":\"admin\"', '\"actor\":\"eve99\"') "
      "WHERE seq = " +
      seq);
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("at entry " + seq), std::string::npos) << output;
  EXPECT_NE(output.find("hash_mismatch"), std::string::npos) << output;
}

TEST_F(DurabilityTest, VerifyLogFindsARecomputedHashByItsMerkleLeaf) {
  for (int i = 0; i < 4; ++i)
    client().postJson("/api/v1/documents", sampleMetadata("链" + std::to_string(i)));
  server().stop();
  // A careful forger also recomputes the stored hash; the Merkle leaf the tree keeps for the
  // entry still gives it away, and names it (the next entry's link would only say "2 or 3").
  auto database = openTestDatabase(dataDir());
  Poco::Data::Session& session = *database;
  const std::string seq = std::to_string(entryAt(2));  // the test's entry 2
  std::string entry;
  session << "SELECT entry FROM audit_log WHERE seq = " + seq, into(entry), now;
  const auto actor = entry.find("\"actor\":\"admin\"");
  ASSERT_NE(actor, std::string::npos) << entry;
  std::string forged = entry.replace(actor + 9, 5, "forge");
  std::string hash = core::sha256Hex(forged);
  session << "UPDATE audit_log SET entry = $1, entry_hash = $2 WHERE seq = " + seq, use(forged),
      use(hash), now;
  std::string output;
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("at entry " + seq + " [leaf_mismatch]"), std::string::npos) << output;
}

TEST_F(DurabilityTest, VerifyLogCatchesStateChangedBehindTheServersBack) {
  auto created = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "", sampleMetadata("状态"), ""}, {"file", "f.txt", "", "原始内容", ""}});
  ASSERT_EQ(created.status, 201);
  const std::string sha =
      created.json()->getArray("files")->getObject(0)->getValue<std::string>("sha256");
  server().stop();

  tamper(
      "UPDATE document_versions SET record = replace(record, '状态', '篡改') WHERE document_id = "
      "1");
  std::string output;
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("record_hash_mismatch"), std::string::npos) << output;

  tamper(
      "UPDATE document_versions SET record = replace(record, '篡改', '状态') WHERE document_id = "
      "1");
  ASSERT_EQ(verifyLog(output), 0) << output;
  tamper("UPDATE documents SET scope = 'internal' WHERE id = 1");
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("projection_mismatch"), std::string::npos) << output;

  tamper("UPDATE documents SET scope = 'public' WHERE id = 1");
  tamper("UPDATE files SET sha256 = '" + std::string(64, 'a') + "' WHERE id = 1");
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("file_row_mismatch"), std::string::npos) << output;

  tamper("UPDATE files SET sha256 = '" + sha + "' WHERE id = 1");
  ASSERT_EQ(verifyLog(output), 0) << output;
  writeFile(dataDir() + "/blobs/" + sha.substr(0, 2) + "/" + sha, "改过的内容!");
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("blob_mismatch"), std::string::npos) << output;
}

TEST_F(DurabilityTest, KillNineDuringAWriteBurstLosesNoAcknowledgedWrite) {
  struct Acknowledged {
    Poco::Int64 id;
    std::string title;
    std::string sha256;
  };
  std::mutex mutex;
  std::vector<Acknowledged> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> attempts{0};
  std::vector<std::thread> writers;
  const HttpClient& admin = client();
  for (int w = 0; w < 6; ++w) {
    writers.emplace_back([&, w] {
      HttpClient own = admin;  // its own copy, signed in as the admin
      for (int i = 0; !stop; ++i) {
        const std::string title = "突发" + std::to_string(w) + "-" + std::to_string(i);
        const std::string body = title + std::string(2000 + i, 'k');
        ++attempts;
        try {
          auto response = own.postMultipart("/api/v1/documents",
                                            {{"metadata", "", "", sampleMetadata(title), ""},
                                             {"file", title + ".txt", "text/plain", body, ""}});
          if (response.status != 201) continue;
          std::lock_guard lock(mutex);
          acknowledged.push_back(
              {response.json()->getValue<Poco::Int64>("id"), title, core::sha256Hex(body)});
        } catch (const std::exception&) {
          return;  // the server is gone
        }
      }
    });
  }
  // Let the burst run, then crash the server in the middle of it.
  while (attempts < 150) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server().kill();
  stop = true;
  for (auto& writer : writers) writer.join();
  ASSERT_GT(acknowledged.size(), 50u);

  restart();
  for (const auto& ack : acknowledged) {
    auto doc = client().get("/api/v1/documents/" + std::to_string(ack.id));
    ASSERT_EQ(doc.status, 200) << "acknowledged document " << ack.id << " lost";
    EXPECT_EQ(doc.json()->getValue<std::string>("title"), ack.title);
    auto file = doc.json()->getArray("files")->getObject(0);
    EXPECT_EQ(file->getValue<std::string>("sha256"), ack.sha256);
    EXPECT_EQ(core::sha256Hex(client().get(file->getValue<std::string>("url")).body), ack.sha256);
  }
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
  // And the log goes on from where it was.
  EXPECT_EQ(client().postJson("/api/v1/documents", sampleMetadata("重启后")).status, 201);
  EXPECT_EQ(verifyLog(output), 0) << output;
}

TEST_F(DurabilityTest, SigtermFinishesTheRequestInFlight) {
  std::string body;
  const std::string type =
      buildMultipart({{"metadata", "", "application/json", sampleMetadata("关闭中"), ""},
                      {"file", "slow.txt", "text/plain", std::string(300000, 's'), ""}},
                     body);
  Poco::Net::StreamSocket socket(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server().port())));
  const std::string head = "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\n" + authLine() +
                           "Connection: close\r\nContent-Type: " + type +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  socket.sendBytes(body.data(), static_cast<int>(body.size() / 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the request is being handled now

  std::thread terminator([&] { EXPECT_EQ(server().stop(), 0); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  socket.sendBytes(body.data() + body.size() / 2, static_cast<int>(body.size() - body.size() / 2));
  std::string reply;
  char buffer[4096];
  socket.setReceiveTimeout(Poco::Timespan(30, 0));
  for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) reply.append(buffer, n);
  terminator.join();
  EXPECT_NE(reply.find("HTTP/1.1 201"), std::string::npos) << reply.substr(0, 300);

  restart();
  EXPECT_EQ(documentCount(), 1);
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
}

TEST_F(DurabilityTest, CommandLineOverridesTheConfigFileAndRequestsAreLogged) {
  server().stop();
  writeFile(temp_ / "other.properties",
            "gongkai.server.port = 1\n"
            "gongkai.data.dir = /nonexistent/gongkai\n"
            "gongkai.server.access_log = " +
                (temp_ / "access.log") + "\n");
  // --data-dir and --port 0 come first, the file after: the command line still wins.
  start({"--config", temp_ / "other.properties", "--define", "gongkai.limits.max_json_bytes=2048"});
  ASSERT_EQ(client().get("/healthz?probe=1").status, 200);
  std::string big = sampleMetadata("限额");
  big.insert(big.size() - 1, ",\"x\":\"" + std::string(2100, 'a') + "\"");
  EXPECT_EQ(client().postJson("/api/v1/documents", big).status, 413);
  const auto made =
      anonymous().postJson("/api/v1/feedback", R"({"channel":"online","content":"意见"})");
  ASSERT_EQ(made.status, 201);
  const std::string receipt = made.json()->getValue<std::string>("receipt");
  EXPECT_EQ(anonymous().get("/api/v1/feedback/receipt/" + receipt + "?x=1").status, 200);
  // Percent-encoded, the path and the query name are the same to the router: the log too.
  EXPECT_EQ(anonymous().get("/api/v1/feedback/receipt%2F" + receipt).status, 200);
  const auto ticket =
      client().postJson("/api/v1/auth/download-tickets", R"({"path":"/api/v1/audit/keys"})");
  ASSERT_EQ(ticket.status, 201);
  const std::string url = ticket.json()->getValue<std::string>("url");
  const std::string ticketValue = url.substr(url.find("ticket=") + 7);
  EXPECT_EQ(anonymous().get("/api/v1/audit/keys?tick%65t=" + ticketValue).status, 200);
  server().stop();  // flushes the asynchronous access log
  const std::string log = readFile(temp_ / "access.log");
  EXPECT_NE(log.find(R"("uri":"/healthz?probe=1")"), std::string::npos) << log;
  // The receipt code is a credential: the log keeps the request, not the code.
  EXPECT_NE(log.find(R"("uri":"/api/v1/feedback/receipt/…?x=1")"), std::string::npos) << log;
  EXPECT_EQ(log.find(receipt), std::string::npos) << log;
  EXPECT_EQ(log.find(ticketValue), std::string::npos) << log;
  EXPECT_NE(log.find(R"("uri":"/api/v1/audit/keys?ticket=…")"), std::string::npos) << log;
  // The store is the one in --data-dir (PostgreSQL keeps only the keys and files there).
  EXPECT_TRUE(std::filesystem::exists(dataDir() + (testingPostgresql() ? "/keys" : "/store.db")));
}

TEST_F(DurabilityTest, ASecondWriterOnALiveDataFolderIsRefusedAndTheFirstCarriesOn) {
  if (testingPostgresql()) {
    GTEST_SKIP() << "SQLite's one writer per folder: servers sharing a PostgreSQL database share "
                    "the folder too, and take turns by leases";
  }
  ASSERT_EQ(client().postJson("/api/v1/documents", sampleMetadata("锁前")).status, 201);
  std::string output;
  // A second server on the same folder.
  EXPECT_EQ(runCommand({GONGKAI_SERVER_BINARY, "--data-dir", dataDir(), "--port", "0"}, output), 69)
      << output;
  EXPECT_NE(output.find("正由另一个进程使用"), std::string::npos) << output;
  EXPECT_NE(output.find("pid " + std::to_string(server().pid())), std::string::npos) << output;
  // An account made behind the running server's back.
  EXPECT_EQ(runCommand({"sh", "-c",
                        "echo a-long-enough-password | " + std::string(GONGKAI_CLI_BINARY) +
                            " user add sneaky --role admin --data-dir " + dataDir()},
                       output),
            1)
      << output;
  EXPECT_NE(output.find("通过 API"), std::string::npos) << output;
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "rotate-key", "--data-dir", dataDir()}, output), 1)
      << output;
  // The first server never noticed: it still writes, its port file is there, the log verifies.
  ASSERT_EQ(client().postJson("/api/v1/documents", sampleMetadata("锁后")).status, 201);
  EXPECT_TRUE(std::filesystem::exists(dataDir() + "/server.port"));
  EXPECT_EQ(client().get("/api/v1/users/sneaky").status, 404);
  EXPECT_EQ(verifyLog(output), 0) << output;  // readers take no claim
  // Once it is gone (even by kill -9), the folder is free again.
  server().kill();
  restart();
  EXPECT_EQ(client().get("/healthz").status, 200);
}

// After an upgrade migrated the database, the previous build is refused on it instead of writing
// into tables it does not know; the upgraded build carries on.
TEST_F(DurabilityTest, AnOlderBuildIsRefusedOnADatabaseANewerOneMigrated) {
  ASSERT_EQ(client().postJson("/api/v1/documents", sampleMetadata("升级前")).status, 201);
  server().stop();
  *openTestDatabase(dataDir()) << "INSERT INTO schema_migrations (version, name, applied_at) "
                                  "VALUES (9999, 'from_a_newer_build', '2030-01-01T00:00:00Z')",
      now;
  std::vector<std::string> argv{GONGKAI_SERVER_BINARY, "--data-dir", dataDir(), "--port", "0"};
  if (const std::string url = testStoreUrl(dataDir()); !url.empty()) {
    argv.insert(argv.end(), {"-D", "gongkai.store.url=" + url});
  }
  std::string output;
  EXPECT_EQ(runCommand(argv, output), 69) << output;
  EXPECT_NE(output.find("结构版本 9999"), std::string::npos) << output;
  // Taken back (as the upgraded build would run), the server starts and the document is there.
  *openTestDatabase(dataDir()) << "DELETE FROM schema_migrations WHERE version = 9999", now;
  restart();
  EXPECT_EQ(documentCount(), 1);
}

TEST_F(DurabilityTest, DemoDataLoadsOnceFromTheSeeds) {
  restart({"--demo"});
  const auto count = documentCount();
  EXPECT_GE(count, 10);
  auto found = client().get("/api/v1/documents?category=QJ");
  EXPECT_GE(found.json()->getValue<int>("total"), 3);
  // The whole procedure at once: documents in every state, the committee and its six branches,
  // a catalogue of the eight categories, and a public board.
  std::set<std::string> statuses;
  auto all = client().get("/api/v1/documents?per_page=100").json()->getArray("documents");
  for (unsigned i = 0; i < all->size(); ++i)
    statuses.insert(all->getObject(i)->getValue<std::string>("status"));
  EXPECT_EQ(statuses, (std::set<std::string>{"draft", "submitted", "approved", "published",
                                             "withdrawn", "archived"}));
  auto units = client().get("/api/v1/org-units").json()->getArray("org_units");
  int branches = 0;
  for (unsigned i = 0; i < units->size(); ++i) {
    if (units->getObject(i)->getValue<std::string>("code").rfind("lyg-fybjy-", 0) == 0) ++branches;
  }
  EXPECT_EQ(branches, 6);
  EXPECT_EQ(client().get("/api/v1/catalogue?org_unit=xiaode-wsy").json()->getValue<int>("total"),
            8);
  EXPECT_GE(anonymous().get("/api/v1/board").json()->getValue<int>("total"), 1);
  // Feedback in several states of handling, and a decided application in the public log.
  std::set<std::string> feedbackStatuses;
  auto feedback = client().get("/api/v1/feedback").json()->getArray("feedback");
  for (unsigned i = 0; i < feedback->size(); ++i) {
    feedbackStatuses.insert(feedback->getObject(i)->getValue<std::string>("status"));
  }
  EXPECT_EQ(feedbackStatuses, (std::set<std::string>{"received", "in_progress", "closed"}));
  EXPECT_EQ(anonymous().get("/api/v1/disclosure-requests/log").json()->getArray("requests")->size(),
            1u);
  // One account per role, sharing the password printed once.
  const std::string serverLog = server().log();
  const std::string marker = "(shared password): ";
  const auto at = serverLog.find(marker);
  ASSERT_NE(at, std::string::npos) << serverLog;
  const std::string demoPassword = serverLog.substr(at + marker.size(), 20);
  for (const char* name : {"archivist", "reviewer", "inspector", "committee", "member"}) {
    EXPECT_FALSE(login(name, demoPassword).empty()) << name;
  }
  EXPECT_EQ(client()
                .get("/api/v1/users/archivist")
                .json()
                ->getArray("roles")
                ->getObject(0)
                ->getValue<std::string>("unit"),
            "xiaode-wsy");
  restart({"--demo"});
  EXPECT_EQ(server().log().find(marker), std::string::npos);  // made once, never again
  EXPECT_EQ(documentCount(), count);
  EXPECT_EQ(client().get("/api/v1/feedback").json()->getValue<int>("total"), 3);
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
}

}  // namespace
}  // namespace gongkai::testing
