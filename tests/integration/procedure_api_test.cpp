// The disclosure catalogue and the compliance calendar against the real server. The calendar's
// date arithmetic is tested with fixed dates in tests/policies/compliance_test.cpp; here the
// wiring: items, the documents that answer them, visibility, and the JSON and CSV reports.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>

#include <chrono>
#include <sstream>

#include "fixture.h"

namespace gongkai::testing {
namespace {

int thisYear() {
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(
      std::chrono::system_clock::now() + std::chrono::hours(8))};
  return static_cast<int>(today.year());
}

class ProcedureApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    archivistToken_ = userWithRole("archivist1", "archivist", "branch-1");
    archivist_ = std::make_unique<HttpClient>(anonymous().as(archivistToken_));
    reviewer_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("reviewer1", "reviewer", "branch-1")));
  }

  std::int64_t item(const std::string& json) {
    const auto made = archivist_->postJson("/api/v1/catalogue", json);
    EXPECT_EQ(made.status, 201) << made.body;
    return made.status == 201 ? made.json()->getValue<Poco::Int64>("id") : 0;
  }

  // A document answering `itemId`, taken through to publication.
  void publishAnswer(std::int64_t itemId, const std::string& title) {
    const auto made = archivist_->postJson(
        "/api/v1/documents", R"({"title":")" + title +
                                 R"(","category":"DF","org_unit":"branch-1","scope":"public",)"
                                 R"("mode":"proactive","period":"immediate","catalogue_item":)" +
                                 std::to_string(itemId) + "}");
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string path =
        "/api/v1/documents/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
    ASSERT_EQ(archivist_->request("POST", path + "/submit").status, 200);
    ASSERT_EQ(reviewer_->postJson(path + "/approve", R"({"confidentiality_reviewed":true})").status,
              200);
    ASSERT_EQ(reviewer_->postJson(path + "/publish", R"({"channels":["bulletin_board"]})").status,
              200);
  }

  std::string archivistToken_;
  std::unique_ptr<HttpClient> archivist_, reviewer_;
};

TEST_F(ProcedureApiTest, HostileCatalogueBodiesAreRefusedWithNothingStored) {
  const std::int64_t before = auditSize();
  const std::string base =
      R"("org_unit":"branch-1","category":"ZZ","content":"x","scope":"public","mode":"proactive",)"
      R"("period":"standing")";
  for (const std::string& body : std::vector<std::string>{
           "{" + base + R"(,"year":"2025"})",                // year as text
           "{" + base + R"(,"year":18446744073709551615})",  // beyond 64 bits
           "{" + base + R"(,"year":true})",                  // a boolean is no year
           "{" + base + R"(,"year":2025,"time_limit_working_days":-1})",
           "{" + base + R"(,"year":2025,"sub_item":1.5})",
           "{" + base + R"(,"year":2025,"channels":"website"})",
           "{" + base + R"(,"year":2025,"responsible":[]})",
           "{" + base + R"(,"year":2025,"extra":1})",
           R"({"org_unit":"branch-1","year":2025,"category":"ZZ","scope":"public",)"
           R"("mode":"proactive","period":"standing","content":")" +
               std::string(3000, 'x') + R"("})",
       }) {
    const auto refused = archivist_->postJson("/api/v1/catalogue", body);
    EXPECT_EQ(refused.status, 422) << body.substr(0, 120) << " " << refused.body;
  }
  EXPECT_EQ(archivist_->postJson("/api/v1/catalogue", R"({"org_unit":"branch-1",)").status, 400);
  EXPECT_EQ(archivist_->postJson("/api/v1/catalogue", "[]").status, 400);
  EXPECT_EQ(archivist_->request("POST", "/api/v1/catalogue", "{}", "text/plain").status, 415);
  const std::string huge = R"({"content":")" + std::string(100000, 'x') + R"("})";
  EXPECT_EQ(archivist_->postJson("/api/v1/catalogue", huge).status, 413);
  EXPECT_EQ(auditSize(), before);
  EXPECT_EQ(archivist_->get("/api/v1/catalogue").json()->getValue<int>("total"), 0);
}

