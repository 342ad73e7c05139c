// Annual archive bundles against the real server: documents filed, published and archived
// through the API, a bundle built by a job, downloaded, extracted with tar, its signatures
// checked with the openssl command line, rebuilt byte for byte, and checked by gongkai-verify,
// which must catch each kind of tampering and name it.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "fixture.h"
#include "gongkai/archive/bag_writer.h"
#include "gongkai/archive/file_inspector.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"

namespace gongkai::testing {
namespace {

namespace fs = std::filesystem;

// A minimal PDF, a 1×1 PNG and a text: files of three formats the verifier opens.
const std::string kPdf =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    "/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";
const std::string kPng = std::string(
    "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    "\x1f\x15\xc4\x89\x00\x00\x00\x0aIDATx\x9c\x63\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4"
    "\x00\x00\x00\x00IEND\xae\x42\x60\x82",
    67);

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void writeFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// One tar entry as read back, to be changed and written again.
struct TarItem {
  std::string path;
  unsigned type = AE_IFREG;
  std::string bytes;
  std::string link;  // symlink target
};

std::vector<TarItem> readTar(const fs::path& tar) {
  std::vector<TarItem> out;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_filename(a, tar.c_str(), 1 << 16), ARCHIVE_OK);
  struct archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    TarItem item;
    item.path = archive_entry_pathname_utf8(entry) ? archive_entry_pathname_utf8(entry)
                                                   : archive_entry_pathname(entry);
    item.type = archive_entry_filetype(entry);
    std::vector<char> buffer(1 << 16);
    la_ssize_t got = 0;
    while ((got = archive_read_data(a, buffer.data(), buffer.size())) > 0) {
      item.bytes.append(buffer.data(), static_cast<std::size_t>(got));
    }
    out.push_back(std::move(item));
  }
  archive_read_free(a);
  return out;
}

