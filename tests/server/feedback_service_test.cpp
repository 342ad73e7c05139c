// The feedback service over a real store and the real policy files, with the clock injected:
// deadlines, due-soon and overdue as the days pass, the overdue list, the rate limit per address
// and its hour, receipts, and bad submissions storing nothing.
#include "gongkai/server/service/feedback_service.h"

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include "gongkai/core/json.h"
#include "gongkai/core/password.h"
#include "gongkai/server/http/case_json.h"
#include "gongkai/server/store/audit_repository.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::server {
namespace {

using gongkai::testing::TempDir;
using service::FeedbackService;

Poco::JSON::Object::Ptr json(const std::string& text) {
  auto parsed = core::parseJsonObject(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.value();
}

class FeedbackServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened =
        store::Store::open(temp_ / "data", gongkai::testing::testStoreOptions(temp_ / "data"));
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();
    auto loaded = service::loadPolicyFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(loaded.ok());
    policies_ = std::make_unique<service::PolicyService>(*store_, GONGKAI_POLICY_DIR,
                                                         std::move(loaded).value());
    limiter_ = std::make_unique<service::SubmissionLimiter>(3, [this] { return now_; });
    units_ = std::make_shared<policies::UnitTree>(
        std::map<std::string, std::string>{{"branch-1", ""}, {"branch-2", ""}});
    feedback_ = std::make_unique<FeedbackService>(
        *store_, *policies_, [this] { return policies::Authorizer(policies_->engine(), units_); },
        [](const std::string& unit) { return unit == "branch-1"; },
        [](const std::string& user) { return user == "handler1"; }, *limiter_,
        [this] { return now_; });
    setNow("2025-03-07T02:00:00Z");  // a Friday, 10:00 in Beijing
  }

  void setNow(const char* text) { now_ = *core::parseRfc3339(text); }

  core::Result<FeedbackService::Submitted> submit(const std::string& body,
                                                  const std::string& address = "192.0.2.1",
                                                  bool onBehalf = false) {
    service::Subject subject;
    subject.address = address;
    subject.system = onBehalf;  // the server entering a letter, as a handler would
    // Read as the API reads it, so what it refuses is refused here too.
    auto submission = http::parseFeedbackSubmission(json(body));
    if (!submission.ok()) return submission.error();
    return feedback_->submit(subject, submission.value());
  }

  core::Result<core::FeedbackRecord> step(const service::Subject& subject, std::int64_t id,
                                          const std::string& name, const std::string& body) {
    auto step = http::parseFeedbackStep(name, json(body));
    if (!step.ok()) return step.error();
    return feedback_->step(subject, id, step.value());
  }

  std::int64_t auditSize() {
    auto session = store_->read();
    return store::AuditRepository::size(*session);
  }

  TempDir temp_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::PolicyService> policies_;
  std::shared_ptr<const policies::UnitTree> units_;
  service::Subject server_ = [] {
    service::Subject s;
    s.system = true;
    return s;
  }();
  std::unique_ptr<service::SubmissionLimiter> limiter_;
  std::unique_ptr<FeedbackService> feedback_;
  core::TimePoint now_;
};

TEST_F(FeedbackServiceTest, DueSoonAndOverdueFollowTheClockAndTheOverdueListFindsIt) {
  auto made = submit(R"({"channel":"online","content":"建议公开党费使用明细"})");
  ASSERT_TRUE(made.ok()) << made.error().message;
  const auto record = made.value().record;
  EXPECT_EQ(record.deadline.toString(), "2025-03-21");
  EXPECT_EQ(auditSize(), 1);

  const auto overdueList = [&] {
    service::CaseQuery overdue;
    overdue.overdue = true;
    return feedback_->list(server_, overdue).value().items.size();
  };
  const auto at = [&](const char* when) {
    setNow(when);
    return feedback_->timeliness(feedback_->get(server_, record.id).value());
  };
  EXPECT_FALSE(at("2025-03-17T02:00:00Z").due_soon);
  EXPECT_TRUE(at("2025-03-18T02:00:00Z").due_soon);
  EXPECT_TRUE(at("2025-03-21T15:59:59Z").due_soon);  // 23:59:59 on the last day, Beijing time
  EXPECT_FALSE(at("2025-03-21T15:59:59Z").overdue);
  EXPECT_EQ(overdueList(), 0u);
  EXPECT_TRUE(at("2025-03-21T16:00:00Z").overdue);  // midnight: the next day has begun
  EXPECT_EQ(overdueList(), 1u);
  const auto current = feedback_->get(server_, record.id).value();
  const auto shown =
      http::feedbackJson(current, feedback_->timeliness(current), http::FeedbackView::kHandler);
  EXPECT_TRUE(shown->getValue<bool>("overdue"));

  // A handler who reads every case handles only those of its own units.
  service::Subject otherUnit;
  otherUnit.id = "handler2";
  otherUnit.principal =
      policies::Principal{9, "handler2", {{"inspector", ""}, {"archivist", "branch-2"}}};
  const auto refused =
      step(otherUnit, record.id, "assign", R"({"org_unit":"branch-1","handler":"handler1"})");
  EXPECT_EQ(refused.error().code, core::ErrorCode::kForbidden);
  // Answered late, it leaves the overdue list and says it was not on time.
  ASSERT_TRUE(
      step(server_, record.id, "assign", R"({"org_unit":"branch-1","handler":"handler1"})").ok());
  ASSERT_TRUE(step(server_, record.id, "answer", R"({"answer":"已公开"})").ok());
  EXPECT_EQ(overdueList(), 0u);
  const auto done = feedback_->timeliness(feedback_->get(server_, record.id).value());
  EXPECT_TRUE(done.finished);
  EXPECT_FALSE(done.answered_on_time);
  EXPECT_EQ(auditSize(), 3);
  EXPECT_EQ(feedback_->versions(server_, record.id).value().size(), 3u);
  // Versions are the case's too: a handler of another unit learns nothing of them.
  service::Subject branch2;
  branch2.id = "archivist2";
  branch2.principal = policies::Principal{10, "archivist2", {{"archivist", "branch-2"}}};
  EXPECT_EQ(feedback_->versions(branch2, record.id).error().code, core::ErrorCode::kNotFound);
}

