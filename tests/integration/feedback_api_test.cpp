// Feedback against the real server: an anonymous submission followed by its receipt code, the
// handling flow by a handler of the unit, contact details kept from members and the public, the
// rate limit per address, bad submissions storing nothing, and one extension only.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

class FeedbackApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    handler_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("handler1", "archivist", "branch-1")));
    otherHandler_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("handler2", "archivist", "branch-2")));
    member_ = std::make_unique<HttpClient>(anonymous().as(userWithRole("member1", "member")));
    inspector_ =
        std::make_unique<HttpClient>(anonymous().as(userWithRole("inspector1", "inspector")));
  }

  HttpResponse step(const HttpClient& as, std::int64_t id, const std::string& name,
                    const std::string& body = "") {
    return as.request("POST", "/api/v1/feedback/" + std::to_string(id) + "/" + name, body,
                      body.empty() ? "" : "application/json");
  }

  std::int64_t total(const std::string& query = "") {
    return client().get("/api/v1/feedback" + query).json()->getValue<Poco::Int64>("total");
  }

  std::unique_ptr<HttpClient> handler_, otherHandler_, member_, inspector_;
};

TEST_F(FeedbackApiTest, AnonymousSubmissionIsFollowedByItsReceiptAndAnswered) {
  const HttpClient visitor = anonymous();
  const auto made = visitor.postJson(
      "/api/v1/feedback",
      R"({"channel":"online","content":"建议把党费使用情况<b>按季度</b>公开","name":"李四",)"
      R"("contact":"lisi@example.cn"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const auto receipt = made.json()->getValue<std::string>("receipt");
  const auto id = made.json()->getValue<Poco::Int64>("id");
  EXPECT_EQ(made.header("location"), "/api/v1/feedback/receipt/" + receipt);
  EXPECT_FALSE(made.json()->getValue<std::string>("deadline").empty());

  // The person follows the case without an account; the text comes back exactly as typed.
  auto followed = visitor.get("/api/v1/feedback/receipt/" + receipt);
  ASSERT_EQ(followed.status, 200) << followed.body;
  EXPECT_EQ(followed.json()->getValue<std::string>("status"), "received");
  EXPECT_EQ(followed.json()->getValue<std::string>("content"),
            "建议把党费使用情况<b>按季度</b>公开");
  EXPECT_FALSE(followed.json()->has("contact"));
  EXPECT_FALSE(followed.json()->has("name"));
  EXPECT_EQ(followed.header("cache-control"), "no-store");
  EXPECT_EQ(visitor.get("/api/v1/feedback/receipt/AAAA-BBBB-CCCC-DDDD").status, 404);

  // Contact details: the public and members see no records; handlers and inspectors do.
  EXPECT_EQ(visitor.get("/api/v1/feedback/" + std::to_string(id)).status, 401);
  EXPECT_EQ(member_->get("/api/v1/feedback/" + std::to_string(id)).status, 403);
  EXPECT_EQ(member_->get("/api/v1/feedback").status, 403);
  const auto inspected = inspector_->get("/api/v1/feedback/" + std::to_string(id));
  ASSERT_EQ(inspected.status, 200);
  EXPECT_EQ(inspected.json()->getValue<std::string>("contact"), "lisi@example.cn");
  // Unassigned, it is the admin's to hand out; a unit's handler does not see it yet.
  EXPECT_EQ(handler_->get("/api/v1/feedback/" + std::to_string(id)).status, 404);
  EXPECT_EQ(step(*handler_, id, "start").status, 404);

  auto assigned = step(client(), id, "assign",
                       R"({"org_unit":"branch-1","handler":"handler1","category":"ZZ"})");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.json()->getValue<std::string>("status"), "assigned");
  EXPECT_EQ(handler_->get("/api/v1/feedback/" + std::to_string(id)).status, 200);
  EXPECT_EQ(otherHandler_->get("/api/v1/feedback/" + std::to_string(id)).status, 404);
  EXPECT_EQ(
      handler_->get("/api/v1/feedback?org_unit=branch-1").json()->getValue<Poco::Int64>("total"),
      1);
  // Handing it to another unit needs the right there too.
  EXPECT_EQ(step(*handler_, id, "assign", R"({"org_unit":"branch-2","handler":"handler2"})").status,
            403);

  EXPECT_EQ(step(*handler_, id, "close").status, 409);
  ASSERT_EQ(step(*handler_, id, "start").status, 200);
  EXPECT_EQ(step(*handler_, id, "answer", R"({"answer":""})").status, 422);
  const auto answered =
      step(*handler_, id, "answer",
           R"({"answer":"已决定按季度公开","rectification":"下季度起在公开栏张贴"})");
  ASSERT_EQ(answered.status, 200) << answered.body;
  ASSERT_EQ(step(*handler_, id, "close", R"({"satisfaction":"satisfied"})").status, 200);

  followed = visitor.get("/api/v1/feedback/receipt/" + receipt);
  EXPECT_EQ(followed.json()->getValue<std::string>("status"), "closed");
  EXPECT_EQ(followed.json()->getValue<std::string>("answer"), "已决定按季度公开");
  EXPECT_TRUE(followed.json()->getValue<bool>("answered_on_time"));
  EXPECT_FALSE(followed.json()->getValue<bool>("overdue"));

  // Every change is in the audit log.
  const auto audit = client().get("/api/v1/audit/entries?start=0&end=1000").body;
  for (const char* action : {"feedback.submit", "feedback.assign", "feedback.start",
                             "feedback.answer", "feedback.close"}) {
    EXPECT_NE(audit.find(action), std::string::npos) << action;
  }
}