void writeTar(const fs::path& tar, const std::vector<TarItem>& items) {
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, tar.c_str()), ARCHIVE_OK);
  for (const TarItem& item : items) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname_utf8(entry, item.path.c_str());
    archive_entry_set_filetype(entry, item.type);
    archive_entry_set_perm(entry, item.type == AE_IFDIR ? 0755 : 0644);
    if (item.type == AE_IFLNK) archive_entry_set_symlink(entry, item.link.c_str());
    archive_entry_set_size(entry,
                           item.type == AE_IFREG ? static_cast<la_int64_t>(item.bytes.size()) : 0);
    archive_write_header(a, entry);
    if (item.type == AE_IFREG) archive_write_data(a, item.bytes.data(), item.bytes.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

TarItem* findItem(std::vector<TarItem>& items,
                  const std::function<bool(const std::string&)>& match) {
  for (TarItem& item : items) {
    if (item.type == AE_IFREG && match(item.path)) return &item;
  }
  return nullptr;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// gongkai-verify's JSON report.
struct Verdict {
  int exit = -1;
  Poco::JSON::Object::Ptr report;
  std::string output;

  // The checks that failed, as "check subject".
  std::set<std::string> failedChecks() const {
    std::set<std::string> out;
    if (!report) return out;
    auto findings = report->getArray("findings");
    for (std::size_t i = 0; i < findings->size(); ++i) {
      auto f = findings->getObject(static_cast<unsigned>(i));
      if (!f->getValue<bool>("passed")) out.insert(f->getValue<std::string>("check"));
    }
    return out;
  }
};

Verdict runVerifier(const fs::path& tar, const std::vector<fs::path>& keys) {
  std::vector<std::string> argv{GONGKAI_VERIFY_BINARY, tar.string(), "--json"};
  for (const auto& key : keys) {
    argv.push_back("--key");
    argv.push_back(key.string());
  }
  Verdict verdict;
  verdict.exit = runCommand(argv, verdict.output);
  try {
    verdict.report = Poco::JSON::Parser().parse(verdict.output).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
  }
  return verdict;
}

class ArchiveBundlesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    tokens_ = {userWithRole("archivist1", "archivist", "branch-1"),
               userWithRole("reviewer1", "reviewer", "branch-1"),
               userWithRole("inspector1", "inspector")};
    connect();
  }

  // Clients for the users, on the server's current port (it changes with a restart).
  void connect() {
    archivist_ = std::make_unique<HttpClient>(anonymous().as(tokens_[0]));
    reviewer_ = std::make_unique<HttpClient>(anonymous().as(tokens_[1]));
    inspector_ = std::make_unique<HttpClient>(anonymous().as(tokens_[2]));
  }

  // Files, publishes and archives a document of branch-1; returns its 档号.
  std::string archived(const std::string& title, std::vector<MultipartPart> files,
                       const std::string& retention = "", const std::string& category = "ZZ",
                       const std::string& issued = "2023-03-01") {
    std::vector<MultipartPart> parts{
        {"metadata", "", "application/json",
         R"({"title":")" + title + R"(","category":")" + category +
             R"(","org_unit":"branch-1","scope":"public","mode":"proactive","period":"standing",)"
             R"("issued_at":")" +
             issued + R"("})",
         ""}};
    for (auto& file : files) parts.push_back(std::move(file));
    const auto made = archivist_->postMultipart("/api/v1/documents", parts);
    EXPECT_EQ(made.status, 201) << made.body;
    const std::string doc =
        "/api/v1/documents/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
    const auto step = [&](const HttpClient& as, const std::string& name, const std::string& body) {
      const auto response =
          as.request("POST", doc + "/" + name, body, body.empty() ? "" : "application/json");
      EXPECT_EQ(response.status, 200) << name << " " << response.body;
      return response;
    };
    step(*archivist_, "submit", "");
    step(*reviewer_, "approve", R"({"confidentiality_reviewed":true,"opinion":"同意"})");
    step(*reviewer_, "publish", R"({"channels":["website"]})");
    const auto done = step(*archivist_, "archive",
                           retention.empty() ? "" : R"({"retention":")" + retention + R"("})");
    return done.json()->getValue<std::string>("reference_code");
  }

  // Builds a bundle through the API and waits for its job; returns the finished job.
  Poco::JSON::Object::Ptr build(const std::string& body, int waitSeconds = 30) {
    const auto accepted = client().postJson("/api/v1/archives", body);
    EXPECT_EQ(accepted.status, 202) << accepted.body;
    if (accepted.status != 202) return nullptr;
    const std::string url = accepted.json()->getValue<std::string>("status_url");
    EXPECT_EQ(accepted.header("location"), url);
    for (int i = 0; i < waitSeconds * 20; ++i) {
      auto job = client().get(url).json();
      const std::string state = job->getValue<std::string>("state");
      if (state != "queued" && state != "running") {
        EXPECT_EQ(state, "done") << client().get(url).body;
        return job;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the job did not finish";
    return nullptr;
  }

  static std::int64_t archiveIdOf(const Poco::JSON::Object::Ptr& job) {
    return job->getObject("result")->getValue<Poco::Int64>("archive_id");
  }

  fs::path download(std::int64_t id, const std::string& name) {
    const auto response = inspector_->get("/api/v1/archives/" + std::to_string(id) + "/download");
    EXPECT_EQ(response.status, 200);
    const fs::path path = temp_ / name;
    writeFile(path, response.body);
    return path;
  }

  // The public key a committee is given: from the API, written to a PEM file.
  fs::path publicKey(const std::string& field = "ed25519_public_key_pem") {
    const auto keys = inspector_->get("/api/v1/archives/signing-keys");
    EXPECT_EQ(keys.status, 200);
    const fs::path path = temp_ / (field + ".pem");
    writeFile(path, keys.json()->getValue<std::string>(field));
    return path;
  }

  std::vector<MultipartPart> sampleFiles(const std::string& stem) {
    return {{"file", stem + "正文.pdf", "application/pdf", kPdf, ""},
            {"file", stem + "附件.txt", "text/plain", stem + " 附件文字", ""},
            {"file", "照片.png", "image/png", kPng, ""}};
  }

  std::vector<std::string> tokens_;
  std::unique_ptr<HttpClient> archivist_, reviewer_, inspector_;
};

TEST_F(ArchiveBundlesTest, BuildsDownloadsAndVerifiesWithStandardTools) {
  const std::string first = archived("党费收缴情况公示", sampleFiles("党费"));
  const std::string second = archived("支部委员会选举结果", sampleFiles("选举"));
  const std::string third = archived("发展党员公示", sampleFiles("发展"), "D30");
  EXPECT_EQ(first, "J001-2023-Y-ZZ-0001");
  EXPECT_EQ(second, "J001-2023-Y-ZZ-0002");
  EXPECT_EQ(third, "J001-2023-D30-ZZ-0001");
  archived("另一类别", sampleFiles("其他"), "", "DF");  // not in the ZZ bundle
  archived("另一年度", sampleFiles("其他"), "", "ZZ", "2024-01-05");

  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->getValue<std::string>("kind"), "archive.build");
  auto progress = job->getObject("progress");
  EXPECT_EQ(progress->getValue<Poco::Int64>("items_total"), 3);
  EXPECT_EQ(progress->getValue<Poco::Int64>("bytes_done"),
            progress->getValue<Poco::Int64>("bytes_total"));
  const std::int64_t id = archiveIdOf(job);

  // Listed with size, digest, signer and checkpoint; the download carries them in its headers.
  const auto list = inspector_->get("/api/v1/archives?category=ZZ&year=2023");
  ASSERT_EQ(list.status, 200) << list.body;
  auto listed = list.json()->getArray("archives")->getObject(0);
  EXPECT_EQ(listed->getValue<Poco::Int64>("id"), id);
  EXPECT_EQ(listed->getValue<Poco::Int64>("item_count"), 3);
  const std::string sha256 = listed->getValue<std::string>("sha256");
  EXPECT_FALSE(listed->getValue<std::string>("signer_key").empty());
  EXPECT_GT(listed->getValue<Poco::Int64>("checkpoint_size"), 0);
  EXPECT_EQ(inspector_->get("/api/v1/archives?category=DF").json()->getArray("archives")->size(),
            0u);

  const auto response = inspector_->get("/api/v1/archives/" + std::to_string(id) + "/download");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("etag"), "\"" + sha256 + "\"");
  EXPECT_EQ(response.header("content-type"), "application/x-tar");
  EXPECT_EQ(static_cast<std::int64_t>(response.body.size()), listed->getValue<Poco::Int64>("size"));
  EXPECT_EQ(response.header("repr-digest").rfind("sha-256=:", 0), 0u);
  const fs::path tar = temp_ / "bundle.tar";
  writeFile(tar, response.body);
  std::string output;
  ASSERT_EQ(runCommand({"sha256sum", tar.string()}, output), 0);
  EXPECT_EQ(output.substr(0, 64), sha256);
  const auto ranged = inspector_->get("/api/v1/archives/" + std::to_string(id) + "/download",
                                      {{"Range", "bytes=100-199"}});
  EXPECT_EQ(ranged.status, 206);
  EXPECT_EQ(ranged.body, response.body.substr(100, 100));
  EXPECT_EQ(inspector_
                ->get("/api/v1/archives/" + std::to_string(id) + "/download",
                      {{"If-None-Match", "\"" + sha256 + "\""}})
                .status,
            304);

  // One folder when extracted; the manifests check with sha256sum/sha512sum, the signature
  // with openssl, both as the stock tools see them.
  const fs::path out = temp_ / "extracted";
  fs::create_directories(out);
  ASSERT_EQ(runCommand({"tar", "-xf", tar.string(), "-C", out.string()}, output), 0) << output;
  std::vector<fs::path> top(fs::directory_iterator(out), fs::directory_iterator{});
  ASSERT_EQ(top.size(), 1u);
  const fs::path bag = top.front();
  EXPECT_EQ(bag.filename().string(), listed->getValue<std::string>("name"));
  for (const char* tool : {"sha256sum", "sha512sum"}) {
    const std::string manifest =
        std::string("manifest-") + (tool[3] == '2' ? "sha256" : "sha512") + ".txt";
    EXPECT_EQ(
        runCommand({"sh", "-c", "cd '" + bag.string() + "' && " + tool + " --quiet -c " + manifest},
                   output),
        0)
        << output;
  }
  EXPECT_EQ(runCommand({"sh", "-c",
                        "cd '" + bag.string() + "' && sha256sum --quiet -c tagmanifest-sha256.txt"},
                       output),
            0)
      << output;
  // Complete, as a BagIt validator asks (RFC 8493 §3): every payload file is in each manifest.
  for (const char* manifest : {"manifest-sha256.txt", "manifest-sha512.txt"}) {
    EXPECT_EQ(runCommand({"sh", "-c",
                          "cd '" + bag.string() +
                              "' && find data -type f | sort > /tmp/gk-listed.$$ && "
                              "cut -d' ' -f3- " +
                              manifest +
                              " | sort | diff - /tmp/gk-listed.$$; "
                              "status=$?; rm -f /tmp/gk-listed.$$; exit $status"},
                         output),
              0)
        << output;
  }
  EXPECT_EQ(readFile(bag / "bagit.txt"),
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
  const fs::path key = publicKey();
  EXPECT_EQ(readFile(key), readFile(bag / "signatures/ed25519-public.pem"));
  ASSERT_EQ(runCommand({"openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key.string(), "-rawin",
                        "-in", (bag / "tagmanifest-sha256.txt").string(), "-sigfile",
                        (bag / "signatures/tagmanifest-sha256.txt.ed25519.sig").string()},
                       output),
            0)
      << output;

  // What the bag holds: each item by its 档号, all versions, files, the index and audit proofs.
  const std::string info = readFile(bag / "bag-info.txt");
  EXPECT_NE(info.find("Source-Organization: 连云港市妇幼保健院党委"), std::string::npos) << info;
  EXPECT_NE(info.find("Gongkai-Sequence: J001-2023-Y-ZZ 1 2"), std::string::npos) << info;
  EXPECT_NE(info.find("Gongkai-Sequence: J001-2023-D30-ZZ 1 1"), std::string::npos) << info;
  EXPECT_NE(info.find("Gongkai-Item-Count: 3"), std::string::npos);
  EXPECT_TRUE(fs::exists(bag / "data/items" / first / "metadata.json"));
  EXPECT_TRUE(fs::exists(bag / "data/items" / first / "versions/v1.json"));
  EXPECT_TRUE(fs::exists(bag / "data/items" / third / "files"));
  const std::string index = readFile(bag / "data/index.html");
  EXPECT_NE(index.find("党费收缴情况公示"), std::string::npos);
  EXPECT_NE(index.find(first), std::string::npos);
  EXPECT_EQ(index.find("另一类别"), std::string::npos);
  EXPECT_NE(readFile(bag / "data/index.csv").find("支部委员会选举结果"), std::string::npos);
  EXPECT_FALSE(readFile(bag / "data/audit/entries.jsonl").empty());
  // Each item's metadata also as DA/T 46 elements, valid against the schema we ship (libxml2's
  // own xmllint).
  EXPECT_NE(
      readFile(bag / "data/items" / first / "metadata.xml").find("<题名>党费收缴情况公示</题名>"),
      std::string::npos);
  EXPECT_EQ(runCommand({"sh", "-c",
                        "xmllint --noout --schema '" GONGKAI_DAT46_SCHEMA "' '" + bag.string() +
                            "'/data/items/*/metadata.xml"},
                       output),
            0)
      << output;

  // gongkai-verify: all four properties pass, in text and in JSON.
  const Verdict verdict = runVerifier(tar, {key});
  EXPECT_EQ(verdict.exit, 0) << verdict.output;
  ASSERT_TRUE(verdict.report) << verdict.output;
  EXPECT_TRUE(verdict.report->getValue<bool>("passed"));
  for (const char* property : {"authenticity", "integrity", "usability", "safety"}) {
    EXPECT_TRUE(
        verdict.report->getObject("properties")->getObject(property)->getValue<bool>("passed"))
        << property;
  }
  ASSERT_NE(runCommand({GONGKAI_VERIFY_BINARY, tar.string(), "--key", key.string()}, output), 2);
  EXPECT_NE(output.find("真实性 Authenticity: 通过 (pass)"), std::string::npos) << output;
  EXPECT_NE(output.find("结论 (verdict): 通过 (PASS)"), std::string::npos) << output;
  // Item by item as DA/T 70 numbers them: every item the verifier can check passed, the others
  // (a database, the receiving computer, a carrier) are said not to apply.
  auto items = verdict.report->getArray("items");
  ASSERT_TRUE(items);
  std::size_t notApplicable = 0;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    const std::string status = item->getValue<std::string>("status");
    EXPECT_TRUE(status == "pass" || status == "not_applicable")
        << item->getValue<std::string>("number") << " " << status;
    notApplicable += status == "not_applicable" ? 1 : 0;
  }
  EXPECT_EQ(notApplicable, 5u);
  // The same report as a printable page, and the server's own report inside the bundle, made
  // before it was added and signed with it.
  const fs::path page = temp_ / "report.html";
  ASSERT_EQ(runCommand({GONGKAI_VERIFY_BINARY, tar.string(), "--key", key.string(), "--html",
                        page.string()},
                       output),
            0)
      << output;
  EXPECT_NE(readFile(page).find("<td>1-1</td><td>固化信息有效性检测</td><td class=\"pass\">通过"),
            std::string::npos);
  Poco::JSON::Parser parser;
  auto inside =
      parser.parse(readFile(bag / "check-report.json")).extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(inside->getValue<bool>("passed"));
  EXPECT_EQ(inside->getValue<std::string>("bundle"), bag.filename().string());
  EXPECT_NE(readFile(bag / "check-report.html").find("电子档案四性检测报告"), std::string::npos);
  EXPECT_NE(readFile(bag / "tagmanifest-sha256.txt").find("  check-report.html\n"),
            std::string::npos);

  // Building again against the same checkpoint gives the same bytes, and keeps the old bundle.
  const auto again = build(R"({"category":"ZZ","year":2023,"checkpoint_size":)" +
                           std::to_string(listed->getValue<Poco::Int64>("checkpoint_size")) + "}");
  ASSERT_TRUE(again);
  const std::int64_t againId = archiveIdOf(again);
  EXPECT_NE(againId, id);
  EXPECT_EQ(readFile(download(againId, "again.tar")), response.body);
  EXPECT_EQ(inspector_->get("/api/v1/archives").json()->getArray("archives")->size(), 2u);
  // Each build is in the audit log.
  const auto entries = client().get("/api/v1/audit/entries?start=0&end=10000");
  EXPECT_NE(entries.body.find("archive.create"), std::string::npos);
}

