#include "gongkai/policies/compliance.h"

#include <gtest/gtest.h>

namespace gongkai::policies {
namespace {

class ComplianceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    calendar_ = loaded.value().calendar;
  }
  static Publication published(std::int64_t id, core::Date date,
                               std::optional<core::Date> approved = std::nullopt) {
    return Publication{id, "文件" + std::to_string(id), date, approved};
  }
  WorkingCalendar calendar_;
};

TEST_F(ComplianceTest, QuarterlyWindowsAcrossQingmingAndNationalDay) {
  const CatalogueEntry quarterly{1, "ZZ", "党费收缴情况", "periodic", Rhythm::kQuarterly, 5};
  const auto report = evaluateCompliance(
      {quarterly}, {{published(11, {2025, 4, 2}), published(13, {2025, 10, 15})}}, 2025, calendar_,
      core::Date{2025, 11, 1});
  ASSERT_EQ(report.size(), 1u);
  const auto& w = report[0].windows;
  ASSERT_EQ(w.size(), 4u);
  // Q1 ends on Monday 31 March; 4 April is Qingming: due Tuesday 8 April.
  EXPECT_EQ(w[0].label, "2025-Q1");
  EXPECT_EQ(w[0].due, (core::Date{2025, 4, 8}));
  EXPECT_EQ(w[0].outcome, Outcome::kOnTime);
  // Q2: nothing published, long past due.
  EXPECT_EQ(w[1].due, (core::Date{2025, 7, 7}));
  EXPECT_EQ(w[1].outcome, Outcome::kMissing);
  // Q3 ends on 30 September, just before the National Day holiday (1-8 October, with Saturday
  // 11 October a working day): due Tuesday 14 October; published the 15th, one working day late.
  EXPECT_EQ(w[2].due, (core::Date{2025, 10, 14}));
  EXPECT_EQ(w[2].outcome, Outcome::kLate);
  EXPECT_EQ(w[2].working_days_late, 1);
  ASSERT_TRUE(w[2].publication.has_value());
  EXPECT_EQ(w[2].publication->document_id, 13);
  // Q4 is not due yet.
  EXPECT_EQ(w[3].outcome, Outcome::kUpcoming);
}

TEST_F(ComplianceTest, MonthlyAcrossTheSpringFestivalAndImmediateItemsAfterApproval) {
  const CatalogueEntry monthly{2, "GB", "干部任免", "periodic", Rhythm::kMonthly, 3};
  const CatalogueEntry immediate{3, "DF", "违纪处理", "immediate", std::nullopt, 5};
  const CatalogueEntry standing{4, "LD", "领导班子分工", "standing", std::nullopt, 0};
  const auto report = evaluateCompliance({monthly, immediate, standing},
                                         {{published(21, {2025, 2, 5})},
                                          {published(31, {2025, 10, 13}, core::Date{2025, 9, 26}),
                                           published(32, {2025, 3, 3}, core::Date{2025, 3, 3})},
                                          {}},
                                         2025, calendar_, core::Date{2026, 1, 10});
  ASSERT_EQ(report.size(), 3u);
  // January ends on a Friday inside the Spring Festival break (28 Jan - 4 Feb): due 7 February.
  EXPECT_EQ(report[0].windows[0].due, (core::Date{2025, 2, 7}));
  EXPECT_EQ(report[0].windows[0].outcome, Outcome::kOnTime);
  EXPECT_EQ(report[0].windows.size(), 12u);
  EXPECT_EQ(report[0].windows[1].outcome, Outcome::kMissing);  // February: nothing
  // Approved Friday 26 September; Sunday 28 September is a working day; due 10 October;
  // published Monday the 13th: late by Saturday 11th (a working day) and Monday.
  const auto& late = report[1].windows[0].publication->document_id == 31 ? report[1].windows[0]
                                                                         : report[1].windows[1];
  EXPECT_EQ(late.due, (core::Date{2025, 10, 10}));
  EXPECT_EQ(late.outcome, Outcome::kLate);
  EXPECT_EQ(late.working_days_late, 2);
  // A standing item with nothing published all year is missing once the year is over.
  EXPECT_EQ(report[2].windows.size(), 1u);
  EXPECT_EQ(report[2].windows[0].outcome, Outcome::kMissing);

  const auto summary = summarise(report, 2025);
  ASSERT_EQ(summary.size(), 3u);  // DF, GB, LD
  EXPECT_EQ(summary[0].category, "DF");
  EXPECT_EQ(summary[0].disclosed_by_quarter[0], 1);
  EXPECT_EQ(summary[0].disclosed_by_quarter[3], 1);
  EXPECT_EQ(summary[0].windows_due, 2);
  EXPECT_EQ(summary[0].on_time, 1);
  EXPECT_EQ(summary[1].windows_due, 12);
  EXPECT_EQ(summary[1].on_time, 1);
}

TEST_F(ComplianceTest, ASaturdayAfterAFridayDueDateIsStillLate) {
  // June 2025 ends on a Monday; 5 working days later is Monday 7 July... use a yearly item due
  // on Friday instead: 2025 ends Wednesday 31 December, 2 working days later is Friday 2 January
  // 2026 (1 January is a holiday).
  const CatalogueEntry yearly{5, "DF", "年度情况", "periodic", Rhythm::kYearly, 2};
  const auto report = evaluateCompliance({yearly}, {{published(51, {2026, 1, 10})}}, 2025,
                                         calendar_, core::Date{2026, 2, 1});
  ASSERT_EQ(report[0].windows.size(), 1u);
  EXPECT_EQ(report[0].windows[0].outcome, Outcome::kLate);
  EXPECT_GE(report[0].windows[0].working_days_late, 1);
  // Counted in the summary only for the year it went out in.
  EXPECT_EQ(summarise(report, 2025)[0].disclosed_by_quarter[0], 0);
  EXPECT_EQ(summarise(report, 2026)[0].disclosed_by_quarter[0], 1);
}

TEST(Rhythm, NamesRoundTrip) {
  for (const char* name : {"monthly", "quarterly", "half_yearly", "yearly"}) {
    ASSERT_TRUE(parseRhythm(name).has_value()) << name;
    EXPECT_EQ(toString(*parseRhythm(name)), name);
  }
  EXPECT_FALSE(parseRhythm("weekly").has_value());
}

}  // namespace
}  // namespace gongkai::policies
