// Search through the real server: documents made from the seed texts, Chinese queries of every
// kind, filters and facets, snippets, history, bad parameters, extraction failures shown on the
// document, and a kill -9 with updates still queued.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

std::string metadata(const std::string& title, const std::string& number,
                     const std::string& category, const std::string& unit,
                     const std::string& issued, const std::string& summary,
                     const std::string& scope = "public") {
  return R"({"title":")" + title + R"(","doc_number":)" +
         (number.empty() ? "null" : "\"" + number + "\"") + R"(,"category":")" + category +
         R"(","org_unit":")" + unit + R"(","scope":")" + scope +
         R"(","mode":"proactive","period":"periodic","issued_at":")" + issued + R"(","summary":")" +
         summary + R"("})";
}

class SearchApiTest : public ServerTest {
 protected:
  std::int64_t create(const std::string& meta, const std::string& fileName = "",
                      const std::string& body = "", const std::string& type = "text/plain") {
    HttpResponse response;
    if (fileName.empty()) {
      response = client().postJson("/api/v1/documents", meta);
    } else {
      response = client().postMultipart(
          "/api/v1/documents",
          {{"metadata", "", "application/json", meta, ""}, {"file", fileName, type, body, ""}});
    }
    EXPECT_EQ(response.status, 201) << response.body;
    return response.json()->getValue<Poco::Int64>("id");
  }

  void seedDocuments() {
    create(
        metadata("党务公开工作情况汇报", "连发[2010]37号", "QJ", "lyg-fybjy", "2010-05-01",
                 "按照连发[2010]37号文件精神推进党务公开"),
        "汇报.txt",
        "我院党委将推进党务公开工作作为深入贯彻党的十七大精神的一项长效措施，制定了党务公开方案。");
    create(metadata("党组织党务公开实施方案", "孝卫党发[2023]1号", "ZZ", "xd-wsy", "2023-01-06",
                    "党务公开实施方案"),
           "方案.html",
           "<html><head><style>p{}</style></head><body><p>2023年1月6日印发。</"
           "p><p>落实党风廉政建设责任制，"
           "加强党内监督&amp;民主管理。</p></body></html>",
           "text/html");
    create(metadata("关于OA系统上线党建平台的通知", "", "ZZ", "xd-wsy", "2023-06-01",
                    "党建平台接入OA系统"));
    create(metadata("２０２２年度党费收缴情况公示", "", "ZZ", "xd-wsy", "2022-12-20",
                    "按季度公开党费收缴"));
    waitUntilIndexed();
  }