TEST_F(ArchiveBundlesTest, ABundleHandsOverTheWholeRecordAsThePolicySays) {
  const std::string code = archived("党费收缴情况公示", sampleFiles("党费"));
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  const fs::path tar = download(archiveIdOf(job), "whole.tar");
  // The policy names the decision, for everyone who may read it.
  HttpClient committee = anonymous().as(userWithRole("clerk", "committee"));
  const auto policy = committee.get("/api/v1/policies");
  ASSERT_EQ(policy.status, 200);
  EXPECT_EQ(policy.json()->getObject("archive")->getValue<std::string>("bundle_contents"),
            "whole_record");
  // Through the API the committee sees the archived document but not its draft version...
  const auto list =
      committee.get("/api/v1/documents?status=archived").json()->getArray("documents");
  ASSERT_EQ(list->size(), 1u);
  const std::string doc =
      "/api/v1/documents/" + std::to_string(list->getObject(0)->getValue<Poco::Int64>("id"));
  EXPECT_EQ(committee.get(doc + "/versions/1").status, 404);
  // ...while the bundle it may download carries every version, the draft one included.
  bool hasDraft = false;
  for (const auto& item : readTar(tar)) {
    if (item.path.ends_with("/data/items/" + code + "/versions/v1.json")) {
      hasDraft = item.bytes.find("\"status\":\"draft\"") != std::string::npos;
    }
  }
  EXPECT_TRUE(hasDraft);
  EXPECT_EQ(
      committee.get("/api/v1/archives/" + std::to_string(archiveIdOf(job)) + "/download").status,
      200);
}

