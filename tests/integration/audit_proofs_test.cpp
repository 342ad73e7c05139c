// Audit proofs against the real server: signed checkpoints, inclusion and consistency proofs,
// the export, the openssl command line, key rotation, and every class of tampering named by
// `gongkai verify-log` with its position.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fixture.h"
#include "gongkai/core/audit_entry.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/merkle.h"
#include "gongkai/core/signed_note.h"

namespace gongkai::testing {
namespace {

using namespace Poco::Data::Keywords;
namespace merkle = core::merkle;

const std::vector<std::string> kEveryThree = {"-D", "gongkai.audit.checkpoint_every_entries=3"};

class AuditProofsTest : public ServerTest {
 protected:
  void SetUp() override {
    start(kEveryThree);
    // Checkpoints come every 3 entries since the last one, so the tests' own entries meet them
    // at entryAt(3), entryAt(6)... only when the setup's entries end on one.
    ASSERT_EQ(setupAudit_ % 3, 0) << "the setup made " << setupAudit_ << " audit entries";
  }

  // entryAt(n) as a tree size, and as text for URLs, SQL and the verifier's messages.
  std::uint64_t treeAt(std::int64_t n) const { return static_cast<std::uint64_t>(entryAt(n)); }
  std::string at(std::int64_t n) const { return std::to_string(entryAt(n)); }

  std::string path(const std::string& name) const { return temp_ / name; }

  static void writeFile(const std::string& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  static std::string readFile(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  void createDocuments(int count, const std::string& prefix = "公开") {
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(
          client().postJson("/api/v1/documents", sampleMetadata(prefix + std::to_string(i))).status,
          201);
    }
  }

  // Saves something the server serves to a file, as an inspector would keep it.
  std::string save(const std::string& urlPath, const std::string& name) {
    auto response = client().get(urlPath);
    EXPECT_EQ(response.status, 200) << response.body;
    writeFile(path(name), response.body);
    return path(name);
  }

  int verify(std::vector<std::string> args, std::string& output) {
    args.insert(args.begin(), {GONGKAI_CLI_BINARY, "verify-log"});
    return runCommand(withTestStore(args), output);
  }

  std::unique_ptr<Poco::Data::Session> db() { return openTestDatabase(dataDir()); }

  core::Checkpoint checkpointOf(const std::string& signedNote) {
    auto note = core::note::parseNote(signedNote);
    EXPECT_TRUE(note.ok()) << signedNote;
    auto checkpoint = core::parseCheckpoint(note.value().text);
    EXPECT_TRUE(checkpoint.ok());
    return checkpoint.value();
  }

  static merkle::Hash hashOf(const std::string& base64) {
    return merkle::hashFromBytes(*core::base64Decode(base64)).value();
  }

  static std::vector<merkle::Hash> proofOf(const Poco::JSON::Object::Ptr& body) {
    std::vector<merkle::Hash> proof;
    auto array = body->getArray("proof");
    for (std::size_t i = 0; i < array->size(); ++i)
      proof.push_back(hashOf(array->getElement<std::string>(i)));
    return proof;
  }

  // The lines of an export file, and the file made from edited lines (count line fixed up).
  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  static std::string joinLines(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& line : parts) out += line + "\n";
    return out;
  }
  static std::size_t firstEntryLine(const std::vector<std::string>& parts) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].rfind("entries ", 0) == 0) return i + 1;
    }
    return 0;
  }

  // Rewrites entry `seq` with `edit` and re-links every later entry, recomputing their hashes:
  // what a forger with write access to the database does.
  void rewriteChainFrom(std::int64_t seq, const std::function<void(core::AuditEntry&)>& edit) {
    auto session = db();
    std::vector<Poco::Int64> seqs;
    std::vector<std::string> entries;
    *session << "SELECT seq, entry FROM audit_log ORDER BY seq", into(seqs), into(entries), now;
    std::string prevHash =
        seq > 1 ? core::entryHash(entries[seq - 2]) : std::string(core::kGenesisHash);
    for (std::size_t i = static_cast<std::size_t>(seq - 1); i < entries.size(); ++i) {
      auto entry = core::parseAuditEntry(entries[i]).value();
      if (entry.seq == seq) edit(entry);
      entry.prev_hash = prevHash;
      std::string bytes = core::canonicalBytes(entry);
      prevHash = core::entryHash(bytes);
      Poco::Int64 s = seqs[i];
      *session << "UPDATE audit_log SET entry = $1, entry_hash = $2 WHERE seq = $3", use(bytes),
          use(prevHash), use(s), now;
    }
  }
};

