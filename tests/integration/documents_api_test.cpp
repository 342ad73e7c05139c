// The document API end to end: real server, real SQLite, real HTTP.
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <chrono>
#include <thread>

#include "fixture.h"
#include "gongkai/core/sha256.h"

namespace gongkai::testing {
namespace {

using Poco::JSON::Object;

class DocumentsApiTest : public ServerTest {
 protected:
  // Creates a document with one file; returns its JSON.
  Object::Ptr createWithFile(const std::string& title, const std::string& fileName,
                             const std::string& contents) {
    auto response = client().postMultipart(
        "/api/v1/documents", {{"metadata", "", "application/json", sampleMetadata(title), ""},
                              {"file", fileName, "application/pdf", contents, ""}});
    EXPECT_EQ(response.status, 201) << response.body;
    return response.json();
  }
};

TEST_F(DocumentsApiTest, HealthzReportsSchemaAndAuditSize) {
  auto response = client().get("/healthz");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.json()->getValue<std::string>("status"), "ok");
  EXPECT_GE(response.json()->getValue<int>("schema_version"), 7);
  EXPECT_EQ(response.json()->getValue<int>("audit_size"), setupAudit_);
}

TEST_F(DocumentsApiTest, CategoriesComeFromThePolicyFileAndTheIndexPageIsServed) {
  auto response = client().get("/api/v1/categories");
  ASSERT_EQ(response.status, 200);
  auto categories = response.json()->getArray("categories");
  ASSERT_EQ(categories->size(), 8u);
  EXPECT_EQ(categories->getObject(2)->getValue<std::string>("code"), "ZZ");
  EXPECT_EQ(categories->getObject(2)->getValue<std::string>("name"), "党的组织管理");
  EXPECT_EQ(categories->getObject(2)->getArray("items")->getElement<std::string>(4),
            "党费收缴、登记情况");

  auto page = client().get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("党务公开档案"), std::string::npos);
  EXPECT_EQ(page.header("Cache-Control"), "no-cache");
  EXPECT_NE(page.header("Content-Security-Policy").find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(page.header("X-Frame-Options"), "DENY");
}

TEST_F(DocumentsApiTest, ChineseMetadataAndFileNamesRoundTripExactly) {
  const std::string title = "关于２０２３年党费收缴情况的公示（第一季度）";
  const std::string fileName = "党费收缴登记表 2023年1月6日（定稿）.pdf";
  const std::string contents = "%PDF-1.4 党务公开 \x00\x01\xff binary" + std::string(5000, 'x');
  auto created = createWithFile(title, fileName, contents);
  const auto id = created->getValue<Poco::Int64>("id");
  ASSERT_GT(id, 0);

  auto fetched = client().get("/api/v1/documents/" + std::to_string(id));
  ASSERT_EQ(fetched.status, 200);
  auto doc = fetched.json();
  EXPECT_EQ(doc->getValue<std::string>("title"), title);
  EXPECT_EQ(doc->getValue<std::string>("doc_number"), "连发[2010]37号");
  EXPECT_EQ(doc->getValue<std::string>("summary"), "党务公开");
  EXPECT_EQ(doc->getValue<std::string>("status"), "draft");
  EXPECT_EQ(doc->getValue<std::string>("issued_at"), "2023-01-06");
  EXPECT_EQ(doc->getValue<int>("year"), 2023);
  EXPECT_EQ(doc->getValue<int>("version"), 1);
  EXPECT_EQ(fetched.header("ETag"), "\"v1\"");
  auto file = doc->getArray("files")->getObject(0);
  EXPECT_EQ(file->getValue<std::string>("name"), fileName);
  EXPECT_EQ(file->getValue<std::string>("media_type"), "application/pdf");
  EXPECT_EQ(file->getValue<Poco::Int64>("size"), static_cast<Poco::Int64>(contents.size()));
  EXPECT_EQ(file->getValue<std::string>("sha256"), core::sha256Hex(contents));

  auto download = client().get(file->getValue<std::string>("url"));
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, contents);
  EXPECT_EQ(download.header("ETag"), "\"" + core::sha256Hex(contents) + "\"");
  const std::string disposition = download.header("Content-Disposition");
  const auto star = disposition.find("filename*=UTF-8''");
  ASSERT_NE(star, std::string::npos) << disposition;
  std::string decoded;
  Poco::URI::decode(disposition.substr(star + 17), decoded);
  EXPECT_EQ(decoded, fileName);
}

