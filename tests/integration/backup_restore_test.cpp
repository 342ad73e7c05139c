// gongkai backup beside a live server that keeps writing, gongkai restore into a new folder, a
// server on the restored folder; and backups that were altered, cut short or padded, refused.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "fixture.h"
#include "gongkai/core/sha256.h"
#include "gongkai/server/store/database_snapshot.h"

namespace gongkai::testing {
namespace {

namespace fs = std::filesystem;

int modeOf(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<int>(info.st_mode & 07777) : -1;
}

class BackupRestoreTest : public ServerTest {
 protected:
  // Files a document with one file under a title every document here shares, for search.
  std::int64_t fileDocument(const HttpClient& as, int n,
                            std::map<std::int64_t, std::string>& files) {
    const std::string body = "备份正文 " + std::to_string(n) + " " + std::string(2000 + n, 'x');
    const auto made =
        as.postMultipart("/api/v1/documents",
                         {{"metadata", "", "application/json",
                           sampleMetadata("备份演练 quokka " + std::to_string(n)), ""},
                          {"file", "正文" + std::to_string(n) + ".txt", "text/plain", body, ""}});
    if (made.status != 201) return 0;
    const auto id = made.json()->getValue<Poco::Int64>("id");
    files[id] = body;
    return id;
  }

  bool sendFeedback(int n) {
    return anonymous()
               .postJson("/api/v1/feedback", R"({"channel":"online","content":"备份期间的意见 )" +
                                                 std::to_string(n) + R"("})")
               .status == 201;
  }

  int cli(const std::vector<std::string>& args, std::string& output) {
    std::vector<std::string> argv{GONGKAI_CLI_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(withTestStore(argv), output);
  }

  // `gongkai restore --check` of `backup`: with PostgreSQL, into an empty database of its own.
  int check(const std::string& backup, std::string& output) {
    std::vector<std::string> args{"restore", "--from", backup, "--check"};
    if (testingPostgresql())
      args.insert(args.end(), {"--store-url", testStoreUrl(backup + ".check")});
    return cli(args, output);
  }

  // Tables in the database of data folder `dataDir` (PostgreSQL only).
  static Poco::Int64 tablesIn(const std::string& dataDir) {
    Poco::Int64 tables = -1;
    *openTestDatabase(dataDir) << "SELECT COUNT(*) FROM pg_catalog.pg_tables "
                                  "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
        Poco::Data::Keywords::into(tables), Poco::Data::Keywords::now;
    return tables;
  }

  // A backup of a small live folder: two documents with files and a feedback.
  std::string smallBackup() {
    std::map<std::int64_t, std::string> files;
    EXPECT_GT(fileDocument(client(), 1, files), 0);
    EXPECT_GT(fileDocument(client(), 2, files), 0);
    EXPECT_TRUE(sendFeedback(1));
    const std::string backup = temp_ / "backup";
    std::string output;
    EXPECT_EQ(cli({"backup", "--data-dir", dataDir(), "--to", backup}, output), 0) << output;
    return backup;
  }

  // A copy of `backup` to tamper with, restored into a folder that must not appear.
  std::string copyOf(const std::string& backup, const std::string& name) {
    const std::string copy = temp_ / name;
    fs::copy(backup, copy, fs::copy_options::recursive);
    return copy;
  }

  void expectRefused(const std::string& backup, const std::string& named) {
    const std::string target = temp_ / ("restored-" + fs::path(backup).filename().string());
    std::string output;
    EXPECT_EQ(cli({"restore", "--from", backup, "--data-dir", target}, output), 1) << output;
    EXPECT_NE(output.find(named), std::string::npos) << output;
    EXPECT_FALSE(fs::exists(target)) << output;
    if (testingPostgresql()) EXPECT_EQ(tablesIn(target), 0) << "the restore left tables behind";
    for (const auto& entry : fs::directory_iterator(temp_.path())) {
      EXPECT_EQ(entry.path().filename().string().find(".restoring-"), std::string::npos)
          << "a half-restored folder was left behind: " << entry.path();
    }
  }

  static std::string firstBlob(const std::string& backup) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(backup) / "blobs")) {
      if (entry.is_regular_file()) return entry.path().lexically_relative(backup).string();
    }
    return "";
  }
};

