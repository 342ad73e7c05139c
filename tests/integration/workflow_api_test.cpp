// The disclosure procedure against the real server: each step by the role that may take it,
// refused for the others, the guards, what the public sees at each stage, and 档号 on archiving.
#include <Poco/JSON/Array.h>

#include <chrono>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

class WorkflowApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    archivist_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("archivist1", "archivist", "branch-1")));
    reviewer_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("reviewer1", "reviewer", "branch-1")));
    inspector_ =
        std::make_unique<HttpClient>(anonymous().as(userWithRole("inspector1", "inspector")));
  }

  // A draft of branch-1 filed by the archivist; returns its path.
  std::string file(const std::string& title, const std::string& scope = "public",
                   const std::string& category = "ZZ") {
    const auto made = archivist_->postMultipart(
        "/api/v1/documents",
        {{"metadata", "", "application/json",
          R"({"title":")" + title + R"(","category":")" + category +
              R"(","org_unit":"branch-1","scope":")" + scope +
              R"(","mode":"proactive","period":"standing","issued_at":"2023-03-01"})",
          ""},
         {"file", "正文.txt", "text/plain", title + "正文", ""}});
    EXPECT_EQ(made.status, 201) << made.body;
    return "/api/v1/documents/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
  }

  static HttpResponse step(const HttpClient& as, const std::string& path, const std::string& name,
                           const std::string& body = "") {
    return as.request("POST", path + "/" + name, body, body.empty() ? "" : "application/json");
  }

  static std::string statusOf(const HttpResponse& response) {
    return response.json()->getValue<std::string>("status");
  }

  // Drives a draft to published.
  void publish(const std::string& path) {
    ASSERT_EQ(step(*archivist_, path, "submit").status, 200);
    ASSERT_EQ(
        step(*reviewer_, path, "approve", R"({"confidentiality_reviewed":true,"opinion":"同意"})")
            .status,
        200);
    ASSERT_EQ(
        step(*reviewer_, path, "publish", R"({"channels":["bulletin_board","website"]})").status,
        200);
  }

  std::unique_ptr<HttpClient> archivist_, reviewer_, inspector_;
};

