// The feedback flow's rules against the real policy files: working-day deadlines across
// weekends, public holidays, adjusted working days and the new year (counted in China time),
// each step's guard, one extension only, and due-soon and overdue at their boundaries — with the
// day given, not read from a clock.
#include "gongkai/policies/feedback_flow.h"

#include <gtest/gtest.h>

namespace gongkai::policies {
namespace {

using core::FeedbackStatus;

core::Date day(const char* text) { return *core::parseDate(text); }
core::TimePoint at(const char* text) { return *core::parseRfc3339(text); }

class FeedbackFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    policies_ = std::move(loaded).value();
    ASSERT_EQ(limits().feedback_working_days, 10);
    ASSERT_EQ(limits().feedback_extension_working_days, 10);
    ASSERT_EQ(limits().due_soon_working_days, 3);
  }
  const TimeLimits& limits() const { return policies_.time_limits; }
  const WorkingCalendar& calendar() const { return policies_.calendar; }

  core::FeedbackRecord received(const char* when) {
    core::FeedbackRecord r;
    r.id = 1;
    r.version = 1;
    r.channel = "hotline";
    r.content = "党费收缴公示为何没有张贴？";
    r.received_at = at(when);
    r.deadline = feedbackDeadline(r.received_at, limits(), calendar());
    return r;
  }

  core::Result<core::FeedbackRecord> take(const core::FeedbackRecord& r, FeedbackStep step,
                                          const char* when = "2025-03-10T02:00:00Z") {
    return applyFeedbackStep(r, step, "handler1", at(when), limits(), calendar());
  }

  PolicySet policies_;
};

TEST_F(FeedbackFlowTest, DeadlineCountsWorkingDaysAcrossWeekendsHolidaysAndTheNewYear) {
  // Friday 7 March 2025: ten working days later is Friday 21 March (two weekends skipped).
  EXPECT_EQ(received("2025-03-07T02:00:00Z").deadline, day("2025-03-21"));
  // 01:00 on Friday in Beijing is still Thursday in UTC: the Chinese day counts.
  EXPECT_EQ(received("2025-03-06T17:00:00Z").deadline, day("2025-03-21"));
  EXPECT_EQ(received("2025-03-06T15:00:00Z").deadline, day("2025-03-20"));
  // 30 September 2025: National Day 1–8 October off, Saturday 11 October worked.
  EXPECT_EQ(received("2025-09-30T02:00:00Z").deadline, day("2025-10-21"));
  // New Year's Eve 2025: 1–3 January 2026 off, Sunday 4 January worked.
  EXPECT_EQ(received("2025-12-31T02:00:00Z").deadline, day("2026-01-15"));
}

TEST_F(FeedbackFlowTest, EachStepOnlyWhereTheFlowAllowsIt) {
  auto r = received("2025-03-07T02:00:00Z");
  EXPECT_EQ(take(r, {"start"}).error().reason, "invalid_transition");
  EXPECT_EQ(take(r, {"answer", "", "", "", "已张贴"}).error().reason, "invalid_transition");
  EXPECT_EQ(take(r, {"close"}).error().reason, "invalid_transition");
  EXPECT_EQ(take(r, {"assign", "", "handler1"}).error().fields.at(0).field, "org_unit");
  EXPECT_EQ(take(r, {"fly"}).error().reason, "unknown_step");

  auto assigned = take(r, {"assign", "branch-1", "handler1", "ZZ"});
  ASSERT_TRUE(assigned.ok());
  EXPECT_EQ(assigned.value().status, FeedbackStatus::kAssigned);
  EXPECT_EQ(assigned.value().org_unit, "branch-1");
  EXPECT_EQ(assigned.value().category, "ZZ");
  EXPECT_EQ(assigned.value().change, "feedback.assign");
  auto started = take(assigned.value(), {"start"});
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started.value().status, FeedbackStatus::kInProgress);
  EXPECT_EQ(take(started.value(), {"answer"}).error().fields.at(0).field, "answer");
  auto answered = take(started.value(), {"answer", "", "", "", "已在公开栏张贴", "补贴公示并登记"});
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered.value().status, FeedbackStatus::kAnswered);
  EXPECT_EQ(answered.value().rectification, "补贴公示并登记");
  EXPECT_EQ(take(answered.value(), {"extend", "", "", "", "", "", "", "忙"}).error().reason,
            "invalid_transition");
  EXPECT_EQ(take(answered.value(), {"close", "", "", "", "", "", "happy"}).error().reason,
            "invalid_step");
  auto closed = take(answered.value(), {"close", "", "", "", "", "", "satisfied"});
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed.value().status, FeedbackStatus::kClosed);
  EXPECT_EQ(closed.value().satisfaction, "satisfied");
  EXPECT_EQ(take(closed.value(), {"assign", "branch-1", "handler1"}).error().reason,
            "invalid_transition");
}

