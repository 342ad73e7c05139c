// Cases belong to units (hardening issue, items 2 and 11): an application for disclosure is read
// and decided only by handlers of its unit, as feedback is; the handling report and the
// back-dating of letters keep to the caller's units; lists are paged and counted in the store.
#include <Poco/JSON/Array.h>

#include <chrono>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

class CaseUnitsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    branch1_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("handler1", "archivist", "branch-1")));
    branch2_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("handler2", "archivist", "branch-2")));
    committee_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("handler0", "reviewer", "committee")));
    inspector_ =
        std::make_unique<HttpClient>(anonymous().as(userWithRole("inspector1", "inspector")));
  }

  // Filed by the admin (a handler of every unit), so that many are not held up by the limit on
  // public submissions per address.
  std::int64_t apply(const std::string& unitField) {
    const auto made = client().postJson(
        "/api/v1/disclosure-requests",
        R"({"applicant":"王五","contact":"13800000000","content":"申请公开党费收缴情况")" +
            unitField + "}");
    EXPECT_EQ(made.status, 201) << made.body;
    return made.json()->getValue<Poco::Int64>("id");
  }

  static std::int64_t total(const HttpClient& as, const std::string& path) {
    const auto listed = as.get(path);
    EXPECT_EQ(listed.status, 200) << listed.body;
    return listed.status == 200 ? listed.json()->getValue<Poco::Int64>("total") : -1;
  }

  static HttpResponse step(const HttpClient& as, std::int64_t id, const std::string& name,
                           const std::string& body = "{}") {
    return as.postJson("/api/v1/disclosure-requests/" + std::to_string(id) + "/" + name, body);
  }

  std::unique_ptr<HttpClient> branch1_, branch2_, committee_, inspector_;
};

TEST_F(CaseUnitsTest, AnApplicationIsReadAndDecidedOnlyByItsUnit) {
  const auto toBranch1 = apply(R"(,"org_unit":"branch-1")");
  const auto unnamed = apply("");
  const std::string list = "/api/v1/disclosure-requests";

  // Lists: each handler sees the applications of the units its roles cover (with the units
  // under them); feedback.read and roles bound to no unit see all.
  EXPECT_EQ(total(*branch1_, list), 1);
  EXPECT_EQ(total(*branch2_, list), 0);
  EXPECT_EQ(total(*committee_, list), 1);
  EXPECT_EQ(total(*inspector_, list), 2);
  EXPECT_EQ(total(client(), list), 2);

  // One application: another unit's handler learns nothing, not even that it exists.
  const std::string one = list + "/" + std::to_string(toBranch1);
  EXPECT_EQ(branch2_->get(one).status, 404);
  const auto read = branch1_->get(one);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json()->getValue<std::string>("applicant"), "王五");
  EXPECT_EQ(read.json()->getValue<std::string>("org_unit"), "branch-1");
  EXPECT_EQ(branch1_->get(list + "/" + std::to_string(unnamed)).status, 404);

  // Deciding: only the unit's handlers.
  EXPECT_EQ(step(*branch2_, toBranch1, "acknowledge").status, 403);
  EXPECT_EQ(step(*branch1_, unnamed, "acknowledge").status, 403);
  EXPECT_EQ(step(*branch1_, toBranch1, "acknowledge").status, 200);

  // Handing over on acknowledgement needs the right to handle in the unit handed to.
  const auto another = apply(R"(,"org_unit":"branch-1")");
  EXPECT_EQ(step(*branch1_, another, "acknowledge", R"({"org_unit":"branch-2"})").status, 403);
  const auto handed = step(client(), unnamed, "acknowledge", R"({"org_unit":"branch-2"})");
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(handed.json()->getValue<std::string>("org_unit"), "branch-2");
  EXPECT_EQ(branch2_->get(list + "/" + std::to_string(unnamed)).status, 200);
  EXPECT_EQ(
      step(client(), unnamed, "extend", R"({"notice":"需要时间","org_unit":"branch-1"})").status,
      422);

  // An application to a unit that does not exist is refused, and nothing is filed.
  const auto unknown = anonymous().postJson(
      list, R"({"applicant":"王五","contact":"x","content":"申请","org_unit":"nowhere"})");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_NE(unknown.body.find("unknown_unit"), std::string::npos);
  // Nor a unit that is not a code at all: a number, or text past the length limit.
  for (const std::string& unit :
       std::vector<std::string>{"5", "\"" + std::string(65, 'u') + "\""}) {
    const auto refused = anonymous().postJson(
        list, R"({"applicant":"王五","contact":"x","content":"申请","org_unit":)" + unit + "}");
    EXPECT_EQ(refused.status, 422) << refused.body;
  }
  EXPECT_EQ(total(client(), list), 3);
}