TEST_F(WorkflowApiTest, FromDraftToArchiveEachStepByItsRole) {
  const std::string doc = file("党费收缴情况公示");
  const HttpClient visitor = anonymous();
  EXPECT_EQ(visitor.get(doc).status, 404);  // a draft is not public

  // Submit: the archivist, not the reviewer's business; a submitted document is no longer edited.
  EXPECT_EQ(step(*reviewer_, doc, "submit").status, 403);
  auto submitted = step(*archivist_, doc, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(statusOf(submitted), "submitted");
  EXPECT_EQ(
      archivist_
          ->request("PATCH", doc, R"({"title":"改"})", "application/json", {{"If-Match", "*"}})
          .status,
      409);
  EXPECT_EQ(
      archivist_->postMultipart(doc + "/files", {{"file", "b.txt", "text/plain", "x", ""}}).status,
      409);

  // Approve: the reviewer, with the confidentiality review confirmed.
  EXPECT_EQ(step(*archivist_, doc, "approve", R"({"confidentiality_reviewed":true})").status, 403);
  EXPECT_EQ(step(*reviewer_, doc, "approve", R"({"opinion":"同意"})").status, 422);
  EXPECT_EQ(step(*reviewer_, doc, "approve", R"({"confidentiality_reviewed":false})").status, 422);
  auto approved =
      step(*reviewer_, doc, "approve", R"({"confidentiality_reviewed":true,"opinion":"同意公开"})");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(
      approved.json()->getObject("disclosure")->getObject("reviewed")->getValue<std::string>("by"),
      "reviewer1");
  EXPECT_EQ(visitor.get(doc).status, 404);  // approved is not yet published

  // Publish: through named channels; then the public sees it everywhere.
  EXPECT_EQ(step(*reviewer_, doc, "publish", R"({"channels":["television"]})").status, 422);
  auto published = step(*reviewer_, doc, "publish", R"({"channels":["bulletin_board"]})");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(statusOf(published), "published");
  EXPECT_EQ(visitor.get(doc).status, 200);
  EXPECT_EQ(visitor.get(doc + "/files/1").status, 200);
  auto board = visitor.get("/api/v1/board");
  ASSERT_EQ(board.status, 200) << board.body;
  ASSERT_EQ(board.json()->getArray("categories")->size(), 1u);
  EXPECT_EQ(board.json()->getArray("categories")->getObject(0)->getValue<std::string>("code"),
            "ZZ");
  EXPECT_EQ(visitor.get("/api/v1/documents").json()->getValue<int>("total"), 1);
  for (int i = 0;
       i < 100 && visitor.get("/api/v1/search?q=党费收缴").json()->getValue<int>("total") == 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(visitor.get("/api/v1/search?q=党费收缴").json()->getValue<int>("total"), 1);

  // Withdraw: with a reason; gone from the public, kept in the history for inspectors.
  EXPECT_EQ(step(*reviewer_, doc, "withdraw").status, 422);
  auto withdrawn = step(*reviewer_, doc, "withdraw", R"({"reason":"金额有误，更正后重新公开"})");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(visitor.get(doc).status, 404);
  EXPECT_EQ(visitor.get("/api/v1/board").json()->getArray("categories")->size(), 0u);
  for (int i = 0;
       i < 100 && visitor.get("/api/v1/search?q=党费收缴").json()->getValue<int>("total") != 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(visitor.get("/api/v1/search?q=党费收缴").json()->getValue<int>("total"), 0);
  auto versions = inspector_->get(doc + "/versions");
  ASSERT_EQ(versions.status, 200);
  EXPECT_EQ(versions.json()->getArray("versions")->size(), 5u);
  EXPECT_EQ(
      inspector_->get("/api/v1/search?q=党费收缴&history=true").json()->getValue<int>("total"), 5);

  // Archive: the archivist; the 档号 follows the policy's fonds, year, retention and category.
  EXPECT_EQ(step(*reviewer_, doc, "archive").status, 403);
  auto archived = step(*archivist_, doc, "archive");
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(statusOf(archived), "archived");
  EXPECT_EQ(archived.json()->getValue<std::string>("reference_code"), "J001-2023-Y-ZZ-0001");
  // Archived after it was withdrawn: still not public.
  EXPECT_EQ(visitor.get(doc).status, 404);
  EXPECT_EQ(visitor.get(doc + "/versions/4").status, 404);
  EXPECT_EQ(visitor.get("/api/v1/documents").json()->getValue<int>("total"), 0);
  // Archived is final.
  EXPECT_EQ(step(*archivist_, doc, "archive").status, 409);
  EXPECT_EQ(step(*archivist_, doc, "submit").status, 409);
  EXPECT_EQ(
      archivist_
          ->request("PATCH", doc, R"({"title":"改"})", "application/json", {{"If-Match", "*"}})
          .status,
      409);

  // Every step is an audit entry.
  auto entries = client()
                     .get("/api/v1/audit?after=" + std::to_string(auditSize() - 5) + "&limit=5")
                     .json()
                     ->getArray("entries");
  std::vector<std::string> actions;
  for (unsigned i = 0; i < entries->size(); ++i) {
    actions.push_back(entries->getObject(i)->getObject("entry")->getValue<std::string>("action"));
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"document.submit", "document.approve", "document.publish",
                                      "document.withdraw", "document.archive"}));
}

TEST_F(WorkflowApiTest, ReferenceCodesRunWithoutGapsPerSequence) {
  std::vector<std::string> codes;
  for (const auto& [title, retention] : std::vector<std::pair<std::string, std::string>>{
           {"一", ""}, {"二", ""}, {"三", R"({"retention":"D10"})"}, {"四", ""}}) {
    const std::string doc = file("归档" + title);
    publish(doc);
    auto archived = step(*archivist_, doc, "archive", retention);
    ASSERT_EQ(archived.status, 200) << archived.body;
    codes.push_back(archived.json()->getValue<std::string>("reference_code"));
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"J001-2023-Y-ZZ-0001", "J001-2023-Y-ZZ-0002",
                                             "J001-2023-D10-ZZ-0001", "J001-2023-Y-ZZ-0003"}));
  // A category whose policy default is D30 (SX, 党的思想建设).
  const std::string thought = file("学习计划", "public", "SX");
  publish(thought);
  EXPECT_EQ(step(*archivist_, thought, "archive").json()->getValue<std::string>("reference_code"),
            "J001-2023-D30-SX-0001");
}