TEST_F(AuditProofsTest, SignedCheckpointsAndProofsVerifyForEveryEntry) {
  createDocuments(7);
  // Checkpoints every 3 entries (the setup's included), plus the one made at start over the
  // empty log.
  auto list = client().get("/api/v1/audit/checkpoints").json()->getArray("checkpoints");
  std::vector<std::int64_t> sizes, expected;
  for (std::size_t i = 0; i < list->size(); ++i)
    sizes.push_back(list->getObject(i)->getValue<Poco::Int64>("tree_size"));
  for (std::int64_t size = 0; size <= entryAt(7); size += 3) expected.push_back(size);
  ASSERT_EQ(expected.back(), entryAt(6));
  EXPECT_EQ(sizes, expected);

  auto key = core::note::parseVerifierKey(
      client()
          .get("/api/v1/audit/key")
          .body.substr(0, client().get("/api/v1/audit/key").body.size() - 1));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key.value().name, "gongkai.local/audit");
  auto latest = client().get("/api/v1/audit/checkpoint");
  EXPECT_EQ(latest.header("content-type"), "text/plain; charset=utf-8");
  auto note = core::note::parseNote(latest.body);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(core::note::verifyNote(note.value(), {key.value()}), core::note::Verdict::kVerified);
  const core::Checkpoint six = checkpointOf(latest.body);
  EXPECT_EQ(six.size, treeAt(6));
  EXPECT_EQ(six.origin, "gongkai.local/audit");

  // Every entry, the setup's too.
  auto entries =
      client().get("/api/v1/audit/entries?start=0&end=" + at(6)).json()->getArray("entries");
  ASSERT_EQ(entries->size(), treeAt(7));
  for (std::size_t i = 0; i < treeAt(6); ++i) {
    auto body = client().get("/api/v1/audit/proof/inclusion?index=" + std::to_string(i)).json();
    EXPECT_EQ(body->getValue<Poco::Int64>("tree_size"),
              entryAt(6));  // defaults to the latest checkpoint
    EXPECT_EQ(body->getValue<std::string>("checkpoint"), latest.body);
    const auto leaf = merkle::leafHash(entries->getObject(i)->getValue<std::string>("canonical"));
    EXPECT_EQ(hashOf(body->getValue<std::string>("leaf_hash")), leaf);
    EXPECT_TRUE(merkle::verifyInclusion(i, treeAt(6), leaf, proofOf(body), six.root).ok()) << i;
  }
  for (std::size_t size = 1; size <= treeAt(7); ++size) {
    for (std::size_t i = 0; i < size; ++i) {
      auto body = client()
                      .get("/api/v1/audit/proof/inclusion?index=" + std::to_string(i) +
                           "&size=" + std::to_string(size))
                      .json();
      merkle::TreeBuilder tree;
      for (std::size_t j = 0; j < size; ++j)
        tree.add(merkle::leafHash(entries->getObject(j)->getValue<std::string>("canonical")));
      EXPECT_EQ(hashOf(body->getValue<std::string>("root_hash")), tree.root());
      EXPECT_TRUE(merkle::verifyInclusion(i, size, hashOf(body->getValue<std::string>("leaf_hash")),
                                          proofOf(body), tree.root())
                      .ok());
    }
  }
  const core::Checkpoint three =
      checkpointOf(client().get("/api/v1/audit/checkpoints/" + at(3)).body);
  auto consistency =
      client().get("/api/v1/audit/proof/consistency?from=" + at(3) + "&to=" + at(6)).json();
  EXPECT_TRUE(
      merkle::verifyConsistency(treeAt(3), treeAt(6), proofOf(consistency), three.root, six.root)
          .ok());
  EXPECT_FALSE(
      merkle::verifyConsistency(treeAt(3), treeAt(6), proofOf(consistency), six.root, three.root)
          .ok());
}