TEST_F(ArchiveBundlesTest, TheVerifierCatchesAndNamesEachTampering) {
  archived("党费收缴情况公示", sampleFiles("党费"));
  archived("支部委员会选举结果", sampleFiles("选举"));
  archived("组织生活会情况通报", sampleFiles("组织"));
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  const fs::path tar = download(archiveIdOf(job), "bundle.tar");
  const fs::path key = publicKey();
  const Verdict untouched = runVerifier(tar, {key});
  ASSERT_EQ(untouched.exit, 0) << untouched.output;
  const std::vector<TarItem> original = readTar(tar);
  const std::string root = original.front().path.substr(0, original.front().path.find('/'));

  // The unit's own key, for tampering by someone who holds it: the checks that do not rest on
  // the signature must still catch what was changed.
  auto signer =
      core::Ed25519Signer::fromPem(readFile(fs::path(dataDir()) / "keys/checkpoint-signing.pem"));
  ASSERT_TRUE(signer.ok());
  // Re-bags the payload after `change`, signed with the unit's key: manifests and signature valid.
  const auto rebag =
      [&](const std::string& name,
          const std::function<void(std::map<std::string, std::string>&,
                                   std::vector<std::pair<std::string, std::string>>&)>& change) {
        std::map<std::string, std::string> payload;
        std::vector<std::pair<std::string, std::string>> info;
        for (const TarItem& item : original) {
          if (item.type != AE_IFREG) continue;
          const std::string path = item.path.substr(root.size() + 1);
          if (path.rfind("data/", 0) == 0) payload[path.substr(5)] = item.bytes;
          if (path == "bag-info.txt") {
            std::istringstream lines(item.bytes);
            std::string line;
            while (std::getline(lines, line)) {
              const auto colon = line.find(": ");
              const std::string label = line.substr(0, colon);
              if (label != "Bagging-Date" && label != "Payload-Oxum")
                info.emplace_back(label, line.substr(colon + 2));
            }
          }
        }
        change(payload, info);
        archive::BagWriter bag(root, 1700000000);
        for (auto& [path, bytes] : payload) bag.addBytes(path, bytes);
        for (auto& [label, value] : info) bag.addInfo(label, value);
        bag.signWith(signer.value());
        const fs::path out = temp_ / name;
        EXPECT_TRUE(bag.writeTo(out.string()).ok());
        return out;
      };
  // Changes one entry of the original tar (manifests left as they were).
  const auto tamper = [&](const std::string& name,
                          const std::function<void(std::vector<TarItem>&)>& change) {
    std::vector<TarItem> items = original;
    change(items);
    const fs::path out = temp_ / name;
    writeTar(out, items);
    return out;
  };
  const auto isPayloadPdf = [](const std::string& p) {
    return p.find("/files/") != std::string::npos && endsWith(p, ".pdf");
  };

  struct Case {
    std::string what;
    fs::path tar;
    std::string check;  // the failing check that must name it
  };
  std::vector<Case> cases;
  cases.push_back(
      {"changed payload byte",
       tamper("byte.tar", [&](auto& items) { findItem(items, isPayloadPdf)->bytes[20] ^= 0x01; }),
       "manifest_sha256"});
  cases.push_back({"removed file",
                   tamper("removed.tar",
                          [&](auto& items) {
                            items.erase(
                                std::find_if(items.begin(), items.end(), [&](const TarItem& i) {
                                  return i.type == AE_IFREG && isPayloadPdf(i.path);
                                }));
                          }),
                   "manifest_sha256"});
  cases.push_back({"added file",
                   tamper("added.tar",
                          [&](auto& items) {
                            items.push_back({root + "/data/extra.txt", AE_IFREG, "后加的", ""});
                          }),
                   "manifest_sha256"});
  cases.push_back({"edited bag-info",
                   tamper("baginfo.tar",
                          [&](auto& items) {
                            TarItem* info = findItem(items, [](const std::string& p) {
                              return endsWith(p, "/bag-info.txt");
                            });
                            info->bytes.replace(info->bytes.find("Gongkai-Year: 2023"), 18,
                                                "Gongkai-Year: 2022");
                          }),
                   "tagmanifest_sha256"});
  cases.push_back({"replaced signature",
                   tamper("signature.tar",
                          [&](auto& items) {
                            findItem(items, [](const std::string& p) {
                              return endsWith(p, ".ed25519.sig");
                            })->bytes = std::string(64, 'x');
                          }),
                   "signature_ed25519"});
  auto other = core::Ed25519Signer::generate();
  ASSERT_TRUE(other.ok());
  cases.push_back({"signature by another key",
                   tamper("otherkey.tar",
                          [&](auto& items) {
                            const std::string manifest =
                                findItem(items, [](const std::string& p) {
                                  return endsWith(p, "/tagmanifest-sha256.txt");
                                })->bytes;
                            findItem(items, [](const std::string& p) {
                              return endsWith(p, ".ed25519.sig");
                            })->bytes = other.value().sign(manifest);
                            findItem(items, [](const std::string& p) {
                              return endsWith(p, "ed25519-public.pem");
                            })->bytes = core::ed25519PublicKeyPem(other.value().publicKey());
                          }),
                   "signature_ed25519"});
  cases.push_back({"audit entry edited",
                   rebag("audit.tar",
                         [](auto& payload, auto&) {
                           std::string& entries = payload["audit/entries.jsonl"];
                           const auto at = entries.find("\"actor\":\"");
                           entries.replace(at, 9, "\"actor\":\"x");
                         }),
                   "audit_inclusion"});
  cases.push_back({"gap in item numbers",
                   rebag("gap.tar",
                         [](auto& payload, auto&) {
                           for (auto it = payload.begin(); it != payload.end();) {
                             it = it->first.rfind("items/J001-2023-Y-ZZ-0002/", 0) == 0
                                      ? payload.erase(it)
                                      : std::next(it);
                           }
                         }),
                   "reference_sequence"});
  cases.push_back({"file added to the signature folder",
                   tamper("sigfolder.tar",
                          [&](auto& items) {
                            items.push_back({root + "/signatures/readme.exe", AE_IFREG, "MZ", ""});
                          }),
                   "tagmanifest_sha256"});
  cases.push_back({"path-traversal entry",
                   tamper("traversal.tar",
                          [&](auto& items) {
                            items.push_back({root + "/data/../../etc/cron.d/x", AE_IFREG,
                                             "* * * * * root sh", ""});
                          }),
                   "tar_safety"});
  cases.push_back({"symlink entry",
                   tamper("symlink.tar",
                          [&](auto& items) {
                            items.push_back({root + "/data/passwd", AE_IFLNK, "", "/etc/passwd"});
                          }),
                   "tar_safety"});

  for (const Case& c : cases) {
    const Verdict verdict = runVerifier(c.tar, {key});
    EXPECT_EQ(verdict.exit, 1) << c.what << "\n" << verdict.output;
    ASSERT_TRUE(verdict.report) << c.what << "\n" << verdict.output;
    EXPECT_TRUE(verdict.failedChecks().count(c.check))
        << c.what << ": expected " << c.check << " to fail\n"
        << verdict.output;
  }
  // The text report names the failure too, in Chinese and English.
  std::string output;
  EXPECT_EQ(runCommand({GONGKAI_VERIFY_BINARY, cases.front().tar.string(), "--key", key.string()},
                       output),
            1);
  EXPECT_NE(output.find("[失败 FAIL] manifest_sha256"), std::string::npos) << output;
  // Usage errors are told apart from a failed check.
  EXPECT_EQ(runCommand({GONGKAI_VERIFY_BINARY, tar.string()}, output), 2);
  EXPECT_EQ(runCommand({GONGKAI_VERIFY_BINARY, "--key", key.string()}, output), 2);
  EXPECT_EQ(runCommand({GONGKAI_VERIFY_BINARY, tar.string(), "--key", "/nonexistent.pem"}, output),
            2);
  // A key that is not a PEM public key, or not of a kind bundles are signed with: no trust.
  writeFile(temp_ / "garbage.pem",
            "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n");
  EXPECT_TRUE(runVerifier(tar, {temp_ / "garbage.pem"}).failedChecks().count("trusted_key"));
  const fs::path ecKey = temp_ / "ec.pem";
  ASSERT_EQ(runCommand({"sh", "-c",
                        "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl "
                        "pkey -pubout -out '" +
                            ecKey.string() + "'"},
                       output),
            0)
      << output;
  const Verdict ec = runVerifier(tar, {ecKey});
  EXPECT_EQ(ec.exit, 1);
  EXPECT_TRUE(ec.failedChecks().count("trusted_key")) << ec.output;
  // Not a tar at all, and a truncated one: failed checks, never a crash.
  writeFile(temp_ / "garbage.tar", std::string(5000, 'g'));
  EXPECT_EQ(runVerifier(temp_ / "garbage.tar", {key}).exit, 1);
  const std::string bytes = readFile(tar);
  writeFile(temp_ / "cut.tar", bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(runVerifier(temp_ / "cut.tar", {key}).exit, 1);
}

// The transfer list (移交清单) in a bundle the real server built, and the receiving office's
// countersignature: a key made and a receipt signed with the stock openssl, posted, stored in the
// audit log, listed; each bad receipt refused with its own code.
TEST_F(ArchiveBundlesTest, TheReceivingOfficeCountersignsTheTransferList) {
  archived("党费收缴情况公示", sampleFiles("党费"));
  archived("发展党员公示", sampleFiles("发展"), "D30");
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  const std::int64_t id = archiveIdOf(job);
  const std::string base = "/api/v1/archives/" + std::to_string(id);
  const fs::path tar = download(id, "transfer.tar");
  const fs::path out = temp_ / "transfer";
  fs::create_directories(out);
  std::string output;
  ASSERT_EQ(runCommand({"tar", "-xf", tar.string(), "-C", out.string()}, output), 0) << output;
  const fs::path bag = *fs::directory_iterator(out);

  // The list: what is handed over, from whom to whom (the archive policy's receiving unit), on
  // the checkpoint's day; listed in, and so signed with, the tag manifest.
  auto list = Poco::JSON::Parser()
                  .parse(readFile(bag / "transfer-list.json"))
                  .extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(list->getValue<std::string>("bundle"), bag.filename().string());
  EXPECT_EQ(list->getValue<std::string>("from"), "连云港市妇幼保健院党委");
  EXPECT_EQ(list->getValue<std::string>("to"), "中共连云港市卫生健康委员会委员会");
  EXPECT_EQ(list->getValue<int>("item_count"), 2);
  EXPECT_EQ(list->getValue<int>("file_count"), 6);
  std::int64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(bag / "data/items")) {
    if (entry.is_regular_file() && entry.path().parent_path().filename() == "files")
      bytes += static_cast<std::int64_t>(entry.file_size());
  }
  EXPECT_EQ(list->getValue<Poco::Int64>("file_bytes"), bytes);
  EXPECT_EQ(list->getArray("sequences")->size(), 2u);
  EXPECT_EQ(list->getValue<std::string>("transfer_date").size(), 10u);
  EXPECT_NE(readFile(bag / "transfer-list.html").find("党务公开电子档案移交清单"),
            std::string::npos);
  const std::string tagManifest = readFile(bag / "tagmanifest-sha256.txt");
  EXPECT_NE(tagManifest.find("  transfer-list.json\n"), std::string::npos);
  EXPECT_NE(tagManifest.find("  transfer-list.html\n"), std::string::npos);
  const Verdict verdict = runVerifier(tar, {publicKey()});
  EXPECT_EQ(verdict.exit, 0) << verdict.output;
  EXPECT_NE(verdict.output.find("transfer_list_bytes"), std::string::npos);
  // The same two files through the API, as the bundle carries them; the page runs nothing.
  const auto json = inspector_->get(base + "/transfer-list");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json.header("content-type").rfind("application/json", 0), 0u);
  EXPECT_EQ(json.body, readFile(bag / "transfer-list.json"));
  const auto page = inspector_->get(base + "/transfer-list.html");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("content-type").rfind("text/html", 0), 0u);
  EXPECT_EQ(page.body, readFile(bag / "transfer-list.html"));
  EXPECT_NE(page.header("content-security-policy").find("default-src 'none'"), std::string::npos)
      << page.header("content-security-policy");
  EXPECT_EQ(anonymous().get(base + "/transfer-list").status, 401);
  // An archivist files documents but holds no archives.read: neither form of the list.
  EXPECT_EQ(archivist_->get(base + "/transfer-list").status, 403);
  EXPECT_EQ(archivist_->get(base + "/transfer-list.html").status, 403);
  EXPECT_EQ(inspector_->get("/api/v1/archives/999999/transfer-list.html").status, 404);

  // The receiving office's key and signature, made with the stock openssl over the text the
  // receipt names (docs/archival.md): the digest of the tag manifest it checked, its decision.
  const fs::path key = temp_ / "office.pem", pub = temp_ / "office-public.pem";
  ASSERT_EQ(
      runCommand({"openssl", "genpkey", "-algorithm", "ed25519", "-out", key.string()}, output), 0)
      << output;
  ASSERT_EQ(
      runCommand({"openssl", "pkey", "-in", key.string(), "-pubout", "-out", pub.string()}, output),
      0);
  ASSERT_EQ(runCommand({"sha256sum", (bag / "tagmanifest-sha256.txt").string()}, output), 0);
  const std::string digest = output.substr(0, 64);
  const auto sign = [&](const std::string& decision, const std::string& remarks,
                        const fs::path& with) {
    const std::string text = "gongkai-archive-receipt/1\nbundle: " + bag.filename().string() +
                             "\ntagmanifest-sha256: " + digest + "\ndecision: " + decision +
                             "\nreceiver-unit: 市卫健委党委档案室\nreceiver-name: 王档案\n"
                             "remarks: " +
                             remarks + "\n";
    writeFile(temp_ / "signed.txt", text);
    std::string sig;
    EXPECT_EQ(runCommand({"sh", "-c",
                          "openssl pkeyutl -sign -inkey '" + with.string() + "' -rawin -in '" +
                              (temp_ / "signed.txt") + "' | base64 -w0"},
                         sig),
              0)
        << sig;
    return sig;
  };
  const auto body = [&](const std::string& decision, const std::string& remarks,
                        const std::string& signature, const std::string& tagDigest) {
    Poco::JSON::Object json;
    json.set("decision", decision);
    json.set("receiver_unit", "市卫健委党委档案室");
    json.set("receiver_name", "王档案");
    json.set("remarks", remarks);
    json.set("tagmanifest_sha256", tagDigest);
    json.set("public_key_pem", readFile(pub));
    json.set("signature", signature);
    std::ostringstream text;
    json.stringify(text);
    return text.str();
  };
  HttpClient office = anonymous().as(userWithRole("office", "committee"));
  const auto problem = [&](const HttpResponse& r, int status, const std::string& code,
                           const std::string& field = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u) << r.body;
    if (r.status != status) return;
    EXPECT_EQ(r.json()->getValue<std::string>("code"), code) << r.body;
    if (!field.empty()) {
      EXPECT_NE(r.body.find("\"field\":\"" + field + "\""), std::string::npos) << r.body;
    }
  };
  const std::string refusal = "第2件附件缺页，请补充后重新移交";
  const std::string refusedSignature = sign("refused", refusal, key);

  // Bad receipts, each with its own code; nothing is recorded for any of them.
  problem(office.postJson(base + "/receipt", "{\"decision\":"), 400, "malformed_json");
  problem(office.postJson(base + "/receipt", body("accepted", "", "x", digest)), 422,
          "invalid_receipt", "signature");
  problem(office.postJson(base + "/receipt", body("maybe", "", refusedSignature, digest)), 422,
          "invalid_receipt", "decision");
  problem(office.postJson(base + "/receipt", body("refused", "", refusedSignature, digest)), 422,
          "invalid_receipt", "remarks");
  problem(office.postJson(base + "/receipt",
                          R"({"decision":"accepted","stamp":"公章","receiver_unit":"x"})"),
          422, "invalid_receipt", "stamp");
  std::string badKey = body("refused", refusal, refusedSignature, digest);
  badKey.replace(badKey.find("MCowBQYDK2Vw"), 12, "MCowBQYDK2Vx");
  problem(office.postJson(base + "/receipt", badKey), 422, "invalid_receipt", "public_key_pem");
  // A signature of another decision, or by another key, does not verify.
  problem(office.postJson(base + "/receipt", body("accepted", refusal, refusedSignature, digest)),
          422, "signature_mismatch", "signature");
  const fs::path otherKey = temp_ / "other.pem";
  ASSERT_EQ(runCommand({"openssl", "genpkey", "-algorithm", "ed25519", "-out", otherKey.string()},
                       output),
            0);
  problem(office.postJson(base + "/receipt",
                          body("refused", refusal, sign("refused", refusal, otherKey), digest)),
          422, "signature_mismatch");
  // A digest that is not this bundle's: the office checked something else.
  problem(office.postJson(base + "/receipt",
                          body("refused", refusal, refusedSignature, std::string(64, 'a'))),
          409, "tag_manifest_mismatch", "tagmanifest_sha256");
  problem(office.postJson("/api/v1/archives/999999/receipt",
                          body("refused", refusal, refusedSignature, digest)),
          404, "archive_not_found");
  // Only the receiving office countersigns.
  problem(
      inspector_->postJson(base + "/receipt", body("refused", refusal, refusedSignature, digest)),
      403, "forbidden");
  problem(
      archivist_->postJson(base + "/receipt", body("refused", refusal, refusedSignature, digest)),
      403, "forbidden");
  EXPECT_EQ(anonymous()
                .postJson(base + "/receipt", body("refused", refusal, refusedSignature, digest))
                .status,
            401);
  EXPECT_EQ(office.get(base + "/receipts").json()->getArray("receipts")->size(), 0u);

  // Refused, then (the unit having answered) accepted; a second acceptance is refused.
  const auto refused =
      office.postJson(base + "/receipt", body("refused", refusal, refusedSignature, digest));
  ASSERT_EQ(refused.status, 201) << refused.body;
  EXPECT_EQ(refused.header("location"), base + "/receipts");
  EXPECT_EQ(refused.json()->getValue<int>("number"), 1);
  const auto accepted =
      office.postJson(base + "/receipt", body("accepted", "", sign("accepted", "", key), digest));
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(accepted.json()->getValue<int>("number"), 2);
  problem(
      office.postJson(base + "/receipt", body("accepted", "", sign("accepted", "", key), digest)),
      409, "receipt_exists");

  // Listed for whoever reads bundles, with the digest a receipt signs; each receipt's record is
  // the canonical JSON whose SHA-256 its audit entry carries, and its signature checks with the
  // stock openssl.
  const auto listed = inspector_->get(base + "/receipts");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json()->getValue<std::string>("tagmanifest_sha256"), digest);
  auto receipts = listed.json()->getArray("receipts");
  ASSERT_EQ(receipts->size(), 2u);
  EXPECT_EQ(receipts->getObject(0)->getValue<std::string>("decision"), "refused");
  auto last = receipts->getObject(1);
  auto record = last->getObject("record");
  EXPECT_EQ(record->getValue<std::string>("received_by"), "office");
  EXPECT_EQ(record->getValue<std::string>("tagmanifest_sha256"), digest);
  EXPECT_EQ(core::sha256Hex(core::canonicalJson(record)),
            last->getValue<std::string>("record_sha256"));
  writeFile(temp_ / "stored-text.txt", record->getValue<std::string>("signed_text"));
  writeFile(temp_ / "stored-sig.b64",
            record->getObject("signature")->getValue<std::string>("value"));
  writeFile(temp_ / "stored-key.pem",
            record->getObject("signature")->getValue<std::string>("public_key_pem"));
  EXPECT_EQ(
      runCommand({"sh", "-c",
                  "base64 -d '" + (temp_ / "stored-sig.b64") + "' > '" + (temp_ / "stored.sig") +
                      "' && openssl pkeyutl -verify -pubin -inkey '" + (temp_ / "stored-key.pem") +
                      "' -rawin -in '" + (temp_ / "stored-text.txt") + "' -sigfile '" +
                      (temp_ / "stored.sig") + "'"},
                 output),
      0)
      << output;
  const auto entries = client().get("/api/v1/audit/entries?start=0&end=10000");
  ASSERT_EQ(entries.status, 200);
  EXPECT_NE(entries.body.find("archive.receipt"), std::string::npos);
  EXPECT_NE(entries.body.find(last->getValue<std::string>("record_sha256")), std::string::npos);
  EXPECT_EQ(anonymous().get(base + "/receipts").status, 401);
  EXPECT_EQ(archivist_->get(base + "/receipts").status, 403);
  problem(office.get("/api/v1/archives/999999/receipts"), 404, "archive_not_found");
}