TEST_F(WorkflowApiTest, GuardsRefuseSelfApprovalRestrictedPublicationAndStepsOutOfTurn) {
  // A reviewer who is also the archivist cannot approve their own submission.
  const HttpClient both = anonymous().as(userWithRole("both1", "archivist", "branch-1"));
  ASSERT_EQ(client()
                .request("PATCH", "/api/v1/users/both1",
                         R"({"roles":[{"role":"archivist","unit":"branch-1"},{"role":"reviewer",)"
                         R"("unit":"branch-1"}]})",
                         "application/json")
                .status,
            200);
  const auto own =
      both.postJson("/api/v1/documents",
                    R"({"title":"自审","category":"ZZ","org_unit":"branch-1","scope":"public",)"
                    R"("mode":"proactive","period":"standing"})");
  ASSERT_EQ(own.status, 201) << own.body;
  const std::string ownPath =
      "/api/v1/documents/" + std::to_string(own.json()->getValue<Poco::Int64>("id"));
  ASSERT_EQ(step(both, ownPath, "submit").status, 200);
  const auto self = step(both, ownPath, "approve", R"({"confidentiality_reviewed":true})");
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(self.json()->getValue<std::string>("code"), "self_approval");
  EXPECT_EQ(step(*reviewer_, ownPath, "approve", R"({"confidentiality_reviewed":true})").status,
            200);

  // A restricted document may be approved (for the record) but never published.
  const std::string secret = file("不宜公开事项", "restricted");
  ASSERT_EQ(step(*archivist_, secret, "submit").status, 200);
  ASSERT_EQ(step(*reviewer_, secret, "approve", R"({"confidentiality_reviewed":true})").status,
            200);
  const auto refused = step(*reviewer_, secret, "publish", R"({"channels":["website"]})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.json()->getValue<std::string>("code"), "restricted_not_publishable");
  // It goes to the archive straight from approval, and stays out of public sight.
  const auto kept = step(*archivist_, secret, "archive");
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(statusOf(kept), "archived");
  EXPECT_EQ(anonymous().get(secret).status, 404);

  // Rejection needs an opinion and sends the document back to draft, editable again.
  const std::string draft = file("需修改");
  EXPECT_EQ(step(*reviewer_, draft, "publish", R"({"channels":["website"]})").status,
            409);  // out of turn
  ASSERT_EQ(step(*archivist_, draft, "submit").status, 200);
  EXPECT_EQ(step(*reviewer_, draft, "reject").status, 422);
  const auto rejected = step(*reviewer_, draft, "reject", R"({"opinion":"请补充附件"})");
  ASSERT_EQ(rejected.status, 200);
  EXPECT_EQ(statusOf(rejected), "draft");
  EXPECT_EQ(archivist_
                ->request("PATCH", draft, R"({"summary":"已补充"})", "application/json",
                          {{"If-Match", "*"}})
                .status,
            200);

  // Hostile bodies and unknown steps.
  EXPECT_EQ(step(*archivist_, draft, "submit", R"({"extra":true})").status, 422);
  EXPECT_EQ(step(*archivist_, draft, "submit", "{not json").status, 400);
  EXPECT_EQ(archivist_->request("POST", draft + "/submit", "x", "text/plain").status, 415);
  EXPECT_EQ(step(*archivist_, draft, "fly").status, 404);
  EXPECT_EQ(step(*archivist_, "/api/v1/documents/999999", "submit").status, 404);
  // A stale If-Match is refused like any other change.
  EXPECT_EQ(archivist_->request("POST", draft + "/submit", "", "", {{"If-Match", "\"v1\""}}).status,
            412);
  // Members and the public never reach a draft's steps.
  const HttpClient member = anonymous().as(userWithRole("member1", "member"));
  EXPECT_EQ(step(member, draft, "submit").status, 404);
  EXPECT_EQ(step(anonymous(), draft, "submit").status, 404);
}

}  // namespace
}  // namespace gongkai::testing