TEST_F(BackupRestoreTest, OnlineBackupDuringWritesRestoresEveryAcknowledgedDocument) {
  std::map<std::int64_t, std::string> before;  // acknowledged before the backup started
  for (int n = 0; n < 8; ++n) ASSERT_GT(fileDocument(client(), n, before), 0);
  for (int n = 0; n < 3; ++n) ASSERT_TRUE(sendFeedback(n));

  // Writers go on throughout the backup: documents with files, and feedback.
  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::mutex mutex;
  std::map<std::int64_t, std::string> later;
  std::thread writer([&] {
    HttpClient own = client();
    for (int n = 100; !stop; ++n) {
      std::map<std::int64_t, std::string> one;
      if (fileDocument(own, n, one) > 0) {
        std::lock_guard lock(mutex);
        later.insert(one.begin(), one.end());
      }
      sendFeedback(n);
      ++during;
    }
  });
  while (during < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string backup = temp_ / "backup";
  std::string output;
  const int backedUp = cli({"backup", "--data-dir", dataDir(), "--to", backup}, output);
  const int writtenDuring = during;
  while (during < writtenDuring + 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  writer.join();
  ASSERT_EQ(backedUp, 0) << output;
  EXPECT_NE(output.find("搜索索引未备份"), std::string::npos) << output;
  EXPECT_EQ(modeOf(backup), 0700);
  EXPECT_EQ(modeOf(backup + "/keys/checkpoint-signing.pem"), 0600);
  EXPECT_TRUE(fs::exists(backup + "/manifest"));
  EXPECT_FALSE(fs::exists(backup + "/search"));

  const std::string restored = temp_ / "restored";
  ASSERT_EQ(cli({"restore", "--from", backup, "--data-dir", restored}, output), 0) << output;
  EXPECT_NE(output.find("OK: restored and verified"), std::string::npos) << output;
  EXPECT_EQ(modeOf(restored), 0700);
  EXPECT_EQ(cli({"verify-log", "--data-dir", restored, "--hash-blobs"}, output), 0) << output;

  // A server on the restored folder: everything acknowledged before the backup, with its files.
  const std::int64_t liveTotal = documentCount();
  ServerProcess second(restored);
  HttpClient admin(second.port());
  const std::string token =
      gongkai::testing::login(HttpClient(second.port()), "admin", adminPassword_);
  ASSERT_FALSE(token.empty());
  admin.setDefaultHeader("Authorization", "Bearer " + token);
  for (const auto& [id, body] : before) {
    const auto document = admin.get("/api/v1/documents/" + std::to_string(id));
    ASSERT_EQ(document.status, 200) << document.body;
    const auto file = document.json()->getArray("files")->getObject(0);
    EXPECT_EQ(admin.get(file->getValue<std::string>("url")).body, body) << id;
  }
  const auto restoredTotal = admin.get("/api/v1/documents").json()->getValue<Poco::Int64>("total");
  EXPECT_GE(restoredTotal, static_cast<std::int64_t>(before.size()));
  EXPECT_LE(restoredTotal, liveTotal);  // a snapshot: nothing the live server does not have
  // Documents written during the backup are there whole or not at all.
  for (const auto& [id, body] : later) {
    const auto document = admin.get("/api/v1/documents/" + std::to_string(id));
    if (document.status == 404) continue;
    const auto file = document.json()->getArray("files")->getObject(0);
    EXPECT_EQ(admin.get(file->getValue<std::string>("url")).body, body) << id;
  }
  const auto feedback = admin.get("/api/v1/feedback");
  ASSERT_EQ(feedback.status, 200) << feedback.body;
  EXPECT_GE(feedback.json()->getValue<Poco::Int64>("total"), 3);
  // The index was not in the backup: the server rebuilt it from the restored store.
  const auto found = admin.get("/api/v1/search?q=quokka&per_page=1");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json()->getValue<Poco::Int64>("total"), restoredTotal) << found.body;
}

// The server decided whether to rebuild a missing index by counts: index versions plus pending
// outbox rows against stored versions. A backup taken while the index lagged carries outbox rows
// (feedback among them) that outnumbered the documents, so the restored server indexed only
// those rows and search missed the documents the old index had already taken.
TEST_F(BackupRestoreTest, ARestoredServerRebuildsSearchEvenWhenTheOutboxWasLong) {
  std::map<std::int64_t, std::string> files;
  for (int n = 0; n < 3; ++n) ASSERT_GT(fileDocument(client(), n, files), 0);
  ASSERT_TRUE(sendFeedback(1));
  const std::string backup = temp_ / "backup";
  std::string output;
  ASSERT_EQ(cli({"backup", "--data-dir", dataDir(), "--to", backup}, output), 0) << output;
  const std::string restored = temp_ / "restored";
  ASSERT_EQ(cli({"restore", "--from", backup, "--data-dir", restored}, output), 0) << output;
  {
    // As a snapshot taken while the indexing worker was 50 feedback changes behind.
    auto session = openTestDatabase(restored);
    for (int i = 0; i < 50; ++i) {
      *session << "INSERT INTO search_outbox (document_id, version, kind) "
                  "SELECT id, 1, 'feedback' FROM feedback LIMIT 1",
          Poco::Data::Keywords::now;
    }
  }
  ServerProcess second(restored);
  HttpClient admin =
      HttpClient(second.port())
          .as(gongkai::testing::login(HttpClient(second.port()), "admin", adminPassword_));
  const auto found = admin.get("/api/v1/search?q=quokka");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json()->getValue<Poco::Int64>("total"), 3) << found.body;
}