// The EEP export (DA/T 48) of a bundle the real server built: downloaded, unpacked with tar,
// every package valid by xmllint against the schema we ship, checked by gongkai-verify --eep,
// and a spoiled package caught.
TEST_F(ArchiveBundlesTest, ExportsEachItemAsASignedDat48Package) {
  const std::string first = archived("党费收缴情况公示", sampleFiles("党费"));
  archived("发展党员公示", sampleFiles("发展"), "D30");
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  const std::string base = "/api/v1/archives/" + std::to_string(archiveIdOf(job));
  const auto response = inspector_->get(base + "/eep");
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 500);
  EXPECT_EQ(response.header("content-type"), "application/x-tar");
  const std::string etag = response.header("etag");
  EXPECT_FALSE(etag.empty());
  EXPECT_EQ(inspector_->get(base + "/eep", {{"If-None-Match", etag}}).status, 304);
  // Made once and kept: the same bytes again.
  EXPECT_EQ(inspector_->get(base + "/eep").body, response.body);
  EXPECT_EQ(archivist_->get(base + "/eep").status, 403);
  EXPECT_EQ(anonymous().get(base + "/eep").status, 401);
  EXPECT_EQ(inspector_->get("/api/v1/archives/999999/eep").status, 404);

  const fs::path tar = temp_ / "eep.tar";
  writeFile(tar, response.body);
  const fs::path out = temp_ / "eep";
  fs::create_directories(out);
  std::string output;
  ASSERT_EQ(runCommand({"tar", "-xf", tar.string(), "-C", out.string()}, output), 0) << output;
  const fs::path folder = *fs::directory_iterator(out);
  EXPECT_EQ(folder.filename().string().substr(folder.filename().string().size() - 4), "-eep");
  std::size_t packages = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    ++packages;
    EXPECT_EQ(entry.path().extension().string(), ".xml");
  }
  EXPECT_EQ(packages, 2u);
  const std::string xml = readFile(folder / (first + ".xml"));
  EXPECT_NE(xml.find("<题名>党费收缴情况公示</题名>"), std::string::npos);
  EXPECT_NE(xml.find("<计算机文件名>党费正文.pdf</计算机文件名>"), std::string::npos);
  EXPECT_EQ(runCommand({"sh", "-c",
                        "xmllint --noout --schema '" GONGKAI_DAT48_SCHEMA "' '" + folder.string() +
                            "'/*.xml"},
                       output),
            0)
      << output;

  // The CLI makes the same bytes offline from the bundle file and the unit's key.
  const fs::path bundle = download(archiveIdOf(job), "for-eep.tar");
  ASSERT_EQ(runCommand({GONGKAI_CLI_BINARY, "export-eep", bundle.string(), "--key",
                        (fs::path(dataDir()) / "keys/checkpoint-signing.pem").string(), "--to",
                        (temp_ / "cli-eep.tar")},
                       output),
            0)
      << output;
  EXPECT_EQ(readFile(temp_ / "cli-eep.tar"), response.body);
  EXPECT_NE(
      runCommand({GONGKAI_CLI_BINARY, "export-eep", bundle.string(), "--to", (temp_ / "nokey.tar")},
                 output),
      0);

  // gongkai-verify --eep with the unit's key: every package's schema, signature and files.
  const fs::path key = publicKey();
  ASSERT_EQ(
      runCommand({GONGKAI_VERIFY_BINARY, "--eep", tar.string(), "--key", key.string()}, output), 0)
      << output;
  EXPECT_NE(output.find("结论 (verdict): 通过 (PASS)"), std::string::npos) << output;
  ASSERT_EQ(
      runCommand({GONGKAI_VERIFY_BINARY, "--eep", tar.string(), "--key", key.string(), "--json"},
                 output),
      0);
  EXPECT_NE(output.find("\"packages\":2,\"passed\":true"), std::string::npos) << output;
  // A file's bytes changed inside a package: its digest and the signature fail.
  std::vector<TarItem> items = readTar(tar);
  TarItem* package =
      findItem(items, [&](const std::string& p) { return endsWith(p, first + ".xml"); });
  ASSERT_NE(package, nullptr);
  const auto at = package->bytes.find("<编码数据");
  package->bytes[package->bytes.find('>', at) + 5] ^= 0x01;
  writeTar(temp_ / "spoiled.tar", items);
  EXPECT_EQ(
      runCommand({GONGKAI_VERIFY_BINARY, "--eep", (temp_ / "spoiled.tar"), "--key", key.string()},
                 output),
      1)
      << output;
  EXPECT_NE(output.find("[失败 FAIL] eep_signature"), std::string::npos) << output;
}