TEST_F(ProcedureApiTest, CatalogueItemsAreValidatedVersionedAndAudited) {
  const std::string year = std::to_string(thisYear());
  // Periodic items need a rhythm; only periodic items have one; sub-items must exist.
  EXPECT_EQ(
      archivist_
          ->postJson("/api/v1/catalogue",
                     R"({"org_unit":"branch-1","year":)" + year +
                         R"(,"category":"ZZ","content":"党费","scope":"public","mode":"proactive",)"
                         R"("period":"periodic"})")
          .status,
      422);
  EXPECT_EQ(
      archivist_
          ->postJson("/api/v1/catalogue",
                     R"({"org_unit":"branch-1","year":)" + year +
                         R"(,"category":"ZZ","content":"党费","scope":"public","mode":"proactive",)"
                         R"("period":"standing","rhythm":"monthly"})")
          .status,
      422);
  EXPECT_EQ(archivist_
                ->postJson("/api/v1/catalogue",
                           R"({"org_unit":"branch-1","year":)" + year +
                               R"(,"category":"ZZ","sub_item":99,"content":"x","scope":"public",)"
                               R"("mode":"proactive","period":"standing"})")
                .status,
            422);
  EXPECT_EQ(
      archivist_
          ->postJson("/api/v1/catalogue",
                     R"({"org_unit":"branch-1","year":)" + year +
                         R"(,"category":"ZZ","content":"x","scope":"public","mode":"proactive",)"
                         R"("period":"standing","channels":["tv"]})")
          .status,
      422);
  // Another unit's catalogue is not the archivist's to write.
  EXPECT_EQ(
      archivist_
          ->postJson("/api/v1/catalogue",
                     R"({"org_unit":"branch-2","year":)" + year +
                         R"(,"category":"ZZ","content":"x","scope":"public","mode":"proactive",)"
                         R"("period":"standing"})")
          .status,
      403);
  const std::int64_t id = item(
      R"({"org_unit":"branch-1","year":)" + year +
      R"(,"category":"ZZ","sub_item":5,"content":"党费收缴、登记情况","scope":"public",)"
      R"("mode":"proactive","period":"periodic","rhythm":"quarterly","time_limit_working_days":10,)"
      R"("channels":["bulletin_board"],"responsible":"组织委员"})");
  const std::string path = "/api/v1/catalogue/" + std::to_string(id);
  auto changed = archivist_->request("PATCH", path, R"({"time_limit_working_days":15})",
                                     "application/json", {{"If-Match", "\"v1\""}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()->getValue<int>("version"), 2);
  EXPECT_EQ(archivist_
                ->request("PATCH", path, R"({"content":"x"})", "application/json",
                          {{"If-Match", "\"v1\""}})
                .status,
            412);
  // Everyone may read a public catalogue item; the list filters by unit and year.
  EXPECT_EQ(anonymous().get(path).status, 200);
  EXPECT_EQ(anonymous()
                .get("/api/v1/catalogue?org_unit=branch-1&year=" + year)
                .json()
                ->getValue<int>("total"),
            1);
  EXPECT_EQ(anonymous().get("/api/v1/catalogue?org_unit=branch-2").json()->getValue<int>("total"),
            0);
  // A document may answer only an item of its own unit.
  const auto wrong = archivist_->postJson(
      "/api/v1/documents",
      R"({"title":"x","category":"ZZ","org_unit":"branch-1","scope":"public","mode":"proactive",)"
      R"("period":"standing","catalogue_item":999})");
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  // verify-log checks catalogue versions against their audit entries, and names a changed one.
  std::string output;
  ASSERT_EQ(verifyLog(output), 0) << output;
  EXPECT_NE(output.find("catalogue_item versions checked): 2"), std::string::npos) << output;
  {
    *openTestDatabase(dataDir())
        << "UPDATE catalogue_item_versions SET record = replace(record, '组织委员', '某某') "
           "WHERE version = 1",
        Poco::Data::Keywords::now;
  }
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("catalogue_item/" + std::to_string(id) + " v1"), std::string::npos)
      << output;
  EXPECT_NE(output.find("record_hash_mismatch"), std::string::npos) << output;
  auto entries = client()
                     .get("/api/v1/audit?after=" + std::to_string(auditSize() - 2) + "&limit=2")
                     .json()
                     ->getArray("entries");
  EXPECT_EQ(entries->getObject(0)->getObject("entry")->getValue<std::string>("action"),
            "catalogue.create");
  EXPECT_EQ(entries->getObject(1)->getObject("entry")->getValue<std::string>("action"),
            "catalogue.update");
}

TEST_F(ProcedureApiTest, AnItemOnceRestrictedKeepsThatVersionFromThePublic) {
  const std::string year = std::to_string(thisYear());
  const std::int64_t id = item(
      R"({"org_unit":"branch-1","year":)" + year +
      R"(,"category":"DF","sub_item":6,"content":"查处违纪党员情况：张某某","scope":"restricted",)"
      R"("mode":"proactive","period":"immediate","time_limit_working_days":5,)"
      R"("channels":["meeting"],"responsible":"纪检委员"})");
  const std::string path = "/api/v1/catalogue/" + std::to_string(id);
  EXPECT_EQ(anonymous().get(path + "/versions").status, 404);
  ASSERT_EQ(archivist_
                ->request("PATCH", path, R"({"scope":"public","content":"查处违纪党员情况"})",
                          "application/json", {{"If-Match", "\"v1\""}})
                .status,
            200);
  const auto seen = anonymous().get(path + "/versions");
  ASSERT_EQ(seen.status, 200);
  const auto versions = seen.json()->getArray("versions");
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->getObject(0)->getValue<int>("version"), 2);
  EXPECT_EQ(seen.body.find("张某某"), std::string::npos);
  // Its own unit's archivist still sees both.
  EXPECT_EQ(archivist_->get(path + "/versions").json()->getArray("versions")->size(), 2u);
}