  void waitUntilIndexed() {
    for (int i = 0; i < 300; ++i) {
      auto status = client().get("/api/v1/search/status").json();
      if (status->getValue<Poco::Int64>("pending_updates") == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "index did not catch up";
  }

  Poco::JSON::Object::Ptr search(const std::string& query, const std::string& extra = "") {
    std::string encoded;
    Poco::URI::encode(query, "&=+#%?/", encoded);
    auto response = client().get("/api/v1/search?q=" + encoded + extra);
    EXPECT_EQ(response.status, 200) << query << " " << response.body;
    return response.json();
  }

  static std::int64_t total(const Poco::JSON::Object::Ptr& result) {
    return result->getValue<Poco::Int64>("total");
  }
  static std::vector<std::string> titles(const Poco::JSON::Object::Ptr& result) {
    std::vector<std::string> out;
    auto hits = result->getArray("hits");
    for (std::size_t i = 0; i < hits->size(); ++i) {
      out.push_back(hits->getObject(i)->getValue<std::string>("title"));
    }
    return out;
  }
  static std::vector<std::string> missingOf(const Poco::JSON::Object::Ptr& hit) {
    std::vector<std::string> out;
    auto missing = hit->getArray("missing_terms");
    for (std::size_t i = 0; i < missing->size(); ++i)
      out.push_back(missing->getElement<std::string>(i));
    return out;
  }
  static std::string firstTitle(const Poco::JSON::Object::Ptr& result) {
    auto hits = result->getArray("hits");
    return hits->size() == 0 ? "" : hits->getObject(0)->getValue<std::string>("title");
  }
};

TEST_F(SearchApiTest, ChineseQueriesFindTheRightDocumentsFirst) {
  seedDocuments();
  EXPECT_EQ(firstTitle(search("连发[2010]37号")), "党务公开工作情况汇报");
  EXPECT_EQ(firstTitle(search("2023年1月6日")), "党组织党务公开实施方案");  // in the HTML file
  EXPECT_EQ(firstTitle(search("党风廉政建设责任制")), "党组织党务公开实施方案");
  EXPECT_EQ(total(search("廉政建设")), 1);
  EXPECT_EQ(total(search("党")), 4);
  EXPECT_EQ(firstTitle(search("OA系统")), "关于OA系统上线党建平台的通知");
  EXPECT_EQ(firstTitle(search("ｏａ党建")), "关于OA系统上线党建平台的通知");
  const auto fallback = search("oa 党建平台 oa");  // a shape Xapian 1.4.22's parser refuses
  EXPECT_EQ(firstTitle(fallback), "关于OA系统上线党建平台的通知");
  EXPECT_TRUE(fallback->has("notice"));
  EXPECT_EQ(firstTitle(search("2022年度")), "２０２２年度党费收缴情况公示");
  EXPECT_EQ(total(search("十七大")), 1);  // in the text file
  EXPECT_EQ(total(search("style")), 0);   // HTML markup is not text
  EXPECT_EQ(total(search("title:党费")), 1);
  EXPECT_EQ(total(search("党费 OR 廉政")), 2);
  EXPECT_EQ(total(search("党务公开 NOT 汇报")), 1);
}

TEST_F(SearchApiTest, FiltersFacetsSnippetsAndPaging) {
  seedDocuments();
  auto result = search("党", "&category=ZZ&year=2023");
  EXPECT_EQ(total(result), 2);
  auto facets = result->getObject("facets");
  auto categories = facets->getArray("category");
  ASSERT_EQ(categories->size(), 1u);
  EXPECT_EQ(categories->getObject(0)->getValue<std::string>("value"), "ZZ");
  EXPECT_EQ(categories->getObject(0)->getValue<std::string>("name"), "党的组织管理");
  EXPECT_EQ(categories->getObject(0)->getValue<Poco::Int64>("count"), 2);

  result = search("党");
  auto years = result->getObject("facets")->getArray("year");
  std::map<std::string, std::int64_t> byYear;
  for (std::size_t i = 0; i < years->size(); ++i) {
    byYear[years->getObject(i)->getValue<std::string>("value")] =
        years->getObject(i)->getValue<Poco::Int64>("count");
  }
  EXPECT_EQ(byYear, (std::map<std::string, std::int64_t>{{"2010", 1}, {"2022", 1}, {"2023", 2}}));
  EXPECT_EQ(result->getObject("facets")
                ->getArray("org_unit")
                ->getObject(0)
                ->getValue<Poco::Int64>("count"),
            3);

  EXPECT_EQ(total(search("", "&from=2022-01-01&to=2022-12-31")), 1);
  EXPECT_EQ(total(search("", "&category=QJ,ZZ")), 4);
  auto byDate = search("党务公开", "&sort=date");
  EXPECT_EQ(firstTitle(byDate), "党组织党务公开实施方案");
  auto page = search("党", "&per_page=3&page=2");
  EXPECT_EQ(page->getArray("hits")->size(), 1u);
  EXPECT_EQ(total(page), 4);

  auto hit = search("廉政建设")->getArray("hits")->getObject(0);
  const std::string snippet = hit->getValue<std::string>("snippet");
  EXPECT_NE(snippet.find("<mark>廉政建设</mark>"), std::string::npos) << snippet;
  EXPECT_NE(snippet.find("&amp;"), std::string::npos) << snippet;  // text escaped, marks are ours
  EXPECT_EQ(hit->getValue<std::string>("doc_number"), "孝卫党发[2023]1号");
  EXPECT_EQ(hit->getValue<std::string>("date"), "2023-01-06");
  EXPECT_EQ(hit->getValue<Poco::Int64>("version"), 1);
}

TEST_F(SearchApiTest, SupersededVersionsAreSearchableWithHistory) {
  const auto id =
      create(metadata("换届选举结果公示（征求意见稿）", "", "ZZ", "xd-wsy", "2024-03-01", "初稿"));
  auto patched = client().request("PATCH", "/api/v1/documents/" + std::to_string(id),
                                  R"({"title":"换届选举结果公示","summary":"定稿"})",
                                  "application/merge-patch+json", {{"If-Match", "\"v1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  waitUntilIndexed();
  EXPECT_EQ(total(search("征求意见稿")), 0);
  auto history = search("征求意见稿", "&history=true");
  ASSERT_EQ(total(history), 1);
  auto hit = history->getArray("hits")->getObject(0);
  EXPECT_EQ(hit->getValue<Poco::Int64>("version"), 1);
  EXPECT_FALSE(hit->getValue<bool>("current"));
  EXPECT_EQ(total(search("换届选举", "&history=true")), 2);
  EXPECT_EQ(total(search("换届选举")), 1);
}

TEST_F(SearchApiTest, BadParametersGetClearProblemsAndAbsurdQueriesAnAnswer) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"?q=a&per_page=0", "invalid_query"},
      {"?per_page=101", "invalid_query"},
      {"?page=abc", "invalid_query"},
      {"?year=20x3", "invalid_search"},
      {"?category=XX", "invalid_search"},
      {"?sort=random", "invalid_search"},
      {"?from=2023-13-01", "invalid_search"},
      {"?from=2024-01-01&to=2023-01-01", "invalid_search"},
      {"?history=yes", "invalid_search"},
      {"?q=%FF%FE", "invalid_search"},
      {"?q=" + std::string(1001, 'a'), "invalid_search"},
      {"?scope=secret", "invalid_search"}};
  for (const auto& [query, code] : bad) {
    auto response = client().get("/api/v1/search" + query);
    // Unparseable parameters are 400; well-formed but unacceptable values 422, as elsewhere.
    EXPECT_EQ(response.status, code == "invalid_query" ? 400 : 422)
        << query << " " << response.body;
    EXPECT_EQ(response.headers["content-type"].rfind("application/problem+json", 0), 0u) << query;
    if (response.status >= 400) {
      EXPECT_EQ(response.json()->getValue<std::string>("code"), code) << query;
    }
  }
  seedDocuments();
  for (const char* query :
       {"((((", "\"", "AND OR NOT", "，。！", "title:", "*", "-", "%", "连发[2010", "abc党建def"}) {
    auto result = search(query);
    EXPECT_TRUE(result->has("total")) << query;
  }
  EXPECT_TRUE(search("，。！")->has("notice"));
  EXPECT_EQ(total(search("")), 4);  // nothing typed: everything, newest first
}

TEST_F(SearchApiTest, AnUnreadableFileIsStoredAndItsFailureShownOnTheDocument) {
  const auto id = create(metadata("损坏的附件", "", "ZZ", "xd-wsy", "2024-01-01", "附件无法读取"),
                         "附件.pdf", "%PDF-1.7 this is not really a pdf", "application/pdf");
  waitUntilIndexed();
  auto doc = client().get("/api/v1/documents/" + std::to_string(id)).json();
  auto extraction = doc->getArray("files")->getObject(0)->getObject("text_extraction");
  EXPECT_EQ(extraction->getValue<std::string>("status"), "failed");
  EXPECT_FALSE(extraction->getValue<std::string>("code").empty());
  EXPECT_EQ(total(search("损坏")), 1);  // the document itself is searchable
  const auto good = create(metadata("可读的附件", "", "ZZ", "xd-wsy", "2024-01-02", "附件"),
                           "附件.txt", "三会一课制度落实情况");
  waitUntilIndexed();
  auto file = client()
                  .get("/api/v1/documents/" + std::to_string(good))
                  .json()
                  ->getArray("files")
                  ->getObject(0);
  EXPECT_EQ(file->getObject("text_extraction")->getValue<std::string>("status"), "ok");
  EXPECT_EQ(total(search("三会一课")), 1);

  // A PDF the fuzzer found poppler spending 20 s on: refused before poppler reads it.
  const std::string pdf = readFile(GONGKAI_TEST_DATA_DIR "/extract/object-number-beyond-limit.pdf");
  const auto hostile =
      create(metadata("对象编号越界的附件", "", "ZZ", "xd-wsy", "2024-01-03", "附件"), "越界.pdf",
             pdf, "application/pdf");
  waitUntilIndexed();
  auto refused = client()
                     .get("/api/v1/documents/" + std::to_string(hostile))
                     .json()
                     ->getArray("files")
                     ->getObject(0)
                     ->getObject("text_extraction");
  EXPECT_EQ(refused->getValue<std::string>("status"), "failed");
  EXPECT_EQ(refused->getValue<std::string>("code"), "malformed");
  EXPECT_EQ(total(search("越界")), 1);
}

TEST_F(SearchApiTest, AWithdrawalHidesTheHitAtOnceThoughTheIndexLagsBehind) {
  const std::int64_t id = create(metadata("撤回测试：支部换届选举结果公示", "孝卫党发[2024]9号",
                                          "ZZ", "xd-wsy", "2024-03-01", "换届选举结果"));
  const std::string path = "/api/v1/documents/" + std::to_string(id);
  const std::string reviewerToken = userWithRole("reviewer9", "reviewer", "xd-wsy");
  HttpClient reviewer = anonymous().as(reviewerToken);
  ASSERT_EQ(client().request("POST", path + "/submit").status, 200);
  ASSERT_EQ(reviewer.postJson(path + "/approve", R"({"confidentiality_reviewed":true})").status,
            200);
  ASSERT_EQ(reviewer.postJson(path + "/publish", R"({"channels":["website"]})").status, 200);
  waitUntilIndexed();
  const auto seenBefore = anonymous().get("/api/v1/search?q=%E6%8D%A2%E5%B1%8A%E9%80%89%E4%B8%BE");
  ASSERT_NE(seenBefore.body.find("撤回测试"), std::string::npos) << seenBefore.body;

  // From now on the index does not follow the store (the worker looks once an hour).
  restart({"-D", "gongkai.search.poll_milliseconds=3600000", "-D",
           "gongkai.search.follow_writes=false"});
  reviewer = anonymous().as(reviewerToken);  // the same session, on the new port
  ASSERT_EQ(reviewer.postJson(path + "/withdraw", R"({"reason":"内容有误"})").status, 200);
  ASSERT_EQ(client().get("/api/v1/search/status").json()->getValue<Poco::Int64>("pending_updates"),
            1);
  const auto seenAfter = anonymous().get("/api/v1/search?q=%E6%8D%A2%E5%B1%8A%E9%80%89%E4%B8%BE");
  ASSERT_EQ(seenAfter.status, 200);
  EXPECT_EQ(seenAfter.body.find("撤回测试"), std::string::npos) << seenAfter.body;
  EXPECT_EQ(seenAfter.body.find("换届选举结果"), std::string::npos) << seenAfter.body;
  // Those who see everything still find it (their view does not depend on the status).
  EXPECT_NE(
      client().get("/api/v1/search?q=%E6%8D%A2%E5%B1%8A%E9%80%89%E4%B8%BE").body.find("撤回测试"),
      std::string::npos);
}

// The worker polls once an hour here: only the store's commit can wake it for a new document.
TEST_F(SearchApiTest, ThisServersOwnWritesWakeTheIndexerAtOnce) {
  restart({"-D", "gongkai.search.poll_milliseconds=3600000"});
  auto foundWithin = [&](const std::string& query, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (total(search(query)) == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return total(search(query));
  };
  // The first may also be taken by the worker's pass at start; once it is found, that pass is
  // over, and the second has nothing but its own commit to wake the worker.
  create(metadata("即时索引测试：支部换届公告", "", "ZZ", "xd-wsy", "2024-05-01", "换届"));
  ASSERT_EQ(foundWithin("支部换届公告", std::chrono::seconds(20)), 1);
  create(metadata("即时索引测试：组织生活会通知", "", "ZZ", "xd-wsy", "2024-05-02", "组织生活"));
  EXPECT_EQ(foundWithin("组织生活会通知", std::chrono::seconds(20)), 1);
}

// A pass that found several filings waiting (they come faster than the passes) holds the next
// pass back by gongkai.search.commit_spacing_milliseconds, so a stream of filings costs a few
// commits of the index a second instead of one per store commit.
TEST_F(SearchApiTest, APassThatFoundSeveralFilingsWaitingSpacesTheNext) {
  auto total = [&](const std::string& query) { return SearchApiTest::total(search(query)); };
  // Two filings queued while the worker looks once an hour and follows no writes...
  restart({"-D", "gongkai.search.poll_milliseconds=3600000", "-D",
           "gongkai.search.follow_writes=false"});
  create(metadata("间隔索引测试：第一季度党费公示", "", "ZZ", "xd-wsy", "2024-04-01", "党费"));
  create(metadata("间隔索引测试：第二季度党费公示", "", "ZZ", "xd-wsy", "2024-07-01", "党费"));
  // ...are both applied by the first pass of a server that follows its writes again.
  restart({"-D", "gongkai.search.commit_spacing_milliseconds=6000"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (total("季度党费公示") < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(total("季度党费公示"), 2);
  const auto filed = std::chrono::steady_clock::now();
  create(metadata("间隔索引测试：党员大会纪要", "", "ZZ", "xd-wsy", "2024-07-02", "党员大会"));
  // Its commit wakes the worker, which waits out the 6 s since that pass began: unspaced, it
  // would be found within a moment.
  while (std::chrono::steady_clock::now() < filed + std::chrono::seconds(2)) {
    ASSERT_EQ(total("党员大会纪要"), 0) << "indexed before the spacing was over";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  waitUntilIndexed();
  EXPECT_EQ(total("党员大会纪要"), 1);

  std::string output;  // a spacing below 0 or above a minute is refused at start
  for (const char* spacing : {"-1", "60001"}) {
    EXPECT_EQ(
        runCommand({GONGKAI_SERVER_BINARY, "--data-dir", dataDir() + "-2", "--port", "0", "-D",
                    std::string("gongkai.search.commit_spacing_milliseconds=") + spacing},
                   output),
        78)
        << output;
  }
}

// Issue 23: from gongkai.search.split_from_entries index entries on, a search's all-words tier
// runs as two halves on two threads; what the server answers is the same either way.
TEST_F(SearchApiTest, ASearchSplitInTwoHalvesAnswersAsOnePass) {
  seedDocuments();
  waitUntilIndexed();
  const std::vector<std::string> queries = {
      "?q=%E5%85%9A%E5%8A%A1%E5%85%AC%E5%BC%80",                        // 党务公开
      "?q=%E5%85%9A%E5%8A%A1%E5%85%AC%E5%BC%80&sort=date",              // by date
      "?q=%E5%85%9A%E5%8A%A1%20%E6%96%B9%E6%A1%88&page=1&per_page=1",   // 党务 方案, page 1
      "?q=&category=ZZ",                                                // everything in ZZ
      "?q=%E5%85%9A%E5%8A%A1%E5%85%AC%E5%BC%80%20%E7%BB%93%E5%AF%B9"};  // one word missing
  auto answers = [&](const char* splitFrom) {
    restart({"-D", std::string("gongkai.search.split_from_entries=") + splitFrom});
    std::vector<std::string> bodies;
    for (const auto& query : queries) {
      const auto response = client().get("/api/v1/search" + query);
      EXPECT_EQ(response.status, 200) << query << " " << response.body;
      bodies.push_back(response.body);
    }
    return bodies;
  };
  const auto onePass = answers("0");
  const auto halves = answers("1");
  for (std::size_t i = 0; i < queries.size(); ++i) EXPECT_EQ(onePass[i], halves[i]) << queries[i];
  EXPECT_EQ(onePass[0].find("\"total\":0"), std::string::npos) << onePass[0];  // hits to compare
  EXPECT_NE(onePass[0].find("\"total\":"), std::string::npos) << onePass[0];

  std::string output;  // a negative threshold is refused at start
  EXPECT_EQ(runCommand({GONGKAI_SERVER_BINARY, "--data-dir", dataDir() + "-2", "--port", "0", "-D",
                        "gongkai.search.split_from_entries=-1"},
                       output),
            78)
      << output;
}

TEST_F(SearchApiTest, AnUpdateThatCanNeverBeIndexedIsSetAsideAndHoldsNothingUp) {
  server().stop();
  {
    // A queued version that does not exist: no pass can ever apply it.
    *openTestDatabase(dataDir())
        << "INSERT INTO search_outbox (document_id, version) VALUES (999999, 1)",
        Poco::Data::Keywords::now;
  }
  restart();
  create(metadata("队列阻塞测试：党员学习教育安排", "", "SX", "xd-wsy", "2024-04-01", "学习教育"));
  waitUntilIndexed();  // nothing stays queued
  EXPECT_EQ(firstTitle(search("党员学习教育安排")), "队列阻塞测试：党员学习教育安排");
  const auto status = client().get("/api/v1/search/status").json();
  ASSERT_FALSE(status->isNull("set_aside"));
  EXPECT_NE(status->getValue<std::string>("set_aside").find("999999"), std::string::npos)
      << status->getValue<std::string>("set_aside");
}

TEST_F(SearchApiTest, AKillWithUpdatesQueuedIsCaughtUpAtTheNextStart) {
  // The worker looks at the outbox only every 10 minutes, so the writes below stay queued.
  restart({"-D", "gongkai.search.poll_milliseconds=600000", "-D",
           "gongkai.search.follow_writes=false"});
  for (int i = 0; i < 20; ++i) {
    create(metadata("民主评议党员第" + std::to_string(i) + "批",
                    "孝卫党发[2024]" + std::to_string(i) + "号", "ZZ", "xd-wsy", "2024-02-01",
                    "民主评议"));
  }
  auto status = client().get("/api/v1/search/status").json();
  // The worker's one pass at start may come after the first write on a loaded machine (it did in
  // a sanitized run beside builds), so one of them may be indexed already; the rest stay queued.
  EXPECT_GE(status->getValue<Poco::Int64>("pending_updates"), 19);
  server().kill();
  restart();
  waitUntilIndexed();
  EXPECT_EQ(total(search("民主评议")), 20);
  EXPECT_EQ(firstTitle(search("孝卫党发[2024]7号")), "民主评议党员第7批");
  status = client().get("/api/v1/search/status").json();
  EXPECT_EQ(status->getValue<Poco::Int64>("documents_indexed"), documentCount());
  EXPECT_FALSE(status->isNull("last_commit"));
}

TEST_F(SearchApiTest, AMissingOrBrokenIndexIsRebuiltFromTheStoreAtStart) {
  seedDocuments();
  server().stop();
  std::filesystem::remove_all(dataDir() + "/search");
  restart();
  EXPECT_EQ(total(search("党")), 4);
  EXPECT_EQ(firstTitle(search("连发[2010]37号")), "党务公开工作情况汇报");

  server().stop();
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dataDir() + "/search")) {
    if (entry.is_regular_file() && entry.path().extension() == ".glass") {
      writeFile(entry.path().string(), "not a xapian table");
    }
  }
  restart();
  EXPECT_EQ(total(search("党")), 4);
  auto status = client().get("/api/v1/search/status").json();
  EXPECT_EQ(status->getValue<Poco::Int64>("documents_indexed"), 4);
  EXPECT_TRUE(status->isNull("last_error"));
}

TEST_F(SearchApiTest, ARebuildSwapsInAFreshIndexWhileSearchesGoOn) {
  seedDocuments();
  const auto before =
      client().get("/api/v1/search/status").json()->getValue<Poco::Int64>("index_generation");
  auto started = client().postJson("/api/v1/search/rebuild", "{}");
  ASSERT_EQ(started.status, 202) << started.body;
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(total(search("党务公开")), 2);  // searches go on, complete, throughout
    auto status = client().get("/api/v1/search/status").json();
    if (!status->getValue<bool>("rebuilding") &&
        status->getValue<Poco::Int64>("index_generation") > before)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto status = client().get("/api/v1/search/status").json();
  EXPECT_EQ(status->getValue<Poco::Int64>("index_generation"), before + 1);
  EXPECT_EQ(status->getValue<Poco::Int64>("documents_indexed"), 4);
  EXPECT_FALSE(status->isNull("last_rebuild"));
  EXPECT_EQ(firstTitle(search("连发[2010]37号")), "党务公开工作情况汇报");
}

// Issue 24: a query of several words lists the documents holding all of them, then, below a
// notice naming the missing words, those holding only some.
TEST_F(SearchApiTest, DocumentsHoldingSomeWordsFollowThoseHoldingAll) {
  create(metadata("党员大会表决结果公示", "", "ZZ", "xd-wsy", "2024-03-01", "表决结果"));
  create(metadata("支部党员大会表决办法", "", "QJ", "xd-wsy", "2024-03-02", "党员大会议程"));
  create(metadata("党员大会会议纪要", "", "ZZ", "xd-wsy", "2024-03-03", "会议纪要"));
  create(metadata("关于表决事项的说明", "", "QJ", "xd-wsy", "2024-03-04", "事项说明"));
  create(metadata("年度工作总结", "", "ZZ", "xd-wsy", "2024-03-05", "总结"));
  waitUntilIndexed();

  const auto result = search("党员大会 表决");
  EXPECT_EQ(result->getValue<Poco::Int64>("total_all_words"), 2);
  EXPECT_EQ(result->getValue<Poco::Int64>("total_partial"), 2);
  EXPECT_EQ(total(result), 4);
  const auto hits = result->getArray("hits");
  ASSERT_EQ(hits->size(), 4u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(hits->getObject(i)->getValue<std::string>("match"), "all");
    EXPECT_TRUE(missingOf(hits->getObject(i)).empty());
  }
  std::map<std::string, std::vector<std::string>> lacking;
  for (std::size_t i = 2; i < 4; ++i) {
    EXPECT_EQ(hits->getObject(i)->getValue<std::string>("match"), "partial");
    lacking[hits->getObject(i)->getValue<std::string>("title")] = missingOf(hits->getObject(i));
  }
  EXPECT_EQ(lacking["党员大会会议纪要"], std::vector<std::string>{"表决"});
  EXPECT_EQ(lacking["关于表决事项的说明"], std::vector<std::string>{"党员大会"});
  const std::string notice = result->getValue<std::string>("notice");
  EXPECT_NE(notice.find("仅包含部分检索词"), std::string::npos) << notice;
  EXPECT_NE(notice.find("「表决」"), std::string::npos) << notice;
  EXPECT_EQ(result->getArray("missing_terms")->size(), 2u);
  // Facets count the all-words matches, and say so.
  EXPECT_EQ(result->getValue<std::string>("facets_tier"), "all_words");
  const auto categories = result->getObject("facets")->getArray("category");
  std::int64_t counted = 0;
  for (std::size_t i = 0; i < categories->size(); ++i) {
    counted += categories->getObject(i)->getValue<Poco::Int64>("count");
  }
  EXPECT_EQ(counted, 2);

  // Paging runs through both tiers as one list, whatever the page size.
  std::vector<std::string> paged;
  for (int page = 1; page <= 4; ++page) {
    const auto one = search("党员大会 表决", "&per_page=1&page=" + std::to_string(page));
    EXPECT_EQ(total(one), 4);
    for (const auto& title : titles(one)) paged.push_back(title);
  }
  EXPECT_EQ(paged, titles(result));
  const auto second = search("党员大会 表决", "&per_page=3&page=2");
  EXPECT_EQ(titles(second), std::vector<std::string>{titles(result)[3]});
  EXPECT_EQ(titles(search("党员大会 表决", "&per_page=3&page=3")), std::vector<std::string>{});

  // A phrase in quotes and a +word stay strict; operators keep the logic as written.
  const auto phrase = search("\"党员大会\" 表决");
  EXPECT_EQ(phrase->getValue<Poco::Int64>("total_partial"), 1);
  EXPECT_EQ(titles(phrase).back(), "党员大会会议纪要");
  const auto required = search("+表决 党员大会");
  EXPECT_EQ(required->getValue<Poco::Int64>("total_partial"), 1);
  EXPECT_EQ(titles(required).back(), "关于表决事项的说明");
  EXPECT_EQ(search("党员大会 OR 表决")->getValue<Poco::Int64>("total_partial"), 0);
  EXPECT_EQ(search("党员大会")->getValue<Poco::Int64>("total_partial"), 0);
  // No document holds both: all hits are partial, and the notice says there is no full match.
  const auto none = search("纪要 说明");
  EXPECT_EQ(none->getValue<Poco::Int64>("total_all_words"), 0);
  EXPECT_EQ(none->getValue<Poco::Int64>("total_partial"), 2);
  EXPECT_NE(none->getValue<std::string>("notice").find("没有同时包含全部检索词"),
            std::string::npos);
  EXPECT_EQ(none->getValue<std::string>("facets_tier"), "partial");
  EXPECT_EQ(none->getObject("facets")->getArray("category")->size(), 2u);  // ZZ and QJ
}

// Issue 24: traditional and simplified characters find each other, and the snippet marks the
// document's own characters.
TEST_F(SearchApiTest, TraditionalAndSimplifiedCharactersFindEachOther) {
  create(metadata("關於黨務公開工作的報告", "", "ZZ", "xd-wsy", "2024-04-01",
                  "本報告介紹黨務公開工作的進展"));
  create(metadata("关于换届选举工作的报告", "", "ZZ", "xd-wsy", "2024-04-02", "换届选举工作进展"));
  waitUntilIndexed();
  const auto simplified = search("关于党务公开工作的报告");
  EXPECT_EQ(total(simplified), 1);
  EXPECT_EQ(firstTitle(simplified), "關於黨務公開工作的報告");
  const auto marked = search("党务公开");
  ASSERT_EQ(total(marked), 1);
  EXPECT_NE(marked->getArray("hits")->getObject(0)->getValue<std::string>("snippet").find(
                "<mark>黨務公開</mark>"),
            std::string::npos);
  const auto traditional = search("關於換屆選舉工作的報告");
  EXPECT_EQ(total(traditional), 1);
  EXPECT_EQ(firstTitle(traditional), "关于换届选举工作的报告");
}

// An index written before traditional characters were folded lacks their matches: it is
// rebuilt at start rather than used.
TEST_F(SearchApiTest, AnIndexWrittenBeforeTheFoldIsRebuiltAtStart) {
  create(metadata("關於黨務公開工作的報告", "", "ZZ", "xd-wsy", "2024-04-01", "報告"));
  waitUntilIndexed();
  const auto generation = [&] {
    return client().get("/api/v1/search/status").json()->getValue<Poco::Int64>("index_generation");
  };
  const auto before = generation();
  server().stop();
  {
    std::string current;
    std::getline(std::ifstream(dataDir() + "/search/CURRENT"), current);
    Xapian::WritableDatabase db(dataDir() + "/search/" + current, Xapian::DB_OPEN);
    db.set_metadata("format", "4");  // the layout before issue 24
    db.commit();
  }
  restart();
  EXPECT_GT(generation(), before);
  EXPECT_EQ(firstTitle(search("党务公开")), "關於黨務公開工作的報告");
}

}  // namespace
}  // namespace gongkai::testing