TEST_F(ArchiveBundlesTest, FeedbackOfTheCategoryAndYearGoesIntoTheBundle) {
  // This year in Beijing, so the test does not depend on when it runs.
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() +
                                                         std::chrono::hours(8));
  const int year = static_cast<int>(std::chrono::year_month_day{now}.year());
  archived("党费收缴情况公示", sampleFiles("党费"), "", "ZZ", std::to_string(year) + "-01-05");
  const auto doc =
      client().get("/api/v1/documents?category=ZZ").json()->getArray("documents")->getObject(0);
  const auto made = anonymous().postJson(
      "/api/v1/feedback",
      R"({"channel":"online","content":"公示的金额有误","contact":"13900000000","document_id":)" +
          std::to_string(doc->getValue<Poco::Int64>("id")) + "}");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string feedback =
      "/api/v1/feedback/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
  ASSERT_EQ(client()
                .postJson(feedback + "/assign", R"({"org_unit":"branch-1","handler":"archivist1"})")
                .status,
            200);
  ASSERT_EQ(client().postJson(feedback + "/answer", R"({"answer":"已更正并重新公示"})").status,
            200);
  anonymous().postJson("/api/v1/feedback",
                       R"({"channel":"online","content":"无类别的意见"})");  // stays out
  const auto application = anonymous().postJson(
      "/api/v1/disclosure-requests",
      R"({"applicant":"周九","content":"申请公开党费收缴明细","contact":"x"})");
  ASSERT_EQ(application.status, 201);
  const std::string applicationId = std::to_string(application.json()->getValue<Poco::Int64>("id"));
  ASSERT_EQ(client()
                .postJson("/api/v1/disclosure-requests/" + applicationId + "/decision",
                          R"({"outcome":"does_not_exist","category":"ZZ"})")
                .status,
            200);

  // An application not yet filed under a category when the bundle is built.
  const auto pending = anonymous().postJson(
      "/api/v1/disclosure-requests", R"({"applicant":"郑一","content":"待定","contact":"y"})");
  ASSERT_EQ(pending.status, 201);
  const auto job = build(R"({"category":"ZZ","year":)" + std::to_string(year) + "}");
  ASSERT_TRUE(job);
  const fs::path tar = download(archiveIdOf(job), "with-feedback.tar");
  // Filed under ZZ after the checkpoint: a rebuild against that checkpoint is unchanged.
  ASSERT_EQ(
      client()
          .postJson("/api/v1/disclosure-requests/" +
                        std::to_string(pending.json()->getValue<Poco::Int64>("id")) + "/decision",
                    R"({"outcome":"repeat","category":"ZZ"})")
          .status,
      200);
  const auto listed =
      inspector_->get("/api/v1/archives/" + std::to_string(archiveIdOf(job))).json();
  const auto again =
      build(R"({"category":"ZZ","year":)" + std::to_string(year) + R"(,"checkpoint_size":)" +
            std::to_string(listed->getValue<Poco::Int64>("checkpoint_size")) + "}");
  ASSERT_TRUE(again);
  EXPECT_EQ(readFile(download(archiveIdOf(again), "again.tar")), readFile(tar));
  const fs::path key = publicKey();
  const Verdict verdict = runVerifier(tar, {key});
  EXPECT_EQ(verdict.exit, 0) << verdict.output;
  std::vector<TarItem> items = readTar(tar);
  std::set<std::string> feedbackFiles;
  for (const auto& item : items) {
    if (item.type == AE_IFREG && item.path.find("/data/feedback/") != std::string::npos) {
      feedbackFiles.insert(item.path.substr(item.path.find("/data/feedback/") + 15));
    }
  }
  const std::string id = std::to_string(made.json()->getValue<Poco::Int64>("id"));
  EXPECT_EQ(feedbackFiles,
            (std::set<std::string>{id + "/v1.json", id + "/v2.json", id + "/v3.json"}));
  const TarItem* info =
      findItem(items, [](const std::string& p) { return endsWith(p, "/bag-info.txt"); });
  EXPECT_NE(info->bytes.find("Gongkai-Feedback-Count: 1"), std::string::npos) << info->bytes;
  EXPECT_NE(info->bytes.find("Gongkai-Request-Count: 1"), std::string::npos) << info->bytes;
  EXPECT_TRUE(findItem(items, [&](const std::string& p) {
    return endsWith(p, "/data/requests/" + applicationId + "/v2.json");
  }));
}

// The verifier a committee runs carries no server code: it needs libarchive, libcrypto and
// libxml2 only (the DA/T 46 schema check; Debian's libarchive13 depends on libxml2 itself, so a
// machine that can read the tar has it).
TEST(GongkaiVerify, LinksOnlyLibarchiveOpenSslAndLibxml2) {
  std::string output;
  ASSERT_EQ(runCommand({"readelf", "-d", GONGKAI_VERIFY_BINARY}, output), 0) << output;
  std::set<std::string> needed;
  for (std::size_t at = output.find("Shared library: ["); at != std::string::npos;
       at = output.find("Shared library: [", at + 1)) {
    const auto start = at + 17;
    needed.insert(output.substr(start, output.find(']', start) - start));
  }
  std::set<std::string> expected{"libarchive.so.13", "libcrypto.so.3", "libxml2.so.2",
                                 "libstdc++.so.6",   "libgcc_s.so.1",  "libc.so.6"};
#ifdef GONGKAI_SANITIZED
  expected.insert("libm.so.6");  // the sanitizer runtime's own need
#endif
  EXPECT_EQ(needed, expected) << output;
}

// Preservation renditions through the real server: a DOCX archived, a bundle built, and the
// PDF/A rendition LibreOffice made once kept beside it.
constexpr char kDocxType[] =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

std::string formatFixture(const std::string& name) {
  return readFile(fs::path(GONGKAI_TEST_DATA_DIR) / "formats" / name);
}

// The finding of `check` about the subject ending in `subject`, from gongkai-verify's report.
Poco::JSON::Object::Ptr findingOf(const Verdict& verdict, const std::string& check,
                                  const std::string& subject) {
  if (!verdict.report) return nullptr;
  auto findings = verdict.report->getArray("findings");
  for (std::size_t i = 0; i < findings->size(); ++i) {
    auto f = findings->getObject(static_cast<unsigned>(i));
    if (f->getValue<std::string>("check") == check &&
        endsWith(f->getValue<std::string>("subject"), subject)) {
      return f;
    }
  }
  return nullptr;
}

TEST_F(ArchiveBundlesTest, ADocxGetsAPdfaRenditionMadeOnceThatVerifiesAndRebuilds) {
  std::string found;
  if (runCommand({"sh", "-c", "command -v soffice"}, found) != 0) {
    // CI installs it (deploy/install-deps.sh --test); elsewhere say why nothing was checked.
    if (std::getenv("CI") != nullptr) FAIL() << "soffice (libreoffice-writer-nogui) missing";
    GTEST_SKIP() << "soffice not installed: apt-get install libreoffice-writer-nogui";
  }
  const std::string code =
      archived("关于召开党务公开工作会议的通知",
               {{"file", "通知.docx", kDocxType, formatFixture("notice.docx"), ""},
                {"file", "附件.txt", "text/plain", "会议议程", ""}});
  const auto job = build(R"({"category":"ZZ","year":2023})", /*waitSeconds=*/300);
  ASSERT_TRUE(job);
  const fs::path tar = download(archiveIdOf(job), "bundle.tar");
  auto items = readTar(tar);
  const std::string item = "/data/items/" + code + "/";
  TarItem* original = findItem(items, [&](const std::string& p) {
    return p.find(item + "files/") != std::string::npos && endsWith(p, ".docx");
  });
  TarItem* rendition = findItem(items, [&](const std::string& p) {
    return p.find(item + "renditions/") != std::string::npos && endsWith(p, ".pdf");
  });
  ASSERT_TRUE(original);
  ASSERT_TRUE(rendition) << "no rendition in the bundle";
  EXPECT_EQ(original->bytes, formatFixture("notice.docx"));  // beside it, never instead of it
  // The rendition is PDF/A by our own identification, and named after its original's id.
  archive::FileInspector inspector("r.pdf", "application/pdf");
  inspector.update(rendition->bytes.data(), rendition->bytes.size());
  const archive::FileFindings findings = inspector.finish();
  EXPECT_TRUE(findings.identification.long_term)
      << archive::describeFormat(findings.identification);
  EXPECT_EQ(findings.identification.puid, "fmt/477");  // PDF/A-2b
  const std::string originalName = original->path.substr(original->path.rfind('/') + 1);
  EXPECT_EQ(rendition->path.substr(rendition->path.rfind('/') + 1),
            originalName.substr(0, originalName.find('.')) + ".pdf");
  const TarItem* formats =
      findItem(items, [&](const std::string& p) { return endsWith(p, item + "formats.json"); });
  ASSERT_TRUE(formats);
  EXPECT_NE(formats->bytes.find("\"puid\":\"fmt/412\""), std::string::npos) << formats->bytes;
  EXPECT_NE(formats->bytes.find("\"rendition_of\":\"files/" + originalName + "\""),
            std::string::npos)
      << formats->bytes;
  const TarItem* manifest =
      findItem(items, [](const std::string& p) { return endsWith(p, "/manifest-sha256.txt"); });
  ASSERT_TRUE(manifest);
  EXPECT_NE(manifest->bytes.find(item.substr(1) + "renditions/"), std::string::npos);

  // gongkai-verify passes it, rendition and all, against the signed audit log.
  const fs::path key = publicKey();
  const Verdict verdict = runVerifier(tar, {key});
  EXPECT_EQ(verdict.exit, 0) << verdict.output;
  const auto inLog =
      findingOf(verdict, "rendition_in_log",
                "renditions/" + originalName.substr(0, originalName.find('.')) + ".pdf");
  ASSERT_TRUE(inLog) << verdict.output;
  EXPECT_TRUE(inLog->getValue<bool>("passed"));
  const auto identified = findingOf(verdict, "format_identification", code + "/formats.json");
  ASSERT_TRUE(identified) << verdict.output;
  EXPECT_TRUE(identified->getValue<bool>("passed")) << verdict.output;
  EXPECT_NE(identified->getValue<std::string>("message").find("fmt/477"), std::string::npos);

  // Rebuilt against the same checkpoint: the same bytes, the stored rendition reused.
  const auto listed = inspector_->get("/api/v1/archives/" + std::to_string(archiveIdOf(job)));
  ASSERT_EQ(listed.status, 200) << listed.body;
  const std::int64_t checkpoint = listed.json()->getValue<Poco::Int64>("checkpoint_size");
  const auto again = build(R"({"category":"ZZ","year":2023,"checkpoint_size":)" +
                           std::to_string(checkpoint) + "}");
  ASSERT_TRUE(again);
  EXPECT_EQ(readFile(download(archiveIdOf(again), "again.tar")), readFile(tar));
  // A new bundle (a new checkpoint) converts nothing again: the same rendition bytes.
  const auto later = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(later);
  auto laterItems = readTar(download(archiveIdOf(later), "later.tar"));
  const TarItem* laterRendition = findItem(laterItems, [&](const std::string& p) {
    return p.find(item + "renditions/") != std::string::npos;
  });
  ASSERT_TRUE(laterRendition);
  EXPECT_EQ(laterRendition->bytes, rendition->bytes);
  const auto entries = client().get("/api/v1/audit/entries?start=0&end=10000");
  std::size_t made = 0;
  for (std::size_t at = entries.body.find("file.rendition"); at != std::string::npos;
       at = entries.body.find("file.rendition", at + 1)) {
    ++made;
  }
  EXPECT_EQ(made, 1u) << entries.body;

  // A rendition swapped for another PDF/A is caught against the log, by name.
  rendition->bytes = formatFixture("notice-pdfa-2b.pdf");
  const fs::path swapped = temp_ / "swapped.tar";
  writeTar(swapped, items);
  const Verdict caught = runVerifier(swapped, {key});
  EXPECT_NE(caught.exit, 0);
  EXPECT_TRUE(caught.failedChecks().count("rendition_in_log")) << caught.output;
}