TEST_F(BackupRestoreTest, AnAlteredBlobIsRefusedByName) {
  const std::string backup = copyOf(smallBackup(), "altered-blob");
  const std::string blob = firstBlob(backup);
  ASSERT_FALSE(blob.empty());
  std::string contents = readFile(backup + "/" + blob);
  contents[10] ^= 1;  // same size: only the SHA-256 tells
  writeFile(backup + "/" + blob, contents);
  expectRefused(backup, blob);
}

TEST_F(BackupRestoreTest, AnAlteredDatabaseIsRefusedByName) {
  const std::string backup = copyOf(smallBackup(), "altered-db");
  // store.db, or the dump of a PostgreSQL database.
  const std::string database = server::store::snapshotFileName(testStoreUrl(dataDir()));
  std::string contents = readFile(backup + "/" + database);
  ASSERT_FALSE(contents.empty());
  contents[contents.size() / 2] ^= 1;
  writeFile(backup + "/" + database, contents);
  expectRefused(backup, database);
}

TEST_F(BackupRestoreTest, ABackupWithoutItsManifestIsIncomplete) {
  const std::string backup = copyOf(smallBackup(), "no-manifest");
  fs::remove(backup + "/manifest");
  expectRefused(backup, "manifest");
}

TEST_F(BackupRestoreTest, AnExtraOrMissingFileIsRefusedByName) {
  const std::string original = smallBackup();
  const std::string extra = copyOf(original, "extra-file");
  writeFile(extra + "/keys/planted.pem", "not from the server");
  expectRefused(extra, "keys/planted.pem");
  const std::string missing = copyOf(original, "missing-file");
  const std::string blob = firstBlob(missing);
  fs::remove(missing + "/" + blob);
  expectRefused(missing, blob);
}

TEST_F(BackupRestoreTest, AManifestThatIsCutOffOrPointsOutsideTheBackupIsRefused) {
  const std::string original = smallBackup();
  const std::string manifest = readFile(original + "/manifest");
  const std::string cut = copyOf(original, "cut-manifest");
  writeFile(cut + "/manifest", manifest.substr(0, manifest.rfind("end ")));
  expectRefused(cut, "no end line");
  // A restore writes only what a backup holds: no path climbs out of the folder it makes.
  const std::string climbing = copyOf(original, "climbing-manifest");
  std::string forged = manifest;
  forged.insert(forged.rfind("end "), std::string(64, 'a') + "\t1\tkeys/../../outside\n");
  writeFile(climbing + "/manifest", forged);
  expectRefused(climbing, "keys/../../outside");
}