TEST_F(FeedbackServiceTest, SubmissionsAreRateLimitedPerAddressForAnHour) {
  const std::string body = R"({"channel":"online","content":"意见"})";
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(submit(body).ok());
  auto refused = submit(body);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kTooManyRequests);
  EXPECT_TRUE(submit(body, "192.0.2.2").ok());        // another address
  EXPECT_TRUE(submit(body, "192.0.2.1", true).ok());  // a handler entering a letter
  setNow("2025-03-07T02:59:59Z");
  EXPECT_FALSE(submit(body).ok());
  setNow("2025-03-07T03:00:01Z");  // an hour after the first
  EXPECT_TRUE(submit(body).ok());
}

TEST_F(FeedbackServiceTest, BadSubmissionsStoreNothing) {
  const std::string big(10001, 'x');
  for (const std::string body :
       {std::string(R"({"content":"无渠道"})"),
        std::string(R"({"channel":"pigeon","content":"x"})"),
        std::string(R"({"channel":"online","content":"   "})"),
        std::string(R"({"channel":"online","content":")") + big + "\"}",
        std::string(R"({"channel":"online","content":"x","name":)") + "\"" + std::string(201, 'n') +
            "\"}",
        std::string(R"({"channel":"online","content":"x","extra":1})"),
        std::string(R"({"channel":"online","content":"bell\u0007"})"),
        std::string(R"({"channel":"online","content":"x","document_id":-3})"),
        std::string(
            R"({"channel":"online","content":"x","received_at":"2025-01-01T00:00:00Z"})")}) {
    auto refused = submit(body);
    ASSERT_FALSE(refused.ok()) << body;
    EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument) << body;
  }
  // Which channels exist is the service's rule: a submission made without http is held to it.
  service::FeedbackSubmission direct;
  direct.channel = "pigeon";
  direct.content = "x";
  service::Subject anyone;
  anyone.address = "192.0.2.2";
  const auto pigeon = feedback_->submit(anyone, direct);
  ASSERT_FALSE(pigeon.ok());
  ASSERT_EQ(pigeon.error().fields.size(), 1u);
  EXPECT_EQ(pigeon.error().reason, "invalid_feedback");
  EXPECT_EQ(pigeon.error().fields[0].field, "channel");
  EXPECT_EQ(pigeon.error().fields[0].code, "invalid_value");
  // So are the limits of its text.
  direct.channel = "online";
  direct.content = big;
  const auto tooLong = feedback_->submit(anyone, direct);
  ASSERT_FALSE(tooLong.ok());
  ASSERT_EQ(tooLong.error().fields.size(), 1u);
  EXPECT_EQ(tooLong.error().fields[0].field, "content");
  EXPECT_EQ(tooLong.error().fields[0].code, "too_long");
  EXPECT_EQ(auditSize(), 0);
  EXPECT_TRUE(feedback_->list(server_, service::CaseQuery{}).value().items.empty());
  // A handler may date a letter when it arrived, not in the future.
  EXPECT_TRUE(
      submit(R"({"channel":"letter","content":"来信","received_at":"2025-03-03T01:00:00Z"})",
             "192.0.2.9", true)
          .ok());
  EXPECT_FALSE(
      submit(R"({"channel":"letter","content":"来信","received_at":"2026-01-01T00:00:00Z"})",
             "192.0.2.9", true)
          .ok());
}

// The case reader once took `true` for the id 1, so feedback could concern document 1 unasked.
TEST_F(FeedbackServiceTest, ABooleanIsNoDocumentId) {
  auto refused = http::parseFeedbackSubmission(
      json(R"({"channel":"online","content":"x","document_id":true})"));
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "document_id");
  EXPECT_EQ(refused.error().fields[0].code, "wrong_type");
}

TEST_F(FeedbackServiceTest, TheReceiptFindsTheCaseWhateverTheCase) {
  auto made =
      submit(R"({"channel":"hotline","content":"热线意见","name":"张三","contact":"13800000000"})");
  ASSERT_TRUE(made.ok());
  const std::string code = made.value().receipt;
  EXPECT_TRUE(core::isWellFormedReceiptCode(code)) << code;
  EXPECT_EQ(feedback_->byReceipt(code).value().id, made.value().record.id);
  std::string lower;
  for (char c : code) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(feedback_->byReceipt(lower).value().id, made.value().record.id);
  EXPECT_EQ(feedback_->byReceipt("0000-0000-0000-0000").error().reason, "receipt_not_found");
  EXPECT_EQ(feedback_->byReceipt("../../etc").error().reason, "receipt_not_found");
  // The receipt view leaves out who raised it and who handles it.
  const auto& record = made.value().record;
  const auto view =
      http::feedbackJson(record, feedback_->timeliness(record), http::FeedbackView::kReceipt);
  EXPECT_FALSE(view->has("contact"));
  EXPECT_FALSE(view->has("name"));
  EXPECT_FALSE(view->has("handler"));
  // Steps are checked against units and users that exist.
  EXPECT_EQ(step(server_, record.id, "assign", R"({"org_unit":"nowhere","handler":"nobody"})")
                .error()
                .fields.size(),
            2u);
}

}  // namespace
}  // namespace gongkai::server