TEST_F(ArchiveBundlesTest, WithoutAConverterTheBundleHasNoRenditionAndStillVerifiesAndRebuilds) {
  restart(
      {"-D", "gongkai.archive.converter=" + (fs::path(temp_ / "no-such") / "soffice").string()});
  connect();
  const std::string code =
      archived("关于召开党务公开工作会议的通知",
               {{"file", "通知.docx", kDocxType, formatFixture("notice.docx"), ""}});
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  const fs::path tar = download(archiveIdOf(job), "bundle.tar");
  auto items = readTar(tar);
  EXPECT_FALSE(findItem(
      items, [](const std::string& p) { return p.find("/renditions/") != std::string::npos; }));
  const TarItem* formats =
      findItem(items, [&](const std::string& p) { return endsWith(p, code + "/formats.json"); });
  ASSERT_TRUE(formats);
  EXPECT_NE(formats->bytes.find("\"rendition\":null"), std::string::npos) << formats->bytes;
  const Verdict verdict = runVerifier(tar, {publicKey()});
  EXPECT_EQ(verdict.exit, 0) << verdict.output;
  const auto noted = findingOf(verdict, "long_term_format", ".docx");
  ASSERT_TRUE(noted) << verdict.output;
  EXPECT_TRUE(noted->getValue<bool>("passed"));
  EXPECT_EQ(noted->getValue<std::string>("item"), "3-8");
  EXPECT_NE(noted->getValue<std::string>("message").find("无保存版本"), std::string::npos);
  const auto listed = inspector_->get("/api/v1/archives/" + std::to_string(archiveIdOf(job)));
  ASSERT_EQ(listed.status, 200);
  const auto again =
      build(R"({"category":"ZZ","year":2023,"checkpoint_size":)" +
            std::to_string(listed.json()->getValue<Poco::Int64>("checkpoint_size")) + "}");
  ASSERT_TRUE(again);
  EXPECT_EQ(readFile(download(archiveIdOf(again), "again.tar")), readFile(tar));
}

// A converter that goes beyond its limits is killed, with its helpers; the bundle is built
// without the rendition, verifies, and the job's result and the server's log say why.
TEST_F(ArchiveBundlesTest, AConverterBeyondItsLimitsIsKilledAndTheBundleGoesWithoutTheRendition) {
  struct Case {
    std::string script;
    std::vector<std::string> settings;
    std::string code, says;
    std::string leftover;  // the command line of what it starts, to look for afterwards
  };
  // What the scripts start names this test process in its command line, so that the same test
  // run at once by the other integration suite (SQLite and PostgreSQL run side by side) is not
  // taken for a leftover.
  const std::string sleeper = "sleep 123." + std::to_string(::getpid());
  const std::string writer = "head -c " + std::to_string(8388608 + ::getpid()) + " /dev/zero";
  const std::vector<Case> cases = {
      // Writes 8 MiB where 1 MiB is allowed.
      {"exec " + writer + " > \"$TMPDIR/out/document.pdf\"\n",
       {"gongkai.archive.converter_max_output_bytes=1048576"},
       "conversion_limit",
       "SIGXFSZ",
       writer},
      // Hangs, with a helper in the background, past its time.
      {sleeper + " &\n" + sleeper + "\n",
       {"gongkai.archive.converter_timeout_seconds=1"},
       "conversion_timeout",
       "转换超时",
       sleeper},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].code);
    const fs::path script = temp_ / ("converter-" + std::to_string(i) + ".sh");
    writeFile(script, "#!/bin/sh\n" + cases[i].script);
    fs::permissions(script, fs::perms::owner_all);
    std::vector<std::string> args = {"-D", "gongkai.archive.converter=" + script.string()};
    for (const auto& setting : cases[i].settings) {
      args.push_back("-D");
      args.push_back(setting);
    }
    restart(args);
    connect();
    archived("关于召开党务公开工作会议的通知" + std::to_string(i),
             {{"file", "通知.docx", kDocxType, formatFixture("notice.docx"), ""}});
    const auto started = std::chrono::steady_clock::now();
    const auto job = build(R"({"category":"ZZ","year":2023})");
    ASSERT_TRUE(job);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
    const auto renditions = job->getObject("result")->getObject("renditions");
    ASSERT_TRUE(renditions);
    EXPECT_EQ(renditions->getValue<int>("made"), 0);
    EXPECT_EQ(renditions->getValue<int>("failed"), 1);
    const auto failure = renditions->getArray("failures")->getObject(0);
    EXPECT_EQ(failure->getValue<std::string>("code"), cases[i].code);
    EXPECT_NE(failure->getValue<std::string>("message").find(cases[i].says), std::string::npos)
        << failure->getValue<std::string>("message");
    EXPECT_NE(server().log().find("PDF/A 转换失败 (PDF/A conversion failed)"), std::string::npos);
    // Nothing it started is left running: neither the script's shell nor what the shell ran.
    // (The pattern is anchored: the server's own command line names the script too.)
    std::string output;
    EXPECT_NE(runCommand({"pgrep", "-f", "^/bin/sh " + script.string()}, output), 0) << output;
    EXPECT_NE(runCommand({"pgrep", "-f", "^" + cases[i].leftover}, output), 0) << output;

    const fs::path tar = download(archiveIdOf(job), "bundle-" + std::to_string(i) + ".tar");
    auto items = readTar(tar);
    EXPECT_FALSE(findItem(
        items, [](const std::string& p) { return p.find("/renditions/") != std::string::npos; }));
    const Verdict verdict = runVerifier(tar, {publicKey()});
    EXPECT_EQ(verdict.exit, 0) << verdict.output;
  }
}

TEST_F(ArchiveBundlesTest, SignsWithSm2WhenTheUnitHasAKey) {
  const fs::path sm2Key = temp_ / "sm2.pem";
  std::string output;
  ASSERT_EQ(
      runCommand({"openssl", "genpkey", "-algorithm", "SM2", "-out", sm2Key.string()}, output), 0)
      << output;
  restart({"-D", "gongkai.archive.sm2_key_file=" + sm2Key.string()});
  connect();
  archived("党费收缴情况公示", sampleFiles("党费"));
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  const fs::path tar = download(archiveIdOf(job), "bundle.tar");
  const fs::path out = temp_ / "x";
  fs::create_directories(out);
  ASSERT_EQ(runCommand({"tar", "-xf", tar.string(), "-C", out.string()}, output), 0);
  const fs::path bag = fs::directory_iterator(out)->path();
  const fs::path sm2Public = publicKey("sm2_public_key_pem");
  EXPECT_EQ(readFile(sm2Public), readFile(bag / "signatures/sm2-public.pem"));
  EXPECT_EQ(runCommand({"openssl", "dgst", "-sm3", "-verify", sm2Public.string(), "-sigopt",
                        "distid:1234567812345678", "-signature",
                        (bag / "signatures/tagmanifest-sha256.txt.sm2.sig").string(),
                        (bag / "tagmanifest-sha256.txt").string()},
                       output),
            0)
      << output;
  const Verdict verdict = runVerifier(tar, {publicKey(), sm2Public});
  EXPECT_EQ(verdict.exit, 0) << verdict.output;
  // Checked with the SM2 key alone, the SM2 signature passes; a wrong SM2 key fails it.
  const fs::path wrong = temp_ / "wrong-sm2.pem";
  ASSERT_EQ(runCommand({"sh", "-c",
                        "openssl genpkey -algorithm SM2 | openssl pkey -pubout -out '" +
                            wrong.string() + "'"},
                       output),
            0);
  EXPECT_TRUE(runVerifier(tar, {wrong}).failedChecks().count("signature_sm2"));
}