TEST_F(FeedbackApiTest, TheAuditLogRecordsThePublicByPseudonymNotByAddress) {
  // The clients the log records for each submission, in order.
  const auto clientsOf = [&](const std::string& action) {
    std::vector<std::string> clients;
    auto entries = client().get("/api/v1/audit?limit=1000").json()->getArray("entries");
    for (unsigned i = 0; i < entries->size(); ++i) {
      auto entry = entries->getObject(i)->getObject("entry");
      if (entry->getValue<std::string>("action") == action)
        clients.push_back(entry->getValue<std::string>("client"));
    }
    return clients;
  };
  const std::string body = R"({"channel":"online","content":"意见"})";
  ASSERT_EQ(anonymous().postJson("/api/v1/feedback", body).status, 201);
  ASSERT_EQ(anonymous()
                .postJson("/api/v1/disclosure-requests",
                          R"({"applicant":"王五","content":"申请","contact":"x"})")
                .status,
            201);
  restart();  // the key is kept: the same address keeps its pseudonym
  ASSERT_EQ(anonymous().postJson("/api/v1/feedback", body).status, 201);
  ASSERT_EQ(
      client().postJson("/api/v1/feedback", R"({"channel":"letter","content":"来信"})").status,
      201);

  const auto feedback = clientsOf("feedback.submit");
  ASSERT_EQ(feedback.size(), 3u);
  EXPECT_EQ(feedback[0].rfind("anon-", 0), 0u) << feedback[0];
  EXPECT_EQ(feedback[0].size(), 21u);
  EXPECT_EQ(feedback[1], feedback[0]);
  EXPECT_EQ(feedback[2], "127.0.0.1");  // staff entering a letter are no member of the public
  EXPECT_EQ(clientsOf("request.submit"), std::vector<std::string>{feedback[0]});
  // Nowhere in the log is the public's address.
  const auto all = client().get("/api/v1/audit?limit=1000").json()->getArray("entries");
  for (unsigned i = 0; i < all->size(); ++i) {
    auto entry = all->getObject(i)->getObject("entry");
    if (entry->getValue<std::string>("actor") == "anonymous") {
      EXPECT_NE(entry->getValue<std::string>("client"), "127.0.0.1")
          << entry->getValue<std::string>("action");
    }
  }
  struct stat info {};
  ASSERT_EQ(::stat((dataDir() + "/keys/client-pseudonym.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
}

TEST_F(FeedbackApiTest, TheDeadlineIsExtendedOnceAndListsFilter) {
  const auto made =
      handler_->postJson("/api/v1/feedback", R"({"channel":"letter","content":"来信反映"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const auto id = made.json()->getValue<Poco::Int64>("id");
  ASSERT_EQ(step(client(), id, "assign", R"({"org_unit":"branch-1","handler":"handler1"})").status,
            200);
  const std::string before = handler_->get("/api/v1/feedback/" + std::to_string(id))
                                 .json()
                                 ->getValue<std::string>("deadline");
  // A step without a body, sent without even a Content-Length (as `curl -X POST` does).
  const std::string reply = client().raw("POST /api/v1/feedback/" + std::to_string(id) +
                                         "/start HTTP/1.1\r\nHost: localhost\r\n" + authLine() +
                                         "Connection: close\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply.substr(0, 300);
  EXPECT_EQ(step(*handler_, id, "extend", R"({})").status, 422);
  const auto extended = step(*handler_, id, "extend", R"({"reason":"需向上级核实"})");
  ASSERT_EQ(extended.status, 200) << extended.body;
  EXPECT_GT(extended.json()->getValue<std::string>("deadline"), before);
  EXPECT_TRUE(extended.json()->getValue<bool>("extended"));
  const auto again = step(*handler_, id, "extend", R"({"reason":"再次延期"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()->getValue<std::string>("code"), "already_extended");

  anonymous().postJson("/api/v1/feedback", R"({"channel":"hotline","content":"热线"})");
  EXPECT_EQ(total(), 2);
  EXPECT_EQ(total("?channel=hotline"), 1);
  EXPECT_EQ(total("?status=in_progress"), 1);
  EXPECT_EQ(total("?overdue=true"), 0);
  EXPECT_EQ(client().get("/api/v1/feedback?status=lost").status, 400);
  EXPECT_EQ(client().get("/api/v1/feedback?overdue=maybe").status, 400);
  EXPECT_EQ(step(*handler_, id, "fly").status, 404);
}

TEST_F(FeedbackApiTest, BadSubmissionsAreRefusedAndStoreNothing) {
  const HttpClient visitor = anonymous();
  const auto refuse = [&](const std::string& body, int status,
                          const std::string& type = "application/json") {
    const auto response = visitor.request("POST", "/api/v1/feedback", body, type);
    EXPECT_EQ(response.status, status) << body.substr(0, 80) << " → " << response.body;
  };
  refuse("{", 400);
  refuse("[]", 400);
  refuse(R"({"channel":"online"})", 422);
  refuse(R"({"channel":"online","content":1})", 422);
  refuse(R"({"channel":"telepathy","content":"x"})", 422);
  refuse(R"({"channel":"online","content":")" + std::string(10001, 'x') + "\"}", 422);
  refuse(R"({"channel":"online","content":")" + std::string(70000, 'x') + "\"}", 413);
  refuse(R"({"channel":"online","content":"x","document_id":999999})", 422);
  refuse(R"({"channel":"online","content":"x","received_at":"2020-01-01T00:00:00Z"})", 422);
  refuse(R"({"channel":"online","content":"\ud800"})", 400);
  refuse("channel=online&content=x", 415, "application/x-www-form-urlencoded");
  // A draft the visitor may not see is "no such document", not a hint that it exists.
  const auto draft = handler_->postJson(
      "/api/v1/documents",
      R"({"title":"内部草稿","category":"ZZ","org_unit":"branch-1","scope":"internal",)"
      R"("mode":"proactive","period":"standing"})");
  ASSERT_EQ(draft.status, 201);
  refuse(R"({"channel":"online","content":"x","document_id":)" +
             std::to_string(draft.json()->getValue<Poco::Int64>("id")) + "}",
         422);
  EXPECT_EQ(total(), 0);
}

TEST_F(FeedbackApiTest, SubmissionsAreRateLimitedPerAddress) {
  restart({"-D", "gongkai.feedback.submissions_per_hour=3"});
  const HttpClient visitor = anonymous();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        visitor.postJson("/api/v1/feedback", R"({"channel":"online","content":"意见"})").status,
        201);
  }
  const auto limited =
      visitor.postJson("/api/v1/feedback", R"({"channel":"online","content":"意见"})");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.json()->getValue<std::string>("code"), "too_many_submissions");
  // A handler entering letters about its unit is not limited.
  const HttpClient handler = anonymous().as(login("handler1", "pw-handler1-long-enough"));
  const auto doc = client().postJson("/api/v1/documents", sampleMetadata("一支部文件"));
  ASSERT_EQ(doc.status, 201);
  EXPECT_EQ(handler
                .postJson("/api/v1/feedback",
                          R"({"channel":"letter","content":"来信","document_id":)" +
                              std::to_string(doc.json()->getValue<Poco::Int64>("id")) + "}")
                .status,
            201);
  EXPECT_EQ(total(), 4);
}

TEST_F(FeedbackApiTest, ApplicationsForDisclosureAreDecidedAndLoggedWithoutTheApplicant) {
  const HttpClient visitor = anonymous();
  EXPECT_EQ(visitor.postJson("/api/v1/disclosure-requests", R"({"applicant":"王五","content":"x"})")
                .status,
            422);
  const auto made = visitor.postJson(
      "/api/v1/disclosure-requests",
      R"({"applicant":"王五","content":"申请公开党费使用情况","purpose":"了解支部工作",)"
      R"("contact":"wangwu@example.cn","org_unit":"branch-1"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string receipt = made.json()->getValue<std::string>("receipt");
  const std::string path =
      "/api/v1/disclosure-requests/" + std::to_string(made.json()->getValue<Poco::Int64>("id"));
  auto followed = visitor.get("/api/v1/disclosure-requests/receipt/" + receipt);
  ASSERT_EQ(followed.status, 200);
  EXPECT_EQ(followed.json()->getValue<std::string>("status"), "received");
  EXPECT_FALSE(followed.json()->has("applicant"));
  EXPECT_FALSE(followed.json()->has("contact"));
  EXPECT_EQ(member_->get(path).status, 403);
  EXPECT_EQ(inspector_->get(path).json()->getValue<std::string>("contact"), "wangwu@example.cn");

  EXPECT_EQ(member_->postJson(path + "/acknowledge", "{}").status, 403);
  ASSERT_EQ(handler_->request("POST", path + "/acknowledge", "", "").status, 200);
  ASSERT_EQ(handler_->postJson(path + "/extend", R"({"notice":"需征求第三方意见"})").status, 200);
  EXPECT_EQ(handler_->postJson(path + "/extend", R"({"notice":"再延"})").status, 409);

  // Only a published public document can be released.
  const auto draft = handler_->postJson(
      "/api/v1/documents",
      R"({"title":"党费使用情况","category":"ZZ","org_unit":"branch-1","scope":"public",)"
      R"("mode":"on_request","period":"immediate"})");
  ASSERT_EQ(draft.status, 201);
  const auto draftId = std::to_string(draft.json()->getValue<Poco::Int64>("id"));
  const auto refused = handler_->postJson(
      path + "/decision", R"({"outcome":"disclosed","document_ids":[)" + draftId + "]}");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(handler_->postJson(path + "/decision", R"({"outcome":"not_disclosed","reason":"随便"})")
                .status,
            422);
  const auto decided = handler_->postJson(
      path + "/decision",
      R"({"outcome":"not_disclosed","reason":"涉及个人隐私",)"
      R"("answer":"该信息涉及个人隐私，不予公开","public_summary":"申请公开党费使用明细"})");
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()->getValue<std::string>("status"), "decided");

  const auto log = visitor.get("/api/v1/disclosure-requests/log");
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(log.body.find("王五"), std::string::npos);
  EXPECT_EQ(log.body.find("wangwu"), std::string::npos);
  EXPECT_EQ(log.body.find("了解支部工作"), std::string::npos);
  EXPECT_EQ(log.json()->getValue<Poco::Int64>("total"), 1);
  const auto entry = log.json()->getArray("requests")->getObject(0);
  EXPECT_EQ(entry->getValue<std::string>("content"), "申请公开党费使用明细");  // the summary
  EXPECT_EQ(entry->getValue<std::string>("outcome"), "not_disclosed");
  EXPECT_EQ(entry->getValue<std::string>("reason"), "涉及个人隐私");
  EXPECT_TRUE(entry->getValue<bool>("decided_on_time"));
  EXPECT_FALSE(entry->has("answer"));  // written to the applicant, not released

  // Decided without a summary, nothing of the text reaches the public log.
  const auto second =
      visitor.postJson("/api/v1/disclosure-requests",
                       R"({"applicant":"李雷","content":"本人李雷申请公开本人入党材料",)"
                       R"("contact":"lilei@example.cn","org_unit":"branch-1"})");
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string secondPath =
      "/api/v1/disclosure-requests/" + std::to_string(second.json()->getValue<Poco::Int64>("id"));
  ASSERT_EQ(handler_
                ->postJson(secondPath + "/decision",
                           R"({"outcome":"not_disclosed","reason":"涉及个人隐私",)"
                           R"("answer":"李雷同志：不予公开"})")
                .status,
            200);
  const auto after = visitor.get("/api/v1/disclosure-requests/log");
  EXPECT_EQ(after.json()->getValue<Poco::Int64>("total"), 2);
  EXPECT_EQ(after.body.find("李雷"), std::string::npos) << after.body;
  const auto audit = client().get("/api/v1/audit/entries?start=0&end=1000").body;
  for (const char* action :
       {"request.submit", "request.acknowledge", "request.extend", "request.decision"}) {
    EXPECT_NE(audit.find(action), std::string::npos) << action;
  }
}

TEST_F(FeedbackApiTest, TheReportCountsWhatWasRecordedInJsonAndCsv) {
  const auto submit = [&](const std::string& channel) {
    const auto made = handler_->postJson("/api/v1/feedback",
                                         R"({"channel":")" + channel + R"(","content":"意见"})");
    EXPECT_EQ(made.status, 201) << made.body;
    return made.json()->getValue<Poco::Int64>("id");
  };
  const auto a = submit("hotline"), b = submit("hotline"), c = submit("letter");
  for (auto id : {a, b}) {
    ASSERT_EQ(
        step(client(), id, "assign", R"({"org_unit":"branch-1","handler":"handler1"})").status,
        200);
  }
  ASSERT_EQ(step(*handler_, a, "answer", R"({"answer":"已办"})").status, 200);
  ASSERT_EQ(step(client(), c, "assign", R"({"org_unit":"branch-2","handler":"handler2"})").status,
            200);
  const auto request = anonymous().postJson(
      "/api/v1/disclosure-requests", R"({"applicant":"赵六","content":"申请","contact":"x"})");
  ASSERT_EQ(request.status, 201);
  ASSERT_EQ(
      client()
          .postJson("/api/v1/disclosure-requests/" +
                        std::to_string(request.json()->getValue<Poco::Int64>("id")) + "/decision",
                    R"({"outcome":"not_held"})")
          .status,
      200);

  const auto whole = client().get("/api/v1/reports/feedback");
  ASSERT_EQ(whole.status, 200) << whole.body;
  const auto feedback = whole.json()->getObject("feedback");
  EXPECT_EQ(feedback->getValue<int>("total"), 3);
  EXPECT_EQ(feedback->getObject("by_channel")->getValue<int>("hotline"), 2);
  EXPECT_EQ(feedback->getObject("by_channel")->getValue<int>("letter"), 1);
  EXPECT_EQ(feedback->getObject("by_status")->getValue<int>("answered"), 1);
  EXPECT_EQ(feedback->getObject("by_status")->getValue<int>("assigned"), 2);
  EXPECT_EQ(feedback->getValue<int>("finished"), 1);
  EXPECT_EQ(feedback->getValue<int>("on_time"), 1);
  EXPECT_DOUBLE_EQ(feedback->getValue<double>("on_time_rate"), 1.0);
  EXPECT_EQ(feedback->getArray("overdue")->size(), 0u);
  const auto requests = whole.json()->getObject("requests");
  EXPECT_EQ(requests->getValue<int>("total"), 1);
  EXPECT_EQ(requests->getObject("by_outcome")->getValue<int>("not_held"), 1);

  // One unit: only its cases, and applications (which have no unit) are not counted.
  const auto unit = client().get("/api/v1/reports/feedback?org_unit=branch-1").json();
  EXPECT_EQ(unit->getObject("feedback")->getValue<int>("total"), 2);
  EXPECT_EQ(unit->getObject("requests")->getValue<int>("total"), 0);
  EXPECT_EQ(client().get("/api/v1/reports/feedback?org_unit=nowhere").status, 400);
  EXPECT_EQ(client().get("/api/v1/reports/feedback?year=1800").status, 400);
  EXPECT_EQ(client()
                .get("/api/v1/reports/feedback?year=2001")
                .json()
                ->getObject("feedback")
                ->getValue<int>("total"),
            0);

  // The CSV says the same, row by row.
  const auto csv = client().get("/api/v1/reports/feedback?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBFsection,measure,key,value\r\n", 0), 0u);
  EXPECT_NE(csv.body.find("feedback,total,,3\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("feedback,by_channel,hotline,2\r\n"), std::string::npos);
  EXPECT_NE(csv.body.find("feedback,on_time_rate,,1.0000\r\n"), std::string::npos);
  EXPECT_NE(csv.body.find("requests,by_outcome,not_held,1\r\n"), std::string::npos);
  EXPECT_EQ(member_->get("/api/v1/reports/feedback").status, 403);
}

TEST_F(FeedbackApiTest, FeedbackAndApplicationsAreSearchableByThoseWhoMaySeeThem) {
  const auto made = anonymous().postJson(
      "/api/v1/feedback", R"({"channel":"online","content":"建议公开电梯维修经费","name":"钱七",)"
                          R"("contact":"13812345678"})");
  ASSERT_EQ(made.status, 201);
  const auto id = made.json()->getValue<Poco::Int64>("id");
  ASSERT_EQ(step(client(), id, "assign", R"({"org_unit":"branch-1","handler":"handler1"})").status,
            200);
  ASSERT_EQ(step(*handler_, id, "answer", R"({"answer":"维修经费明细已在公开栏张贴"})").status,
            200);
  ASSERT_EQ(anonymous()
                .postJson("/api/v1/disclosure-requests",
                          R"({"applicant":"孙八","content":"申请公开食堂采购合同",)"
                          R"("contact":"sunba@example.cn","org_unit":"branch-1"})")
                .status,
            201);
  for (int i = 0;
       i < 200 &&
       client().get("/api/v1/search/status").json()->getValue<Poco::Int64>("pending_updates") > 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto hits = [&](const HttpClient& as, const std::string& query) {
    const auto response = as.get("/api/v1/search?q=" + query);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json()->getValue<Poco::Int64>("total");
  };
  const std::string q = "%E7%94%B5%E6%A2%AF%E7%BB%B4%E4%BF%AE";  // 电梯维修
  EXPECT_EQ(hits(client(), q), 1);
  EXPECT_EQ(hits(*inspector_, q), 1);
  EXPECT_EQ(hits(*handler_, q), 1);
  EXPECT_EQ(hits(*otherHandler_, q), 0);  // another unit's case
  EXPECT_EQ(hits(*member_, q), 0);
  EXPECT_EQ(hits(anonymous(), q), 0);
  // The answer is searchable too; names and contact details never are.
  EXPECT_EQ(hits(client(), "%E5%85%AC%E5%BC%80%E6%A0%8F"), 1);  // 公开栏
  EXPECT_EQ(hits(client(), "13812345678"), 0);
  EXPECT_EQ(hits(client(), "%E9%92%B1%E4%B8%83"), 0);  // 钱七
  EXPECT_EQ(hits(client(), "%E5%AD%99%E5%85%AB"), 0);  // 孙八
  // Applications: their unit's handlers and readers find them, by what was asked.
  const std::string contract = "%E9%87%87%E8%B4%AD%E5%90%88%E5%90%8C";  // 采购合同
  EXPECT_EQ(hits(*handler_, contract), 1);
  EXPECT_EQ(hits(*inspector_, contract), 1);
  EXPECT_EQ(hits(*otherHandler_, contract), 0);  // another unit's application
  EXPECT_EQ(hits(*member_, contract), 0);
  // The type tells them apart.
  const auto typed = client().get("/api/v1/search?q=" + q + "&type=feedback");
  ASSERT_EQ(typed.status, 200);
  const auto hit = typed.json()->getArray("hits")->getObject(0);
  EXPECT_EQ(hit->getValue<std::string>("type"), "feedback");
  EXPECT_EQ(hit->getValue<Poco::Int64>("id"), id);
  EXPECT_EQ(client()
                .get("/api/v1/search?q=" + q + "&type=document")
                .json()
                ->getValue<Poco::Int64>("total"),
            0);
  EXPECT_EQ(client().get("/api/v1/search?type=letter").status, 422);
  // A rebuild from the store finds them again.
  ASSERT_EQ(client().request("POST", "/api/v1/search/rebuild", "", "").status, 202);
  for (int i = 0;
       i < 200 && client().get("/api/v1/search/status").json()->getValue<bool>("rebuilding"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(hits(client(), q), 1);
  EXPECT_EQ(hits(*handler_, contract), 1);
}

TEST_F(FeedbackApiTest, VerifyLogCatchesAFeedbackRecordEditedBehindTheServer) {
  const auto made =
      anonymous().postJson("/api/v1/feedback", R"({"channel":"letter","content":"原始意见"})");
  ASSERT_EQ(made.status, 201);
  const auto id = made.json()->getValue<Poco::Int64>("id");
  ASSERT_EQ(anonymous()
                .postJson("/api/v1/disclosure-requests",
                          R"({"applicant":"吴十","content":"申请","contact":"x"})")
                .status,
            201);
  std::string output;
  ASSERT_EQ(verifyLog(output), 0) << output;
  EXPECT_NE(output.find("feedback versions checked): 1"), std::string::npos) << output;
  EXPECT_NE(output.find("disclosure_request versions checked): 1"), std::string::npos) << output;
  {
    *openTestDatabase(dataDir())
        << "UPDATE feedback_versions SET record = replace(record, '原始', '篡改')",
        Poco::Data::Keywords::now;
  }
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("feedback/" + std::to_string(id) + " v1"), std::string::npos) << output;
  EXPECT_NE(output.find("record_hash_mismatch"), std::string::npos) << output;
}

}  // namespace
}  // namespace gongkai::testing