TEST_F(DocumentsApiTest, FileNameGivenAsRfc5987FilenameStarIsDecoded) {
  const std::string name = "会议纪要.docx";
  std::string encoded;
  Poco::URI::encode(name, "", encoded);
  auto response = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "application/json", sampleMetadata("纪要"), ""},
       {"file", "", "", "docx bytes", "form-data; name=\"file\"; filename*=UTF-8''" + encoded}});
  ASSERT_EQ(response.status, 201) << response.body;
  auto file = response.json()->getArray("files")->getObject(0);
  EXPECT_EQ(file->getValue<std::string>("name"), name);
  EXPECT_EQ(file->getValue<std::string>("media_type"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

TEST_F(DocumentsApiTest, JsonOnlyCreateAnswers201WithLocation) {
  auto response = client().postJson("/api/v1/documents", sampleMetadata("领导班子分工"));
  ASSERT_EQ(response.status, 201) << response.body;
  const auto id = response.json()->getValue<Poco::Int64>("id");
  EXPECT_EQ(response.header("Location"), "/api/v1/documents/" + std::to_string(id));
  EXPECT_EQ(client().get(response.header("Location")).status, 200);
  EXPECT_EQ(response.json()->getArray("files")->size(), 0u);
}

TEST_F(DocumentsApiTest, EveryChangeMakesAnImmutableVersion) {
  auto created = createWithFile("初稿", "v1.pdf", "first contents");
  const std::string base =
      "/api/v1/documents/" + std::to_string(created->getValue<Poco::Int64>("id"));

  auto patched = client().request("PATCH", base, R"({"title":"定稿","summary":null})",
                                  "application/merge-patch+json", {{"If-Match", "\"v1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()->getValue<int>("version"), 2);
  EXPECT_TRUE(patched.json()->isNull("summary"));
  EXPECT_EQ(patched.header("ETag"), "\"v2\"");

  auto added =
      client().postMultipart(base + "/files", {{"file", "附件.txt", "text/plain", "附件内容", ""}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()->getValue<int>("version"), 3);
  EXPECT_EQ(added.json()->getArray("files")->size(), 2u);

  const auto firstFileId = created->getArray("files")->getObject(0)->getValue<Poco::Int64>("id");
  auto removed = client().request("DELETE", base + "/files/" + std::to_string(firstFileId), "", "",
                                  {{"If-Match", "\"v3\""}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.json()->getValue<int>("version"), 4);
  EXPECT_EQ(removed.json()->getArray("files")->size(), 1u);

  auto history = client().get(base + "/versions");
  ASSERT_EQ(history.status, 200);
  auto versions = history.json()->getArray("versions");
  ASSERT_EQ(versions->size(), 4u);
  EXPECT_EQ(versions->getObject(0)->getValue<std::string>("change"), "document.create");
  EXPECT_EQ(versions->getObject(1)->getValue<std::string>("change"), "document.update");
  EXPECT_EQ(versions->getObject(2)->getValue<std::string>("change"), "document.add_files");
  EXPECT_EQ(versions->getObject(3)->getValue<std::string>("change"), "document.remove_file");

  auto first = client().get(base + "/versions/1");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.json()->getValue<std::string>("title"), "初稿");
  EXPECT_EQ(first.json()->getValue<std::string>("summary"), "党务公开");
  // A file left out of the current version stays readable through the old version.
  auto oldFile = client().get(base + "/files/" + std::to_string(firstFileId));
  ASSERT_EQ(oldFile.status, 200);
  EXPECT_EQ(oldFile.body, "first contents");
  EXPECT_EQ(client().get(base + "/versions/5").status, 404);
  EXPECT_EQ(auditSize(), setupAudit_ + 4);
}

TEST_F(DocumentsApiTest, StaleIfMatchGets412AndMissingIfMatchGets428) {
  auto created = client().postJson("/api/v1/documents", sampleMetadata("公示"));
  const std::string path =
      "/api/v1/documents/" + std::to_string(created.json()->getValue<Poco::Int64>("id"));
  ASSERT_EQ(client()
                .request("PATCH", path, R"({"title":"第二版"})", "application/json",
                         {{"If-Match", "\"v1\""}})
                .status,
            200);
  const auto before = auditSize();

  auto stale = client().request("PATCH", path, R"({"title":"覆盖"})", "application/json",
                                {{"If-Match", "\"v1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.header("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(stale.json()->getValue<std::string>("code"), "version_mismatch");

  auto missing = client().request("PATCH", path, R"({"title":"覆盖"})", "application/json");
  EXPECT_EQ(missing.status, 428);
  EXPECT_EQ(missing.json()->getValue<std::string>("code"), "if_match_required");

  auto garbage = client().request("PATCH", path, R"({"title":"覆盖"})", "application/json",
                                  {{"If-Match", "W/\"v2\""}});
  EXPECT_EQ(garbage.status, 412);

  EXPECT_EQ(auditSize(), before);
  EXPECT_EQ(client().get(path).json()->getValue<std::string>("title"), "第二版");
  // A patch that changes nothing makes no version.
  auto same = client().request("PATCH", path, R"({"title":"第二版"})", "application/json",
                               {{"If-Match", "\"v2\""}});
  EXPECT_EQ(same.status, 200);
  EXPECT_EQ(same.json()->getValue<int>("version"), 2);
  EXPECT_EQ(auditSize(), before);
  // Conditional GET.
  EXPECT_EQ(client().get(path, {{"If-None-Match", "\"v2\""}}).status, 304);
}

TEST_F(DocumentsApiTest, ADocumentWhoseFilesAwaitExtractionIsNeverAnswered304) {
  // The indexing worker looks for work once an hour here, so the file stays pending.
  restart({"-D", "gongkai.search.poll_milliseconds=3600000", "-D",
           "gongkai.search.follow_writes=false"});
  auto created = createWithFile("待提取", "通知.txt", "党务公开通知正文");
  const std::string path =
      "/api/v1/documents/" + std::to_string(created->getValue<Poco::Int64>("id"));
  auto pending = client().get(path, {{"If-None-Match", "\"v1\""}});
  ASSERT_EQ(pending.status, 200);
  EXPECT_EQ(pending.header("Cache-Control"), "no-store");
  EXPECT_EQ(pending.json()
                ->getArray("files")
                ->getObject(0)
                ->getObject("text_extraction")
                ->getValue<std::string>("status"),
            "pending");
  // Settled (the worker runs at start), the version's ETag answers for the whole answer again.
  restart();
  for (int i = 0; i < 100 && client().get(path).header("Cache-Control") == "no-store"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto settled =
      client().get(path);  // (createWithFile says application/pdf: it fails, and settles)
  EXPECT_NE(settled.json()
                ->getArray("files")
                ->getObject(0)
                ->getObject("text_extraction")
                ->getValue<std::string>("status"),
            "pending");
  EXPECT_EQ(client().get(path, {{"If-None-Match", "\"v1\""}}).status, 304);
}

TEST_F(DocumentsApiTest, RangeHeadAndConditionalDownloads) {
  std::string contents;
  for (int i = 0; i < 1000; ++i) contents += std::to_string(i) + ",";
  auto created = createWithFile("范围", "data.csv", contents);
  const std::string url = created->getArray("files")->getObject(0)->getValue<std::string>("url");

  auto part = client().get(url, {{"Range", "bytes=10-19"}});
  ASSERT_EQ(part.status, 206);
  EXPECT_EQ(part.body, contents.substr(10, 10));
  EXPECT_EQ(part.header("Content-Range"), "bytes 10-19/" + std::to_string(contents.size()));

  auto suffix = client().get(url, {{"Range", "bytes=-5"}});
  ASSERT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.body, contents.substr(contents.size() - 5));

  auto open = client().get(url, {{"Range", "bytes=3000-"}});
  ASSERT_EQ(open.status, 206);
  EXPECT_EQ(open.body, contents.substr(3000));

  auto beyond = client().get(url, {{"Range", "bytes=999999-"}});
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.header("Content-Range"), "bytes */" + std::to_string(contents.size()));

  auto several = client().get(url, {{"Range", "bytes=0-1,5-6"}});
  EXPECT_EQ(several.status, 200);  // multiple ranges: the whole file instead
  EXPECT_EQ(several.body, contents);

  auto ifRangeStale = client().get(url, {{"Range", "bytes=0-1"}, {"If-Range", "\"other\""}});
  EXPECT_EQ(ifRangeStale.status, 200);
  EXPECT_EQ(ifRangeStale.body, contents);

  auto head = client().request("HEAD", url);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(contents.size()));
  EXPECT_TRUE(head.body.empty());

  auto cached = client().get(url, {{"If-None-Match", "\"" + core::sha256Hex(contents) + "\""}});
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
}

TEST_F(DocumentsApiTest, HeadSendsNoBodySoKeepAliveFramingHolds) {
  auto created = client().postJson("/api/v1/documents", sampleMetadata("头"));
  const std::string path =
      "/api/v1/documents/" + std::to_string(created.json()->getValue<Poco::Int64>("id"));
  // Two requests on one connection: if HEAD leaked a body, the second status line would be
  // preceded by JSON.
  const std::string reply =
      client().raw("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n" + authLine() +
                   "\r\n"
                   "HEAD /api/v1/documents/999 HTTP/1.1\r\nHost: x\r\n" +
                   authLine() +
                   "\r\n"
                   "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto second = reply.find("HTTP/1.1 404");
  const auto third = reply.find("HTTP/1.1 200", 1);
  ASSERT_NE(second, std::string::npos) << reply;
  ASSERT_NE(third, std::string::npos) << reply;
  EXPECT_EQ(reply.substr(second - 4, 4), "\r\n\r\n") << reply;
  EXPECT_EQ(reply.substr(third - 4, 4), "\r\n\r\n") << reply;
  EXPECT_EQ(reply.find("{"), reply.rfind("{")) << "only the last response has a body: " << reply;
}

TEST_F(DocumentsApiTest, ListFiltersPagesAndCounts) {
  for (int i = 0; i < 5; ++i)
    client().postJson("/api/v1/documents", sampleMetadata("组织" + std::to_string(i), "ZZ"));
  for (int i = 0; i < 3; ++i)
    client().postJson("/api/v1/documents", sampleMetadata("廉政" + std::to_string(i), "DF"));
  auto internal = client().postJson(
      "/api/v1/documents",
      R"({"title":"内部","category":"DF","org_unit":"branch-2","scope":"internal",)"
      R"("mode":"statutory","period":"standing","issued_at":"2021-07-01"})");
  ASSERT_EQ(internal.status, 201) << internal.body;

  auto all = client().get("/api/v1/documents?per_page=4&page=2");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json()->getValue<int>("total"), 9);
  EXPECT_EQ(all.json()->getArray("documents")->size(), 4u);
  // Newest first: page 2 of 4 starts with the fifth newest.
  EXPECT_EQ(all.json()->getArray("documents")->getObject(0)->getValue<std::string>("title"),
            "组织4");

  EXPECT_EQ(client().get("/api/v1/documents?category=DF").json()->getValue<int>("total"), 4);
  EXPECT_EQ(client().get("/api/v1/documents?category=DF&year=2023").json()->getValue<int>("total"),
            3);
  EXPECT_EQ(client().get("/api/v1/documents?year=2021").json()->getValue<int>("total"), 1);
  EXPECT_EQ(client().get("/api/v1/documents?scope=internal").json()->getValue<int>("total"), 1);
  EXPECT_EQ(client().get("/api/v1/documents?org_unit=branch-2").json()->getValue<int>("total"), 1);
  EXPECT_EQ(client().get("/api/v1/documents?status=draft").json()->getValue<int>("total"), 9);
  EXPECT_EQ(client().get("/api/v1/documents?category=%E5%85%9A").json()->getValue<int>("total"), 0);
  EXPECT_EQ(client().get("/api/v1/documents?page=0").status, 400);
  EXPECT_EQ(client().get("/api/v1/documents?per_page=100000").status, 400);
  EXPECT_EQ(client().get("/api/v1/documents?year=abc").json()->getValue<std::string>("code"),
            "invalid_query");
}

TEST_F(DocumentsApiTest, AuditEntriesCarryTheirCanonicalBytesAndChain) {
  auto created = createWithFile("审计", "a.pdf", "contents");
  const auto id = created->getValue<Poco::Int64>("id");
  client().request("PATCH", "/api/v1/documents/" + std::to_string(id), R"({"title":"审计2"})",
                   "application/json", {{"If-Match", "\"v1\""}});

  auto response = client().get("/api/v1/audit?after=" + std::to_string(setupAudit_) + "&limit=10");
  ASSERT_EQ(response.status, 200);
  auto entries = response.json()->getArray("entries");
  ASSERT_EQ(entries->size(), 2u);
  auto before = client().get("/api/v1/audit?after=" + std::to_string(setupAudit_ - 1) + "&limit=1");
  std::string prev =
      before.json()->getArray("entries")->getObject(0)->getValue<std::string>("hash");
  for (unsigned i = 0; i < entries->size(); ++i) {
    auto item = entries->getObject(i);
    const std::string bytes = item->getValue<std::string>("canonical");
    EXPECT_EQ(core::sha256Hex(bytes), item->getValue<std::string>("hash"));
    auto entry = item->getObject("entry");
    EXPECT_EQ(entry->getValue<std::string>("prev_hash"), prev);
    EXPECT_EQ(entry->getValue<int>("seq"), static_cast<int>(setupAudit_ + i + 1));
    EXPECT_EQ(entry->getObject("object")->getValue<std::string>("id"), std::to_string(id));
    prev = item->getValue<std::string>("hash");
  }
  EXPECT_EQ(entries->getObject(0)->getObject("entry")->getValue<std::string>("action"),
            "document.create");
  EXPECT_EQ(entries->getObject(1)->getObject("entry")->getValue<std::string>("action"),
            "document.update");
  // The version record the entry hashes is what the store holds.
  EXPECT_EQ(client()
                .get("/api/v1/audit?after=" + std::to_string(entryAt(1)))
                .json()
                ->getArray("entries")
                ->size(),
            1u);
  // The chain still starts from the genesis hash (the setup's first entry).
  auto genesis = client().get("/api/v1/audit?after=0&limit=1").json();
  EXPECT_EQ(genesis->getArray("entries")->getObject(0)->getObject("entry")->getValue<std::string>(
                "prev_hash"),
            genesis->getValue<std::string>("genesis_prev_hash"));
  EXPECT_EQ(client().get("/api/v1/audit?limit=0").status, 400);
}

}  // namespace
}  // namespace gongkai::testing
