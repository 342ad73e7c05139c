// Disclosure on request against the real policy files: the acknowledge and decide deadlines in
// working days, every decision type with its rules (a reason from the policy's list where it
// withholds, documents where it releases), one extension with notice, and lateness.
#include "gongkai/policies/request_flow.h"

#include <gtest/gtest.h>

namespace gongkai::policies {
namespace {

using core::RequestStatus;

core::Date day(const char* text) { return *core::parseDate(text); }
core::TimePoint at(const char* text) { return *core::parseRfc3339(text); }

class RequestFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    policies_ = std::move(loaded).value();
    request_.id = 1;
    request_.applicant = "王五";
    request_.content = "申请公开 2024 年党费使用情况";
    request_.received_at = at("2025-09-30T02:00:00Z");  // before National Day
    setRequestDeadlines(request_, limits(), calendar());
  }
  const TimeLimits& limits() const { return policies_.time_limits; }
  const WorkingCalendar& calendar() const { return policies_.calendar; }
  core::Result<core::DisclosureRequest> take(const core::DisclosureRequest& r, RequestStep step,
                                             const char* when = "2025-10-09T02:00:00Z") {
    return applyRequestStep(r, step, "handler1", at(when), limits(), calendar());
  }
  std::string aReason() const { return limits().refusal_reasons.at(1); }

  PolicySet policies_;
  core::DisclosureRequest request_;
};

TEST_F(RequestFlowTest, DeadlinesCountWorkingDaysFromThePolicy) {
  ASSERT_EQ(limits().request_acknowledge_working_days, 3);
  ASSERT_EQ(limits().request_working_days, 20);
  // 1–8 October off, Saturday 11 October worked: three working days → 11 October.
  EXPECT_EQ(request_.acknowledge_by, day("2025-10-11"));
  EXPECT_EQ(request_.decide_by, calendar().addWorkingDays(day("2025-09-30"), 20));
  EXPECT_EQ(request_.decide_by, day("2025-11-04"));
}

TEST_F(RequestFlowTest, EveryDecisionTypeWithItsRules) {
  auto acknowledged = take(request_, {"acknowledge"});
  ASSERT_TRUE(acknowledged.ok());
  EXPECT_EQ(acknowledged.value().status, RequestStatus::kAcknowledged);
  EXPECT_EQ(take(acknowledged.value(), {"acknowledge"}).error().reason, "invalid_transition");

  const auto decide = [&](const std::string& outcome, const std::string& reason,
                          std::vector<std::int64_t> documents) {
    RequestStep step{"decision", "", outcome, reason, "答复", std::move(documents)};
    return take(acknowledged.value(), step);
  };
  EXPECT_TRUE(decide("disclosed", "", {7}).ok());
  EXPECT_EQ(decide("disclosed", "", {}).error().fields.at(0).field, "document_ids");
  EXPECT_TRUE(decide("partly_disclosed", aReason(), {7}).ok());
  EXPECT_EQ(decide("partly_disclosed", "", {7}).error().fields.at(0).field, "reason");
  EXPECT_TRUE(decide("not_disclosed", aReason(), {}).ok());
  EXPECT_EQ(decide("not_disclosed", "看心情", {}).error().fields.at(0).code, "invalid_value");
  EXPECT_EQ(decide("not_disclosed", aReason(), {7}).error().fields.at(0).field, "document_ids");
  for (const char* outcome : {"does_not_exist", "not_held", "repeat"}) {
    auto decided = decide(outcome, "", {});
    ASSERT_TRUE(decided.ok()) << outcome;
    EXPECT_EQ(decided.value().status, RequestStatus::kDecided);
    EXPECT_EQ(decided.value().outcome, outcome);
    EXPECT_EQ(decided.value().change, "request.decision");
  }
  EXPECT_EQ(decide("maybe", "", {}).error().fields.at(0).field, "outcome");
  // The handler files it under a category, so the annual bundle takes it in.
  RequestStep filed{"decision", "", "repeat", "", "", {}, "ZZ"};
  EXPECT_EQ(take(acknowledged.value(), filed).value().category, "ZZ");
  // Once decided, nothing more.
  auto decided = decide("does_not_exist", "", {});
  EXPECT_EQ(take(decided.value(), {"decision", "", "disclosed", "", "", {1}}).error().reason,
            "invalid_transition");
  EXPECT_EQ(take(decided.value(), {"extend", "需要更多时间"}).error().reason, "invalid_transition");
}

TEST_F(RequestFlowTest, OneExtensionWithNoticeAndLateness) {
  EXPECT_EQ(take(request_, {"extend"}).error().fields.at(0).field, "notice");
  auto extended = take(request_, {"extend", "涉及第三方，需征求意见"});
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(extended.value().decide_by, calendar().addWorkingDays(request_.decide_by, 20));
  EXPECT_EQ(take(extended.value(), {"extend", "再延"}).error().reason, "already_extended");
  EXPECT_EQ(take(request_, {"extend", "晚了"}, "2025-11-05T02:00:00Z").error().reason,
            "deadline_passed");

  const auto on = [&](const core::DisclosureRequest& r, const char* today) {
    return timelinessOf(r, day(today), limits(), calendar());
  };
  EXPECT_FALSE(on(request_, "2025-11-04").overdue);
  EXPECT_TRUE(on(request_, "2025-11-04").due_soon);
  EXPECT_TRUE(on(request_, "2025-11-05").overdue);
  EXPECT_FALSE(on(extended.value(), "2025-11-05").overdue);
  auto late =
      take(request_, {"decision", "", "does_not_exist", "", "", {}}, "2025-11-06T02:00:00Z");
  EXPECT_FALSE(on(late.value(), "2025-11-10").answered_on_time);
  auto prompt =
      take(request_, {"decision", "", "does_not_exist", "", "", {}}, "2025-10-10T02:00:00Z");
  EXPECT_TRUE(on(prompt.value(), "2025-11-10").answered_on_time);
}

}  // namespace
}  // namespace gongkai::policies