TEST_F(CaseUnitsTest, SearchShowsHandlersOnlyTheApplicationsOfTheirUnits) {
  apply(R"(,"org_unit":"branch-1")");
  const std::string query =
      "/api/v1/search?q=" + std::string("%E5%85%9A%E8%B4%B9%E6%94%B6%E7%BC%B4");  // 党费收缴
  // The index catches up in the background; the unit's handler finds it once it has.
  std::int64_t found = 0;
  for (int i = 0; i < 100 && found == 0; ++i) {
    found = total(*branch1_, query);
    if (found == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(total(*branch2_, query), 0);
}

TEST_F(CaseUnitsTest, TheHandlingReportKeepsToTheCallersUnits) {
  apply(R"(,"org_unit":"branch-1")");
  apply(R"(,"org_unit":"branch-2")");
  for (const char* unit : {"branch-1", "branch-2", "branch-2"}) {
    const auto made =
        anonymous().postJson("/api/v1/feedback", R"({"channel":"online","content":"意见"})");
    ASSERT_EQ(made.status, 201);
    const auto id = made.json()->getValue<Poco::Int64>("id");
    ASSERT_EQ(client()
                  .postJson("/api/v1/feedback/" + std::to_string(id) + "/assign",
                            std::string(R"({"org_unit":")") + unit + R"(","handler":"handler)" +
                                unit[7] + "\"}")
                  .status,
              200);
  }
  const auto figures = [](const HttpResponse& report, const char* section) {
    EXPECT_EQ(report.status, 200) << report.body;
    return report.status == 200 ? report.json()->getObject(section)->getValue<int>("total") : -1;
  };
  const auto whole = client().get("/api/v1/reports/feedback");
  EXPECT_EQ(figures(whole, "feedback"), 3);
  EXPECT_EQ(figures(whole, "requests"), 2);
  // A unit-bound role reports on its own units, with or without naming one.
  const auto own = branch1_->get("/api/v1/reports/feedback");
  EXPECT_EQ(figures(own, "feedback"), 1);
  EXPECT_EQ(figures(own, "requests"), 1);
  EXPECT_EQ(figures(branch1_->get("/api/v1/reports/feedback?org_unit=branch-1"), "requests"), 1);
  EXPECT_EQ(branch1_->get("/api/v1/reports/feedback?org_unit=branch-2").status, 403);
  EXPECT_EQ(branch1_->get("/api/v1/reports/feedback?org_unit=committee").status, 403);
  EXPECT_EQ(figures(committee_->get("/api/v1/reports/feedback"), "feedback"), 3);
  EXPECT_EQ(figures(client().get("/api/v1/reports/feedback?org_unit=branch-2"), "feedback"), 2);
}

TEST_F(CaseUnitsTest, OnlyAUnitsHandlerBackDatesALetterForIt) {
  auto doc = client().postJson("/api/v1/documents", sampleMetadata("一支部文件"));
  ASSERT_EQ(doc.status, 201);
  const auto docId = doc.json()->getValue<Poco::Int64>("id");
  const std::string backDated =
      R"({"channel":"letter","content":"来信","received_at":"2025-03-03T01:00:00Z")";
  // About its own unit's document: entered as received on that day.
  const auto own = branch1_->postJson(
      "/api/v1/feedback", backDated + R"(,"document_id":)" + std::to_string(docId) + "}");
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(
      branch1_->get("/api/v1/feedback/" + std::to_string(own.json()->getValue<Poco::Int64>("id")))
          .json()
          ->getValue<std::string>("received_at"),
      "2025-03-03T01:00:00.000Z");
  // About nothing of its units (the case would belong to no unit it handles): a handler bound
  // to units may submit it as anyone may, but not back-date it.
  const auto unbound = branch1_->postJson("/api/v1/feedback", backDated + "}");
  EXPECT_EQ(unbound.status, 422) << unbound.body;
  EXPECT_NE(unbound.body.find("received_at"), std::string::npos);
  // A role bound to no unit may.
  EXPECT_EQ(client().postJson("/api/v1/feedback", backDated + "}").status, 201);
}

TEST_F(CaseUnitsTest, ListsArePagedAndCountedInTheStore) {
  for (int i = 0; i < 25; ++i) apply(R"(,"org_unit":"branch-1")");
  for (int i = 0; i < 5; ++i) apply(R"(,"org_unit":"branch-2")");
  const auto first = branch1_->get("/api/v1/disclosure-requests?per_page=10");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.json()->getValue<Poco::Int64>("total"), 25);
  EXPECT_EQ(first.json()->getArray("requests")->size(), 10u);
  const auto last = branch1_->get("/api/v1/disclosure-requests?per_page=10&page=3");
  EXPECT_EQ(last.json()->getArray("requests")->size(), 5u);
  // Newest first, and the pages do not overlap.
  const auto firstId =
      first.json()->getArray("requests")->getObject(0)->getValue<Poco::Int64>("id");
  const auto lastId = last.json()->getArray("requests")->getObject(4)->getValue<Poco::Int64>("id");
  EXPECT_GT(firstId, lastId);
  EXPECT_EQ(branch1_->get("/api/v1/disclosure-requests?per_page=101").status, 400);
  EXPECT_EQ(branch1_->get("/api/v1/disclosure-requests?page=0").status, 400);
  EXPECT_EQ(total(client(), "/api/v1/disclosure-requests?per_page=1"), 30);
}

}  // namespace
}  // namespace gongkai::testing