TEST_F(FeedbackFlowTest, TheDeadlineIsExtendedOnceWithAReason) {
  auto r = received("2025-03-07T02:00:00Z");
  EXPECT_EQ(take(r, {"extend"}).error().fields.at(0).field, "reason");
  auto extended = take(r, {"extend", "", "", "", "", "", "", "需外调核实"});
  ASSERT_TRUE(extended.ok());
  // Ten more working days after 21 March would be Friday 4 April, but Qingming (4–6 April) is
  // off: Monday 7 April.
  EXPECT_EQ(extended.value().deadline, day("2025-04-07"));
  EXPECT_EQ(extended.value().extension_reason, "需外调核实");
  EXPECT_EQ(take(extended.value(), {"extend", "", "", "", "", "", "", "再延"}).error().reason,
            "already_extended");

  // Not once the deadline has passed: that would rewrite the case's lateness.
  EXPECT_EQ(take(r, {"extend", "", "", "", "", "", "", "晚了"}, "2025-03-21T15:59:59Z")
                .value()
                .extension_reason,
            "晚了");
  EXPECT_EQ(
      take(r, {"extend", "", "", "", "", "", "", "晚了"}, "2025-03-21T16:00:00Z").error().reason,
      "deadline_passed");

  TimeLimits none = limits();
  none.feedback_extension_working_days = 0;
  EXPECT_EQ(applyFeedbackStep(r, {"extend", "", "", "", "", "", "", "需外调核实"}, "h",
                              at("2025-03-10T02:00:00Z"), none, calendar())
                .error()
                .reason,
            "extension_not_allowed");
}

TEST_F(FeedbackFlowTest, DueSoonAndOverdueAtTheirBoundaries) {
  const auto r = received("2025-03-07T02:00:00Z");  // due Friday 21 March
  const auto on = [&](const char* today) {
    return timelinessOf(r, day(today), limits(), calendar());
  };
  EXPECT_FALSE(on("2025-03-17").due_soon);  // four working days left
  EXPECT_EQ(on("2025-03-17").working_days_left, 4);
  EXPECT_TRUE(on("2025-03-18").due_soon);  // three left
  EXPECT_EQ(on("2025-03-18").working_days_left, 3);
  EXPECT_TRUE(on("2025-03-21").due_soon);  // the last day: due, not yet overdue
  EXPECT_FALSE(on("2025-03-21").overdue);
  EXPECT_TRUE(on("2025-03-22").overdue);  // the day after, a Saturday
  EXPECT_FALSE(on("2025-03-22").due_soon);
  EXPECT_LT(on("2025-03-24").working_days_left, 0);

  // Answered cases are neither; whether they were on time is kept.
  auto assigned = take(r, {"assign", "branch-1", "handler1"});
  auto late = take(assigned.value(), {"answer", "", "", "", "已答复"}, "2025-03-24T02:00:00Z");
  const auto done = timelinessOf(late.value(), day("2025-03-30"), limits(), calendar());
  EXPECT_TRUE(done.finished);
  EXPECT_FALSE(done.overdue);
  EXPECT_FALSE(done.answered_on_time);
  auto onTime = take(assigned.value(), {"answer", "", "", "", "已答复"}, "2025-03-21T09:00:00Z");
  EXPECT_TRUE(
      timelinessOf(onTime.value(), day("2025-03-30"), limits(), calendar()).answered_on_time);
}

}  // namespace
}  // namespace gongkai::policies