TEST_F(ArchiveBundlesTest, RequestsAreCheckedAndNothingIsQueuedForBadOnes) {
  archived("党费收缴情况公示", sampleFiles("党费"));
  const auto post = [&](const std::string& body, const std::string& type = "application/json") {
    return client().request("POST", "/api/v1/archives", body, type);
  };
  const auto expectProblem = [&](const HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("code"), code) << r.body;
  };
  expectProblem(post("{"), 400, "malformed_json");
  expectProblem(post(R"({"category":"ZZ","year":2023,"x":1})"), 422, "unknown_field");
  expectProblem(post(R"({"category":1,"year":2023})"), 422, "required");
  expectProblem(post(R"({"category":"ZZ","year":"2023"})"), 422, "invalid_year");
  // Valid JSON (a number past 64 bits reads as a double, as RFC 8785 writes such numbers), but
  // no year.
  expectProblem(post(R"({"category":"ZZ","year":99999999999999999999})"), 422, "invalid_year");
  expectProblem(post(R"({"category":"ZZ","year":1800})"), 422, "invalid_year");
  expectProblem(post(R"({"category":"QQ","year":2023})"), 422, "unknown_category");
  expectProblem(post(R"({"category":"ZZ","year":2022})"), 422, "nothing_to_archive");
  expectProblem(post(R"({"category":"ZZ","year":2023,"checkpoint_size":999999})"), 404,
                "checkpoint_not_found");
  expectProblem(post(R"({"category":"ZZ","year":2023,"checkpoint_size":-1})"), 422,
                "invalid_checkpoint_size");
  expectProblem(post("category=ZZ", "application/x-www-form-urlencoded"), 415,
                "unsupported_media_type");
  expectProblem(post(R"({"category":"ZZ","year":2023,"pad":")" + std::string(10000, 'x') + "\"}"),
                413, "payload_too_large");
  expectProblem(client().get("/api/v1/jobs/1"), 404, "job_not_found");
  expectProblem(client().get("/api/v1/jobs/abc"), 404, "not_found");
  expectProblem(client().get("/api/v1/archives?year=abc"), 400, "invalid_query");

  // A finished job cannot be cancelled; the archivist may not build.
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  expectProblem(
      client().request(
          "POST",
          "/api/v1/jobs/" + std::to_string(job->getValue<Poco::Int64>("job_id")) + "/cancel", "",
          ""),
      409, "job_finished");
  EXPECT_EQ(archivist_->postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})").status,
            403);
  EXPECT_EQ(inspector_->postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})").status,
            403);
  EXPECT_EQ(inspector_->get("/api/v1/archives").json()->getArray("archives")->size(), 1u);
}

// A clerk who left the bundle page finds the build again: GET /jobs lists builds newest first,
// narrowed by state and to one's own, paged by id.
TEST_F(ArchiveBundlesTest, RecentJobsAreListedNewestFirstAndFiltered) {
  archived("列入任务清单的文件", {});
  HttpClient clerk = anonymous().as(userWithRole("clerk1", "committee"));
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    const auto job = build(R"({"category":"ZZ","year":2023})");
    ASSERT_TRUE(job);
    ids.push_back(job->getValue<Poco::Int64>("job_id"));
  }
  const auto mine = clerk.postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})");
  ASSERT_EQ(mine.status, 202) << mine.body;
  const std::int64_t clerkJob = mine.json()->getValue<Poco::Int64>("job_id");

  const auto idsOf = [](const HttpResponse& response) {
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<std::int64_t> out;
    const auto jobs = response.json()->getArray("jobs");
    for (std::size_t i = 0; i < jobs->size(); ++i)
      out.push_back(jobs->getObject(static_cast<unsigned>(i))->getValue<Poco::Int64>("job_id"));
    return out;
  };
  const std::vector<std::int64_t> all{clerkJob, ids[2], ids[1], ids[0]};
  EXPECT_EQ(idsOf(inspector_->get("/api/v1/jobs")), all);
  EXPECT_EQ(idsOf(clerk.get("/api/v1/jobs?mine=1")), std::vector<std::int64_t>{clerkJob});
  const auto clerkView = clerk.get("/api/v1/jobs?mine=1").json()->getArray("jobs")->getObject(0);
  EXPECT_EQ(clerkView->getValue<std::string>("created_by"), "clerk1");
  EXPECT_EQ(clerkView->getValue<std::string>("kind"), "archive.build");
  EXPECT_EQ(clerkView->getObject("params")->getValue<std::string>("category"), "ZZ");
  EXPECT_EQ(idsOf(inspector_->get("/api/v1/jobs?mine=1")), std::vector<std::int64_t>{});
  EXPECT_EQ(idsOf(inspector_->get("/api/v1/jobs?state=done&before=" + std::to_string(clerkJob))),
            (std::vector<std::int64_t>{ids[2], ids[1], ids[0]}));
  EXPECT_EQ(idsOf(inspector_->get("/api/v1/jobs?state=failed,cancelled")),
            std::vector<std::int64_t>{});

  // Pages of two: next_before leads on, and is null on the last page.
  const auto first = inspector_->get("/api/v1/jobs?limit=2");
  EXPECT_EQ(idsOf(first), (std::vector<std::int64_t>{clerkJob, ids[2]}));
  const auto next = first.json()->getValue<Poco::Int64>("next_before");
  EXPECT_EQ(next, ids[2]);
  const auto second = inspector_->get("/api/v1/jobs?limit=3&before=" + std::to_string(next));
  EXPECT_EQ(idsOf(second), (std::vector<std::int64_t>{ids[1], ids[0]}));
  EXPECT_TRUE(second.json()->isNull("next_before"));
  // A last page that is exactly full says so too.
  const auto exact = inspector_->get("/api/v1/jobs?limit=2&before=" + std::to_string(next));
  EXPECT_EQ(idsOf(exact), (std::vector<std::int64_t>{ids[1], ids[0]}));
  EXPECT_TRUE(exact.json()->isNull("next_before"));

  const auto expectProblem = [](const HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("code"), code) << r.body;
  };
  expectProblem(inspector_->get("/api/v1/jobs?state=running,bogus"), 400, "invalid_query");
  expectProblem(inspector_->get("/api/v1/jobs?state=,"), 400, "invalid_query");
  expectProblem(inspector_->get("/api/v1/jobs?limit=0"), 400, "invalid_query");
  expectProblem(inspector_->get("/api/v1/jobs?limit=101"), 400, "invalid_query");
  expectProblem(inspector_->get("/api/v1/jobs?before=abc"), 400, "invalid_query");
  expectProblem(inspector_->get("/api/v1/jobs?mine=yes"), 400, "invalid_query");
  expectProblem(archivist_->get("/api/v1/jobs"), 403, "forbidden");
  expectProblem(anonymous().get("/api/v1/jobs"), 401, "authentication_required");
}

TEST_F(ArchiveBundlesTest, ABuiltBundleSurvivesAKill) {
  archived("党费收缴情况公示", sampleFiles("党费"));
  const auto job = build(R"({"category":"ZZ","year":2023})");
  ASSERT_TRUE(job);
  const std::int64_t id = archiveIdOf(job);
  server().kill();
  restart();
  connect();
  // The bundle survives a kill -9, whole: listed, and verifying.
  const fs::path tar = download(id, "after-kill.tar");
  EXPECT_EQ(runVerifier(tar, {publicKey()}).exit, 0);
}

TEST_F(ArchiveBundlesTest, BundleJobsAKillLeftUnfinishedAreBuiltOnceAtTheNextStart) {
  archived("党费收缴情况公示", sampleFiles("党费"));
  // Several jobs, then a kill -9 at once: some are queued, one may be running or just recorded.
  std::vector<std::int64_t> jobs;
  for (int i = 0; i < 4; ++i) {
    const auto accepted = client().postJson("/api/v1/archives", R"({"category":"ZZ","year":2023})");
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    jobs.push_back(accepted.json()->getValue<Poco::Int64>("job_id"));
  }
  server().kill();
  restart();
  connect();
  std::set<std::int64_t> archives;
  for (const std::int64_t job : jobs) {
    const std::string url = "/api/v1/jobs/" + std::to_string(job);
    std::string state;
    for (int i = 0; i < 600 && (state.empty() || state == "queued" || state == "running"); ++i) {
      if (!state.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      state = client().get(url).json()->getValue<std::string>("state");
    }
    ASSERT_EQ(state, "done") << client().get(url).body;
    archives.insert(archiveIdOf(client().get(url).json()));
  }
  // Four bundles take far longer than four requests: the kill left some unfinished. (Read once
  // they are done: with PostgreSQL the dead server's jobs are adopted when its lease expires.)
  EXPECT_NE(server().log().find("adopted"), std::string::npos) << server().log();
  // One bundle per job, none built twice.
  const auto listed = inspector_->get("/api/v1/archives?category=ZZ&year=2023");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json()->getArray("archives")->size(), jobs.size()) << listed.body;
  EXPECT_EQ(archives.size(), jobs.size());
}

}  // namespace
}  // namespace gongkai::testing