TEST_F(AuditProofsTest, CheckpointsFollowTheTimerAndTheExport) {
  restart({"-D", "gongkai.audit.checkpoint_every_entries=1000", "-D",
           "gongkai.audit.checkpoint_every_seconds=1"});
  createDocuments(2);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (checkpointOf(client().get("/api/v1/audit/checkpoint").body).size != treeAt(2) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(checkpointOf(client().get("/api/v1/audit/checkpoint").body).size, treeAt(2));
  createDocuments(1);
  // The export signs the log as it is, at once.
  auto exported = client().get("/api/v1/audit/export");
  EXPECT_EQ(exported.header("x-tree-size"), at(3));
  EXPECT_NE(exported.body.find("entries " + at(3) + "\n"), std::string::npos);
  EXPECT_EQ(checkpointOf(client().get("/api/v1/audit/checkpoints/" + at(3)).body).size, treeAt(3));
}

TEST_F(AuditProofsTest, BadProofRequestsGetProblemsNotPages) {
  createDocuments(4);  // the log holds entryAt(4) entries
  for (const std::string& bad : std::vector<std::string>{
           "/api/v1/audit/proof/inclusion?index=" + at(4) + "&size=" + at(4),
           "/api/v1/audit/proof/inclusion?index=0&size=" + at(5),
           "/api/v1/audit/proof/inclusion?index=-1&size=3",
           "/api/v1/audit/proof/inclusion?index=abc", "/api/v1/audit/proof/inclusion",
           "/api/v1/audit/proof/inclusion?index=0&size=0",
           "/api/v1/audit/proof/inclusion?index=99999999999999999999999",
           "/api/v1/audit/proof/consistency?from=0&to=3",
           "/api/v1/audit/proof/consistency?from=3&to=2",
           "/api/v1/audit/proof/consistency?from=1&to=" + at(5), "/api/v1/audit/proof/consistency",
           "/api/v1/audit/entries?start=3&end=1", "/api/v1/audit/entries?start=x&end=1",
           "/api/v1/audit/entries", "/api/v1/audit/checkpoints/999",
           "/api/v1/audit/checkpoints/abc", "/api/v1/audit/checkpoints/-1",
           "/api/v1/audit/checkpoints?limit=0"}) {
    auto response = client().get(bad);
    EXPECT_GE(response.status, 400) << bad;
    EXPECT_LT(response.status, 500) << bad;
    EXPECT_EQ(response.header("content-type").rfind("application/problem+json", 0), 0u) << bad;
    EXPECT_FALSE(response.json()->getValue<std::string>("code").empty()) << bad;
  }
  // Entries past the end are simply not there; a range is capped, never an error.
  auto past = client()
                  .get("/api/v1/audit/entries?start=" + at(2) + "&end=" + at(100))
                  .json()
                  ->getArray("entries");
  EXPECT_EQ(past->size(), 2u);
  // The widest range there is: capped at the page size, never an overflow.
  auto widest = client()
                    .get("/api/v1/audit/entries?start=0&end=9223372036854775807")
                    .json()
                    ->getArray("entries");
  EXPECT_EQ(static_cast<std::int64_t>(widest->size()), entryAt(4));
  EXPECT_EQ(client()
                .get("/api/v1/audit/proof/consistency?from=" + at(4) + "&to=" + at(4))
                .json()
                ->getArray("proof")
                ->size(),
            0u);
}

TEST_F(AuditProofsTest, OneObjectsTimelineListsOnlyItsEntriesInOrder) {
  const auto first = client().postJson("/api/v1/documents", sampleMetadata("时间线一")).json();
  ASSERT_EQ(client().postJson("/api/v1/documents", sampleMetadata("时间线二")).status, 201);
  const std::string id = std::to_string(first->getValue<Poco::Int64>("id"));
  auto patched = client().request("PATCH", "/api/v1/documents/" + id, R"({"summary":"改"})",
                                  "application/merge-patch+json", {{"If-Match", "\"v1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;

  auto timeline = client().get("/api/v1/audit?object_type=document&object_id=" + id).json();
  auto entries = timeline->getArray("entries");
  ASSERT_EQ(entries->size(), 2u);
  std::int64_t previous = 0;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    auto entry = entries->getObject(i);
    EXPECT_GT(entry->getValue<Poco::Int64>("seq"), previous);
    previous = entry->getValue<Poco::Int64>("seq");
    auto object = entry->getObject("entry")->getObject("object");
    EXPECT_EQ(object->getValue<std::string>("type"), "document");
    EXPECT_EQ(object->getValue<std::string>("id"), id);
    EXPECT_EQ(object->getValue<Poco::Int64>("version"), static_cast<Poco::Int64>(i + 1));
  }
  // Paging after the first entry leaves the second.
  const auto after = std::to_string(entries->getObject(0)->getValue<Poco::Int64>("seq"));
  EXPECT_EQ(client()
                .get("/api/v1/audit?object_type=document&object_id=" + id + "&after=" + after)
                .json()
                ->getArray("entries")
                ->size(),
            1u);
  EXPECT_EQ(client()
                .get("/api/v1/audit?object_type=document&object_id=999999")
                .json()
                ->getArray("entries")
                ->size(),
            0u);
  // Half a filter is refused, not ignored.
  for (const std::string& bad : std::vector<std::string>{"/api/v1/audit?object_type=document",
                                                         "/api/v1/audit?object_id=" + id}) {
    auto response = client().get(bad);
    EXPECT_EQ(response.status, 400) << bad;
    EXPECT_EQ(response.json()->getValue<std::string>("code"), "invalid_query");
  }
  // Only audit readers see it.
  EXPECT_EQ(anonymous().get("/api/v1/audit?object_type=document&object_id=" + id).status, 401);
}

TEST_F(AuditProofsTest, TheOpensslCommandLineVerifiesTheCheckpointSignature) {
  createDocuments(3);
  const std::string pem = save("/api/v1/audit/key?format=pem", "checkpoint-key.pem");
  auto note = core::note::parseNote(client().get("/api/v1/audit/checkpoint").body).value();
  writeFile(path("checkpoint.txt"), note.text);
  writeFile(path("checkpoint.sig"), note.signatures.at(0).signature);
  std::string output;
  EXPECT_EQ(runCommand({"openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-in",
                        path("checkpoint.txt"), "-sigfile", path("checkpoint.sig")},
                       output),
            0)
      << output;
  EXPECT_NE(output.find("Signature Verified Successfully"), std::string::npos) << output;
  writeFile(path("checkpoint.txt"), note.text + "x\n");
  EXPECT_NE(runCommand({"openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-in",
                        path("checkpoint.txt"), "-sigfile", path("checkpoint.sig")},
                       output),
            0);
}

TEST_F(AuditProofsTest, TheSigningKeyIsPrivateAndOutsideTheDatabase) {
  struct stat keyStat {
  }, folderStat{};
  ASSERT_EQ(::stat((dataDir() + "/keys/checkpoint-signing.pem").c_str(), &keyStat), 0);
  ASSERT_EQ(::stat((dataDir() + "/keys").c_str(), &folderStat), 0);
  EXPECT_EQ(keyStat.st_mode & 0777, 0600u);
  EXPECT_EQ(folderStat.st_mode & 0777, 0700u);
  const std::string listed = readFile(dataDir() + "/keys/verifier-keys.txt");
  EXPECT_NE(listed.find(client().get("/api/v1/audit/key").body), std::string::npos);
  EXPECT_EQ(readFile(dataDir() + "/store.db").find("PRIVATE KEY"), std::string::npos);
  // What the server writes is its own alone, whatever umask it was started with (the tests run
  // with 022): the store with its password hashes and contacts, the logs, the blobs.
  ASSERT_EQ(client()
                .postMultipart("/api/v1/documents",
                               {{"metadata", "", "application/json", sampleMetadata("权限"), ""},
                                {"file", "a.txt", "text/plain", "党务公开", ""}})
                .status,
            201);
  server().stop();  // the access log is written
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dataDir())) {
    struct stat info {};
    ASSERT_EQ(::lstat(entry.path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 077, 0u)
        << entry.path() << " mode " << std::oct << (info.st_mode & 0777);
  }
  // A signing key that others may read is refused, as ssh refuses one.
  ::chmod((dataDir() + "/keys/checkpoint-signing.pem").c_str(), 0644);
  std::string output;
  EXPECT_EQ(runCommand({GONGKAI_SERVER_BINARY, "--data-dir", dataDir(), "--port", "0"}, output), 78)
      << output;
  EXPECT_NE(output.find("chmod 600"), std::string::npos) << output;
  ::chmod((dataDir() + "/keys/checkpoint-signing.pem").c_str(), 0600);
  restart();
  EXPECT_EQ(client().get("/healthz").status, 200);
}

TEST_F(AuditProofsTest, AnExportVerifiesOfflineAndEveryTamperIsNamed) {
  createDocuments(6);
  const std::string keys = save("/api/v1/audit/keys", "keys.txt");
  const std::string original = client().get("/api/v1/audit/export").body;
  writeFile(path("export.log"), original);
  std::string output;
  ASSERT_EQ(verify({"--export", path("export.log"), "--key", keys}, output), 0) << output;
  EXPECT_NE(output.find("审计记录 (audit entries verified): " + at(6)), std::string::npos)
      << output;

  const auto parts = lines(original);
  const std::size_t first = firstEntryLine(parts);  // line index of entry 1
  ASSERT_GT(first, 0u);
  const std::size_t mine =
      first + static_cast<std::size_t>(setupAudit_);  // of entryAt(1), after the setup's
  // Renames the actor of an entry's line, keeping the line's length.
  auto renameActor = [](std::string& line) {
    const auto actor = line.find("\"actor\":\"admin\"");
    ASSERT_NE(actor, std::string::npos) << line;
    line.replace(actor + 9, 5, "eve99");
  };
  auto expectFault = [&](const std::string& name, const std::string& text, const std::string& where,
                         std::vector<std::string> extra = {}) {
    writeFile(path(name), text);
    std::vector<std::string> args = {"--export", path(name), "--key", keys};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string out;
    EXPECT_EQ(verify(args, out), 1) << name << "\n" << out;
    EXPECT_NE(out.find(where), std::string::npos) << name << " should say " << where << "\n" << out;
  };

  auto edited = parts;
  renameActor(edited[mine + 2]);
  expectFault("changed-bytes.log", joinLines(edited), "at entry " + at(4) + " [broken_link]");

  edited = parts;
  const auto hashAt = edited[mine + 1].find("\"content_sha256\":\"") + 18;
  edited[mine + 1][hashAt] = edited[mine + 1][hashAt] == '0' ? '1' : '0';
  expectFault("changed-content-hash.log", joinLines(edited),
              "at entry " + at(3) + " [broken_link]");

  edited = parts;
  renameActor(edited[mine + 5]);
  expectFault("changed-last.log", joinLines(edited), "at entry " + at(6) + " [root_mismatch]");

  edited = parts;
  edited.erase(edited.begin() + static_cast<long>(mine) + 2);
  edited[first - 1] = "entries " + at(5);
  expectFault("deleted.log", joinLines(edited), "at entry " + at(3) + " [seq_mismatch]");

  edited = parts;
  std::swap(edited[mine + 1], edited[mine + 2]);
  expectFault("swapped.log", joinLines(edited), "at entry " + at(2) + " [seq_mismatch]");

  edited = parts;
  edited.pop_back();  // the end line
  expectFault("cut-off.log", joinLines(edited), "[export_malformed]");

  // Forged checkpoints: an altered root under the real signature, and one signed by another key.
  const std::size_t lengthAt = original.find("checkpoint ") + 11;
  const std::size_t noteAt = original.find('\n', lengthAt) + 1;
  const std::string ownNote = original.substr(noteAt, std::stoul(original.substr(lengthAt)));
  auto note = core::note::parseNote(ownNote).value();
  auto forgedNote = note;
  auto checkpoint = core::parseCheckpoint(note.text).value();
  checkpoint.root[0] ^= 1;
  forgedNote.text = core::formatCheckpoint(checkpoint);
  std::string forged = original;
  forged.replace(forged.find(note.text), note.text.size(), forgedNote.text);
  expectFault("bad-signature.log", forged, "[checkpoint_bad_signature]");
  auto other = core::Ed25519Signer::generate().value();
  const std::string otherNote = core::note::signNote(note.text, "gongkai.local/audit", other);
  std::string resigned = original;
  resigned.replace(resigned.find(ownNote), ownNote.size(), otherNote);
  resigned.replace(resigned.find("checkpoint " + std::to_string(ownNote.size())),
                   11 + std::to_string(ownNote.size()).size(),
                   "checkpoint " + std::to_string(otherNote.size()));
  expectFault("other-key.log", resigned, "[checkpoint_unknown_key]");

  // A genuine but older checkpoint in the file leaves the entries after it signed by nobody.
  const std::string three = client().get("/api/v1/audit/checkpoints/" + at(3)).body;
  std::string partly = original;
  partly.replace(noteAt, ownNote.size(), three);
  partly.replace(lengthAt, std::to_string(ownNote.size()).size(), std::to_string(three.size()));
  expectFault("unsigned-tail.log", partly, "at entry " + at(4) + " [unsigned_entries]");

  // Cut off at the end, export and checkpoint made consistent, yet a checkpoint kept from later
  // still covers the missing entries.
  createDocuments(2);
  client().get("/api/v1/audit/export");  // signs the log of entryAt(8) entries
  const std::string later = save("/api/v1/audit/checkpoints/" + at(8), "later-checkpoint.txt");
  expectFault("old-export.log", original, "at entry " + at(7) + " [truncated]", {"--since", later});
}

TEST_F(AuditProofsTest, TamperingWithTheDataFolderIsNamed) {
  createDocuments(6);
  const std::string saved =
      save("/api/v1/audit/checkpoint", "saved-checkpoint.txt");  // size entryAt(6)
  const std::string keys = save("/api/v1/audit/keys", "keys.txt");
  std::string output;
  ASSERT_EQ(verify({"--data-dir", dataDir(), "--since", saved, "--key", keys}, output), 0)
      << output;
  server().stop();
  const SavedTestDatabase pristine(dataDir());
  auto reset = [&] { pristine.putBack(); };
  auto expectFault = [&](const std::string& where, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--data-dir", dataDir()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string out;
    EXPECT_EQ(verify(args, out), 1) << out;
    EXPECT_NE(out.find(where), std::string::npos) << "should say " << where << "\n" << out;
  };

  // Changed content hash, stored hash recomputed: the tree's leaf names the entry.
  {
    auto session = db();
    std::string entry;
    *session << "SELECT entry FROM audit_log WHERE seq = " + at(4), into(entry), now;
    auto parsed = core::parseAuditEntry(entry).value();
    parsed.content_sha256 = std::string(64, 'a');
    std::string bytes = core::canonicalBytes(parsed), hash = core::entryHash(bytes);
    *session << "UPDATE audit_log SET entry = $1, entry_hash = $2 WHERE seq = " + at(4), use(bytes),
        use(hash), now;
  }
  expectFault("at entry " + at(4) + " [leaf_mismatch]");
  reset();

  db()->operator<<("DELETE FROM audit_log WHERE seq = " + at(3)), now;
  expectFault("at entry " + at(3) + " [sequence_gap]");
  reset();

  {
    auto session = db();
    *session << "UPDATE audit_log SET seq = -2 WHERE seq = " + at(2), now;
    *session << "UPDATE audit_log SET seq = " + at(2) + " WHERE seq = " + at(3), now;
    *session << "UPDATE audit_log SET seq = " + at(3) + " WHERE seq = -2", now;
  }
  expectFault("at entry " + at(2) + " [seq_mismatch]");
  reset();

  // A forged checkpoint, and a key that is not the log's.
  db()->operator<<("UPDATE checkpoints SET note = replace(note, '\n" + at(6) + "\n', '\n" + at(5) +
                   "\n') WHERE tree_size = " + at(6)),
      now;
  expectFault("[checkpoint_bad_signature]");
  reset();
  auto other = core::Ed25519Signer::generate().value();
  writeFile(path("other-key.txt"), core::note::formatVerifierKey(core::note::makeVerifierKey(
                                       "gongkai.local/audit", other.publicKey())) +
                                       "\n");
  expectFault("[checkpoint_unknown_key]", {"--key", path("other-key.txt")});

  // The whole log rewritten from the test's entry 2 with every hash recomputed and the tree
  // rebuilt: the checkpoints signed before the rewrite no longer match.
  rewriteChainFrom(entryAt(2), [](core::AuditEntry& e) { e.actor = "forger"; });
  db()->operator<<("DELETE FROM merkle_nodes"), now;
  restart(kEveryThree);  // rebuilds the tree from the forged entries
  server().stop();
  expectFault("at entry " + at(3) + " [root_mismatch]");
  // Even with the store's checkpoints replaced by ones signed with the folder's own key, the
  // checkpoint the inspector kept catches it.
  db()->operator<<("DELETE FROM checkpoints"), now;
  restart(kEveryThree);
  server().stop();
  std::string out;
  EXPECT_EQ(verify({"--data-dir", dataDir()}, out), 0)
      << "a forger with the key fools a check without a saved checkpoint\n"
      << out;
  expectFault("at entry " + at(6) + " [root_mismatch]", {"--since", saved});
}

TEST_F(AuditProofsTest, HostileFilesGiveTheVerifierClearAnswers) {
  createDocuments(2);
  const std::string keys = save("/api/v1/audit/keys", "keys.txt");
  const std::string exported = client().get("/api/v1/audit/export").body;
  std::string output;
  auto run = [&](const std::string& exportText, const std::string& keyText) {
    writeFile(path("hostile.log"), exportText);
    writeFile(path("hostile-keys.txt"), keyText);
    return verify({"--export", path("hostile.log"), "--key", path("hostile-keys.txt")}, output);
  };
  const std::string keyText = readFile(keys);
  EXPECT_EQ(run("", keyText), 1) << output;
  EXPECT_NE(output.find("[export_malformed]"), std::string::npos) << output;
  EXPECT_EQ(run(std::string(5 << 20, 'x'), keyText), 1) << output;
  EXPECT_EQ(run("gongkai-audit-export 1\ncheckpoint 999999999\n", keyText), 1) << output;
  EXPECT_EQ(run(exported.substr(0, exported.size() / 2), keyText), 1) << output;
  EXPECT_NE(output.find("[export_malformed]"), std::string::npos) << output;
  EXPECT_EQ(run(exported + "more\n", keyText), 1) << output;
  EXPECT_EQ(
      run(exported.substr(0, exported.size() - 4) + std::string(3 << 20, 'y') + "\nend\n", keyText),
      1)
      << output;
  // Unusable keys or options are a usage error, not a verdict on the log.
  EXPECT_EQ(run(exported, "not a key\n"), 2) << output;
  EXPECT_EQ(run(exported, ""), 2) << output;
  EXPECT_EQ(verify({"--export", path("missing.log"), "--key", keys}, output), 2) << output;
  EXPECT_EQ(verify({"--export", path("hostile.log")}, output), 2) << output;
  EXPECT_EQ(verify({"--data-dir", dataDir(), "--since", path("missing.txt")}, output), 2) << output;
  EXPECT_EQ(verify({"--data-dir", dataDir(), "--bogus"}, output), 2) << output;
  // A saved checkpoint that is not one is a fault of what was handed in, and says so.
  writeFile(path("not-a-checkpoint.txt"), "hello\n");
  EXPECT_EQ(verify({"--data-dir", dataDir(), "--since", path("not-a-checkpoint.txt")}, output), 1)
      << output;
  EXPECT_NE(output.find("[checkpoint_malformed]"), std::string::npos) << output;
  server().stop();  // rotate-key writes the folder, so it runs while the server is stopped
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "rotate-key", "--data-dir", dataDir(), "--origin",
                        "bad origin"},
                       output),
            2)
      << output;
}