TEST_F(ProcedureApiTest, TheComplianceReportSetsPublicationsAgainstTheirWindows) {
  const std::string year = std::to_string(thisYear());
  const std::string twoYearsAgo = std::to_string(thisYear() - 2);
  const std::int64_t immediate =
      item(R"({"org_unit":"branch-1","year":)" + year +
           R"(,"category":"DF","content":"违纪处理结果","scope":"public","mode":"proactive",)"
           R"("period":"immediate","time_limit_working_days":5})");
  // A content a spreadsheet would run as a formula comes out inert.
  item(R"({"org_unit":"branch-1","year":)" + twoYearsAgo +
       R"(,"category":"ZZ","content":"=1+2","scope":"public","mode":"proactive",)"
       R"("period":"periodic",)"
       R"("rhythm":"quarterly","time_limit_working_days":10})");
  publishAnswer(immediate, "关于某某违纪处理结果的公示");
  // Answered now: the item keeps its unit and year, other changes make versions.
  const std::string itemPath = "/api/v1/catalogue/" + std::to_string(immediate);
  EXPECT_EQ(
      archivist_->request("PATCH", itemPath, R"({"year":)" + twoYearsAgo + "}", "application/json")
          .status,
      409);
  EXPECT_EQ(
      archivist_->request("PATCH", itemPath, R"({"responsible":"纪检委员"})", "application/json")
          .status,
      200);
  auto versions = anonymous().get(itemPath + "/versions");
  ASSERT_EQ(versions.status, 200) << versions.body;
  EXPECT_EQ(versions.json()->getArray("versions")->size(), 2u);
  EXPECT_EQ(anonymous().get("/api/v1/catalogue/999999/versions").status, 404);

  // Approved and published today: on time.
  auto report = archivist_->get("/api/v1/reports/compliance?org_unit=branch-1&year=" + year);
  ASSERT_EQ(report.status, 200) << report.body;
  auto items = report.json()->getArray("items");
  ASSERT_EQ(items->size(), 1u);
  auto windows = items->getObject(0)->getArray("windows");
  ASSERT_EQ(windows->size(), 1u);
  EXPECT_EQ(windows->getObject(0)->getValue<std::string>("outcome"), "on_time");
  EXPECT_EQ(windows->getObject(0)->getValue<std::string>("title"), "关于某某违纪处理结果的公示");
  auto summary = report.json()->getArray("summary");
  ASSERT_EQ(summary->size(), 1u);
  EXPECT_EQ(summary->getObject(0)->getValue<std::string>("name"), "党风廉政建设");
  EXPECT_EQ(summary->getObject(0)->getValue<double>("on_time_rate"), 1.0);

  // Two years ago nothing was published: every quarter is missing.
  auto old = archivist_->get("/api/v1/reports/compliance?org_unit=branch-1&year=" + twoYearsAgo);
  ASSERT_EQ(old.status, 200);
  auto quarters = old.json()->getArray("items")->getObject(0)->getArray("windows");
  ASSERT_EQ(quarters->size(), 4u);
  for (unsigned q = 0; q < 4; ++q)
    EXPECT_EQ(quarters->getObject(q)->getValue<std::string>("outcome"), "missing");

  // CSV, parsed back: a header and one row per window.
  auto csv = archivist_->get("/api/v1/reports/compliance?org_unit=branch-1&year=" + twoYearsAgo,
                             {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type").rfind("text/csv", 0), 0u);
  ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);  // a byte-order mark, for spreadsheets
  std::istringstream lines(csv.body.substr(3));
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].rfind("item_id,category,content,window,start,end,due,outcome", 0), 0u);
  EXPECT_NE(rows[1].find(twoYearsAgo + "-Q1," + twoYearsAgo + "-01-01," + twoYearsAgo + "-03-31,"),
            std::string::npos)
      << rows[1];
  EXPECT_NE(rows[4].find(",missing,"), std::string::npos) << rows[4];
  EXPECT_NE(rows[1].find(",\"'=1+2\","), std::string::npos) << rows[1];

  // Reports are for those with reports.read over the unit.
  EXPECT_EQ(anonymous().get("/api/v1/reports/compliance?org_unit=branch-1&year=" + year).status,
            401);
  EXPECT_EQ(archivist_->get("/api/v1/reports/compliance?org_unit=branch-2&year=" + year).status,
            403);
  EXPECT_EQ(archivist_->get("/api/v1/reports/compliance?org_unit=branch-1").status, 422);
  EXPECT_EQ(archivist_->get("/api/v1/reports/compliance?org_unit=branch-1&year=abc").status, 400);
  // The catalogue reads ?year= the same way: malformed or out of range is a 400, not every year.
  for (const char* bad : {"abc", "1899", "3000", "2024x", "99999999999999999999"}) {
    EXPECT_EQ(anonymous().get(std::string("/api/v1/catalogue?year=") + bad).status, 400) << bad;
  }
}