TEST_F(BackupRestoreTest, ABlobAlteredWithItsManifestLineFailsVerification) {
  // A careful forger changes a file and its digest in the manifest too: the manifest check
  // passes, the audit log (verify-log --hash-blobs on the restored copy) does not.
  const std::string backup = copyOf(smallBackup(), "forged");
  const std::string blob = firstBlob(backup);
  std::string contents = readFile(backup + "/" + blob);
  contents[10] ^= 1;
  writeFile(backup + "/" + blob, contents);
  std::string manifest = readFile(backup + "/manifest");
  const std::string oldDigest = fs::path(blob).filename().string();
  manifest.replace(manifest.find(oldDigest + "\t"), oldDigest.size(), core::sha256Hex(contents));
  writeFile(backup + "/manifest", manifest);
  expectRefused(backup, "blob_mismatch");
}

TEST_F(BackupRestoreTest, AnnualBundlesAreBackedUpAndAMissingOneIsNamed) {
  const HttpClient archivist = anonymous().as(userWithRole("archivist1", "archivist", "branch-1"));
  const HttpClient reviewer = anonymous().as(userWithRole("reviewer1", "reviewer", "branch-1"));
  std::map<std::int64_t, std::string> files;
  const std::string doc = "/api/v1/documents/" + std::to_string(fileDocument(archivist, 1, files));
  ASSERT_EQ(archivist.request("POST", doc + "/submit").status, 200);
  ASSERT_EQ(
      reviewer.postJson(doc + "/approve", R"({"confidentiality_reviewed":true,"opinion":"同意"})")
          .status,
      200);
  ASSERT_EQ(reviewer.postJson(doc + "/publish", R"({"channels":["website"]})").status, 200);
  ASSERT_EQ(archivist.request("POST", doc + "/archive").status, 200);
  const auto accepted = client().postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string job = accepted.json()->getValue<std::string>("status_url");
  for (int i = 0; i < 200 && client().get(job).json()->getValue<std::string>("state") != "done";
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto bundles = client().get("/api/v1/archives").json()->getArray("archives");
  ASSERT_EQ(bundles->size(), 1u);
  const std::string tar =
      "archives/" + bundles->getObject(0)->getValue<std::string>("sha256") + ".tar";

  const std::string backup = temp_ / "backup";
  std::string output;
  ASSERT_EQ(cli({"backup", "--data-dir", dataDir(), "--to", backup}, output), 0) << output;
  EXPECT_EQ(readFile(backup + "/" + tar), readFile(dataDir() + "/" + tar));
  EXPECT_NE(readFile(backup + "/manifest").find("\t" + tar + "\n"), std::string::npos);
  EXPECT_EQ(check(backup, output), 0) << output;
  const std::string missing = copyOf(backup, "missing-bundle");
  fs::remove(missing + "/" + tar);
  expectRefused(missing, tar);
}

TEST_F(BackupRestoreTest, ADamagedFileInTheDataFolderFailsTheBackupByName) {
  // A backup copies what the store's own hashes vouch for, or nothing: a damaged blob is named,
  // and no backup that looks whole is left behind.
  std::map<std::int64_t, std::string> files;
  ASSERT_GT(fileDocument(client(), 1, files), 0);
  const std::string blob = firstBlob(dataDir());
  std::string contents = readFile(dataDir() + "/" + blob);
  contents[5] ^= 1;
  writeFile(dataDir() + "/" + blob, contents);
  const std::string backup = temp_ / "backup";
  std::string output;
  EXPECT_EQ(cli({"backup", "--data-dir", dataDir(), "--to", backup}, output), 1) << output;
  EXPECT_NE(output.find(blob), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(backup));
}

TEST_F(BackupRestoreTest, RestoreAndBackupRefuseAFolderThatIsNotEmpty) {
  const std::string backup = smallBackup();
  const std::string occupied = temp_ / "occupied";
  fs::create_directories(occupied);
  writeFile(occupied + "/keep.txt", "mine");
  std::string output;
  EXPECT_EQ(cli({"restore", "--from", backup, "--data-dir", occupied}, output), 2) << output;
  EXPECT_NE(output.find("not empty"), std::string::npos) << output;
  EXPECT_EQ(readFile(occupied + "/keep.txt"), "mine");
  EXPECT_EQ(cli({"backup", "--data-dir", dataDir(), "--to", occupied}, output), 2) << output;
  EXPECT_NE(output.find("not empty"), std::string::npos) << output;
  EXPECT_EQ(readFile(occupied + "/keep.txt"), "mine");
  // An empty folder is fine, and --check restores nothing.
  const std::string empty = temp_ / "empty";
  fs::create_directories(empty);
  EXPECT_EQ(check(backup, output), 0) << output;
  EXPECT_FALSE(fs::exists(backup + ".check"));
  if (testingPostgresql()) EXPECT_EQ(tablesIn(backup + ".check"), 0);
  EXPECT_EQ(cli({"restore", "--from", backup, "--data-dir", empty}, output), 0) << output;
  if (testingPostgresql()) {
    EXPECT_GT(tablesIn(empty), 0);
  } else {
    EXPECT_TRUE(fs::exists(empty + "/store.db"));
  }
}

// On PostgreSQL the backup holds pg_dump's custom-format dump in place of store.db, restores
// only into an empty database, and only into PostgreSQL; the URL may come from the environment.
TEST_F(BackupRestoreTest, APostgresqlBackupIsADumpRestoredIntoAnEmptyDatabaseOnly) {
  if (!testingPostgresql()) GTEST_SKIP() << "a PostgreSQL store's backup";
  std::map<std::int64_t, std::string> files;
  ASSERT_GT(fileDocument(client(), 1, files), 0);
  const std::string backup = temp_ / "backup";
  std::string output;
  // The URL from GONGKAI_STORE_URL, so that a password in it would not show in `ps`.
  ASSERT_EQ(runCommand({"env", "GONGKAI_STORE_URL=" + testStoreUrl(dataDir()), GONGKAI_CLI_BINARY,
                        "backup", "--data-dir", dataDir(), "--to", backup},
                       output),
            0)
      << output;
  const std::string manifest = readFile(backup + "/manifest");
  EXPECT_NE(manifest.find("\tstore.pgdump\n"), std::string::npos) << manifest;
  EXPECT_EQ(manifest.find("store.db"), std::string::npos) << manifest;
  EXPECT_EQ(modeOf(backup + "/store.pgdump"), 0600);

  // Not over the live database, nor without saying where the records go.
  const std::string target = temp_ / "restored";
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "restore", "--from", backup, "--data-dir", target,
                        "--store-url", testStoreUrl(dataDir())},
                       output),
            2)
      << output;
  EXPECT_NE(output.find("not empty"), std::string::npos) << output;
  EXPECT_EQ(
      runCommand({GONGKAI_CLI_BINARY, "restore", "--from", backup, "--data-dir", target}, output),
      2)
      << output;
  EXPECT_NE(output.find("--store-url"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(client().get("/api/v1/documents").json()->getValue<Poco::Int64>("total"), 1);

  ASSERT_EQ(cli({"restore", "--from", backup, "--data-dir", target}, output), 0) << output;
  EXPECT_FALSE(fs::exists(target + "/store.pgdump"));
  EXPECT_FALSE(fs::exists(target + "/store.db"));
  ServerProcess second(target);
  const HttpClient admin =
      HttpClient(second.port())
          .as(gongkai::testing::login(HttpClient(second.port()), "admin", adminPassword_));
  const auto document = admin.get("/api/v1/documents/" + std::to_string(files.begin()->first));
  ASSERT_EQ(document.status, 200) << document.body;
  EXPECT_EQ(
      admin.get(document.json()->getArray("files")->getObject(0)->getValue<std::string>("url"))
          .body,
      files.begin()->second);
}

}  // namespace
}  // namespace gongkai::testing