TEST_F(AuditProofsTest, TruncatingTheTailIsCaughtByASavedCheckpoint) {
  createDocuments(6);
  const std::string saved =
      save("/api/v1/audit/checkpoint", "saved-checkpoint.txt");  // size entryAt(6)
  server().stop();
  {
    // Remove the last two entries and everything that would give them away, then let the
    // server rebuild the tree and sign the shorter log with the folder's key.
    auto session = db();
    *session << "DELETE FROM audit_log WHERE seq > " + at(4), now;
    *session << "DELETE FROM merkle_nodes", now;
    *session << "DELETE FROM checkpoints", now;
  }
  restart(kEveryThree);
  server().stop();
  std::string output;
  EXPECT_EQ(verify({"--data-dir", dataDir(), "--since", saved}, output), 1) << output;
  EXPECT_NE(output.find("at entry " + at(5) + " [truncated]"), std::string::npos) << output;
}

TEST_F(AuditProofsTest, VerifyingARunningServerChecksItsConsistencyProof) {
  createDocuments(4);
  const std::string saved = save("/api/v1/audit/checkpoint", "saved.txt");  // size entryAt(3)
  const std::string keys = save("/api/v1/audit/keys", "keys.txt");
  createDocuments(5);
  const std::string url = "http://127.0.0.1:" + std::to_string(server().port());
  std::string output;
  EXPECT_EQ(verify({"--url", url, "--token", adminToken_, "--key", keys, "--since", saved}, output),
            0)
      << output;
  EXPECT_NE(output.find("审计记录 (audit entries verified): " + at(9)), std::string::npos)
      << output;
  EXPECT_EQ(verify({"--url", url, "--token", adminToken_}, output), 0) << output;
  EXPECT_NE(output.find("--key"), std::string::npos) << "warns that the keys came from the server";
  EXPECT_EQ(verify({"--url", "http://127.0.0.1:1", "--token", adminToken_}, output), 2) << output;
  EXPECT_EQ(verify({"--url", url, "--token", adminToken_, "--export", saved}, output), 2) << output;
}