// A data folder written before migration 0013 (documents without their catalogue_item column):
// after the upgrade the column is filled from each document's current version, so the compliance
// report still finds the answers filed before, and the audit log still verifies.
TEST_F(ProcedureApiTest, ADataFolderFromBeforeTheCatalogueItemColumnKeepsItsAnswers) {
  const std::string year = std::to_string(thisYear());
  const std::int64_t answered =
      item(R"({"org_unit":"branch-1","year":)" + year +
           R"(,"category":"DF","content":"违纪处理结果","scope":"public","mode":"proactive",)"
           R"("period":"immediate","time_limit_working_days":5})");
  const std::int64_t other =
      item(R"({"org_unit":"branch-1","year":)" + year +
           R"(,"category":"DF","content":"另一事项","scope":"public","mode":"proactive",)"
           R"("period":"immediate","time_limit_working_days":5})");
  publishAnswer(answered, "升级前发布的答复");
  // A document first filed for `other`, then moved to no item: the backfill reads the current
  // version, not the first.
  const auto moved = archivist_->postJson(
      "/api/v1/documents", R"({"title":"改挂","category":"DF","org_unit":"branch-1",)"
                           R"("scope":"public","mode":"proactive","period":"immediate",)"
                           R"("catalogue_item":)" +
                               std::to_string(other) + "}");
  ASSERT_EQ(moved.status, 201) << moved.body;
  const std::int64_t movedId = moved.json()->getValue<Poco::Int64>("id");
  ASSERT_EQ(
      archivist_
          ->request("PATCH", "/api/v1/documents/" + std::to_string(movedId),
                    R"({"catalogue_item":null})", "application/json", {{"If-Match", "\"v1\""}})
          .status,
      200);
  const auto reportPath = "/api/v1/reports/compliance?org_unit=branch-1&year=" + year;
  const std::string before = archivist_->get(reportPath).body;

  // Back to schema 12, as an older server left the folder: what 0013 and later made is undone
  // (a later migration adds its undo here).
  server().stop();
  {
    auto database = openTestDatabase(dataDir());
    Poco::Data::Session& db = *database;
    using Poco::Data::Keywords::now;
    db << "DROP TABLE archive_receipts", now;  // 0018
    db << "DROP TABLE legal_holds", now;       // 0017
    db << "DROP TABLE dispositions", now;
    db << "DROP TABLE import_rows", now;  // 0016
    db << "DROP TABLE leases", now;       // 0015
    db << "ALTER TABLE jobs DROP COLUMN owner", now;
    db << "ALTER TABLE jobs DROP COLUMN attempts", now;
    db << "DROP INDEX documents_by_status", now;  // 0014
    db << "DROP INDEX documents_by_catalogue_item", now;
    db << "ALTER TABLE documents DROP COLUMN catalogue_item", now;
    db << "DELETE FROM schema_migrations WHERE version >= 13", now;
  }
  restart();
  archivist_ = std::make_unique<HttpClient>(anonymous().as(archivistToken_));

  {
    auto database = openTestDatabase(dataDir());
    Poco::Data::Session& db = *database;
    using namespace Poco::Data::Keywords;
    int columns = 0, filled = 0, movedFilled = 1;
    db << (testingPostgresql() ? "SELECT COUNT(*) FROM information_schema.columns "
                                 "WHERE table_name = 'documents' AND column_name = 'catalogue_item'"
                               : "SELECT COUNT(*) FROM pragma_table_info('documents') "
                                 "WHERE name = 'catalogue_item'"),
        into(columns), now;
    db << "SELECT COUNT(*) FROM documents WHERE catalogue_item = $1", bind(answered), into(filled),
        now;
    db << "SELECT COUNT(*) FROM documents WHERE id = $1 AND catalogue_item IS NOT NULL",
        bind(movedId), into(movedFilled), now;
    EXPECT_EQ(columns, 1);
    EXPECT_EQ(filled, 1);
    EXPECT_EQ(movedFilled, 0);
  }
  const auto after = archivist_->get(reportPath);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.body, before);
  EXPECT_NE(after.body.find("升级前发布的答复"), std::string::npos);
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
}

}  // namespace
}  // namespace gongkai::testing