TEST_F(AuditProofsTest, RotatedKeysSignNewCheckpointsAndOldOnesStayVerifiable) {
  createDocuments(3);
  const std::string oldKey = client().get("/api/v1/audit/key").body;
  const std::string oldCheckpoint = client().get("/api/v1/audit/checkpoints/" + at(3)).body;
  server().stop();
  std::string output;
  ASSERT_EQ(runCommand({GONGKAI_CLI_BINARY, "rotate-key", "--data-dir", dataDir()}, output), 0)
      << output;
  restart(kEveryThree);
  createDocuments(3);
  const std::string newKey = client().get("/api/v1/audit/key").body;
  EXPECT_NE(newKey, oldKey);
  EXPECT_EQ(client().get("/api/v1/audit/keys").body, oldKey + newKey);
  auto parseKey = [](const std::string& line) {
    return core::note::parseVerifierKey(line.substr(0, line.size() - 1)).value();
  };
  auto oldNote = core::note::parseNote(oldCheckpoint).value();
  EXPECT_EQ(core::note::verifyNote(oldNote, {parseKey(oldKey)}), core::note::Verdict::kVerified);
  EXPECT_EQ(core::note::verifyNote(oldNote, {parseKey(newKey)}), core::note::Verdict::kNoKnownKey);
  auto newNote =
      core::note::parseNote(client().get("/api/v1/audit/checkpoints/" + at(6)).body).value();
  EXPECT_EQ(core::note::verifyNote(newNote, {parseKey(newKey)}), core::note::Verdict::kVerified);
  EXPECT_EQ(verifyLog(output), 0) << output;
  writeFile(path("both.txt"), oldKey + newKey);
  writeFile(path("old-only.txt"), oldKey);
  EXPECT_EQ(verify({"--data-dir", dataDir(), "--key", path("both.txt")}, output), 0) << output;
  EXPECT_EQ(verify({"--data-dir", dataDir(), "--key", path("old-only.txt")}, output), 1) << output;
  EXPECT_NE(output.find("[checkpoint_unknown_key]"), std::string::npos) << output;
}

}  // namespace
}  // namespace gongkai::testing
