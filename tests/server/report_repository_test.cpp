// The reports' SQL over a real store: the handling report counts past the 10,000 records the
// service used to read, each aggregate at its edges (empty, one unit, several, the China-time year
// boundary, on time against late against overdue), the compliance report's publications with
// visibility decided in the query, and the index that serves the public board.
#include "gongkai/server/store/report_repository.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/document.h"
#include "gongkai/core/feedback.h"
#include "gongkai/core/sha256.h"
#include "gongkai/policies/policy_set.h"
#include "gongkai/server/store/case_repository.h"
#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::server {
namespace {

using gongkai::testing::TempDir;
using store::ReportRepository;

core::TimePoint at(const std::string& text) { return *core::parseRfc3339(text); }
core::Date day(const std::string& text) { return *core::parseDate(text); }

class ReportRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened =
        store::Store::open(temp_ / "data", gongkai::testing::testStoreOptions(temp_ / "data"));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  // A feedback case received at `received` with a deadline; answered at `answered` when given.
  core::FeedbackRecord feedback(std::int64_t id, const std::string& unit,
                                const std::string& received, const std::string& deadline,
                                const std::optional<std::string>& answered,
                                core::FeedbackStatus status) {
    core::FeedbackRecord r;
    r.id = id;
    r.version = 1;
    r.channel = id % 2 == 0 ? "online" : "letter";
    r.received_at = at(received);
    r.content = "意见 " + std::to_string(id);
    r.org_unit = unit;
    r.status = status;
    r.deadline = day(deadline);
    if (answered) r.answered = core::Step{"handler", at(*answered)};
    r.receipt_sha256 = core::sha256Hex("receipt " + std::to_string(id));
    r.created_at = r.updated_at = r.received_at;
    return r;
  }

  // Stores version 1 of each record as `Repository` does (no audit entry: the reports read none).
  template <typename Repository, typename Record>
  void save(const std::vector<Record>& records) {
    auto saved = store_->write([&](store::Transaction& tx) -> core::Status {
      for (const auto& r : records) {
        const std::string canonical = core::canonicalRecord(r);
        Repository::saveVersion(tx, r, canonical, core::sha256Hex(canonical), 0);
      }
      return core::okStatus();
    });
    ASSERT_TRUE(saved.ok()) << saved.error().message;
  }
  void save(const std::vector<core::FeedbackRecord>& records) {
    save<store::FeedbackRepository>(records);
  }
  void save(const std::vector<core::DisclosureRequest>& records) {
    save<store::RequestRepository>(records);
  }
  void save(const core::DocumentVersion& v) { save<store::DocumentRepository>(std::vector{v}); }

  policies::HandlingCounts feedbackCounts(std::optional<std::vector<std::string>> units, int year,
                                          const std::string& today = "2026-06-01") {
    auto session = store_->read();
    return ReportRepository::feedbackCounts(*session, {std::move(units), year, day(today)});
  }

  TempDir temp_;
  std::unique_ptr<store::Store> store_;
};

int sum(const std::map<std::string, int>& counts) {
  int total = 0;
  for (const auto& [key, n] : counts) total += n;
  return total;
}

TEST_F(ReportRepositoryTest, CountsEveryCaseBeyondTenThousand) {
  // 10,050 cases in 2025, in two units: a third answered on time, a third closed after answering
  // late, a third still open past the deadline.
  constexpr int kCases = 10'050;
  std::vector<core::FeedbackRecord> records;
  for (int i = 1; i <= kCases; ++i) {
    const std::string unit = i % 2 == 0 ? "branch-1" : "branch-2";
    switch (i % 3) {
      case 0:
        records.push_back(feedback(i, unit, "2025-03-03T02:00:00Z", "2025-03-20",
                                   "2025-03-04T02:00:00Z", core::FeedbackStatus::kAnswered));
        break;
      case 1:
        records.push_back(feedback(i, unit, "2025-03-03T02:00:00Z", "2025-03-20",
                                   "2025-03-24T02:00:00Z", core::FeedbackStatus::kClosed));
        break;
      default:
        records.push_back(feedback(i, unit, "2025-03-03T02:00:00Z", "2025-03-20", std::nullopt,
                                   core::FeedbackStatus::kReceived));
    }
  }
  save(records);

  const auto all = feedbackCounts(std::nullopt, 2025);
  EXPECT_EQ(sum(all.by_status), kCases);
  EXPECT_EQ(all.by_status.at("answered"), kCases / 3);
  EXPECT_EQ(all.by_status.at("closed"), kCases / 3);
  EXPECT_EQ(all.by_status.at("received"), kCases / 3);
  EXPECT_EQ(all.by_kind.at("online"), kCases / 2);
  EXPECT_EQ(all.by_kind.at("letter"), kCases / 2);
  ASSERT_EQ(all.finished.size(), 2u);  // two day pairs, however many cases
  int finished = 0, onTime = 0;
  for (const auto& f : all.finished) {
    finished += f.count;
    onTime += f.on_time;
  }
  EXPECT_EQ(finished, 2 * kCases / 3);
  EXPECT_EQ(onTime, kCases / 3);
  ASSERT_EQ(all.overdue.size(), static_cast<std::size_t>(kCases / 3));
  EXPECT_EQ(all.overdue.front(), 2);  // oldest first
  EXPECT_EQ(all.overdue.back(), kCases - 1);

  const auto one = feedbackCounts(std::vector<std::string>{"branch-1"}, 2025);
  EXPECT_EQ(sum(one.by_status), kCases / 2);
  const auto both = feedbackCounts(std::vector<std::string>{"branch-1", "branch-2"}, 2025);
  EXPECT_EQ(sum(both.by_status), kCases);
  EXPECT_TRUE(feedbackCounts(std::vector<std::string>{}, 2025).by_status.empty());
}

TEST_F(ReportRepositoryTest, AnEmptyStoreCountsNothing) {
  const auto counts = feedbackCounts(std::nullopt, 2025);
  EXPECT_TRUE(counts.by_status.empty());
  EXPECT_TRUE(counts.by_kind.empty());
  EXPECT_TRUE(counts.finished.empty());
  EXPECT_TRUE(counts.overdue.empty());
  auto session = store_->read();
  const auto requests =
      ReportRepository::requestCounts(*session, {std::nullopt, 2025, day("2025-06-01")});
  EXPECT_TRUE(requests.by_status.empty());
  const auto report = policies::buildFeedbackReport(counts, requests, 2025, "", {});
  EXPECT_EQ(report.feedback.total, 0);
  EXPECT_EQ(report.feedback.on_time_rate, 0);
  EXPECT_EQ(report.feedback.average_working_days, 0);
}

TEST_F(ReportRepositoryTest, TheYearIsTheChinaDateReceived) {
  save(std::vector<core::FeedbackRecord>{
      // 2025-01-01 00:30 in Beijing: 2025.
      feedback(1, "branch-1", "2024-12-31T16:30:00Z", "2025-01-20", std::nullopt,
               core::FeedbackStatus::kReceived),
      // 2024-12-31 23:30 in Beijing: 2024.
      feedback(2, "branch-1", "2024-12-31T15:30:00Z", "2025-01-20", std::nullopt,
               core::FeedbackStatus::kReceived),
      // 2026-01-01 00:30 in Beijing: 2026.
      feedback(3, "branch-1", "2025-12-31T16:30:00Z", "2026-01-20", std::nullopt,
               core::FeedbackStatus::kReceived),
      feedback(4, "branch-2", "2025-07-01T02:00:00Z", "2025-07-20", std::nullopt,
               core::FeedbackStatus::kReceived),
  });
  const auto counts2025 = feedbackCounts(std::nullopt, 2025, "2025-07-10");
  EXPECT_EQ(sum(counts2025.by_status), 2);
  // Overdue against the day given: case 1's deadline has passed, case 4's has not.
  EXPECT_EQ(counts2025.overdue, std::vector<std::int64_t>{1});
  EXPECT_EQ(sum(feedbackCounts(std::nullopt, 2024).by_status), 1);
  EXPECT_EQ(sum(feedbackCounts(std::nullopt, 2026).by_status), 1);
  EXPECT_EQ(sum(feedbackCounts(std::vector<std::string>{"branch-2"}, 2025).by_status), 1);
}

TEST_F(ReportRepositoryTest, OnTimeIsAnsweredByTheDeadlineInChinaTime) {
  save(std::vector<core::FeedbackRecord>{
      // Answered at 23:30 in Beijing on the deadline: on time.
      feedback(1, "branch-1", "2025-03-03T02:00:00Z", "2025-03-10", "2025-03-10T15:30:00Z",
               core::FeedbackStatus::kAnswered),
      // Answered at 00:30 in Beijing the day after: late.
      feedback(2, "branch-1", "2025-03-03T02:00:00Z", "2025-03-10", "2025-03-10T16:30:00Z",
               core::FeedbackStatus::kAnswered),
      // Open past the deadline: overdue, not finished.
      feedback(3, "branch-1", "2025-03-03T02:00:00Z", "2025-03-10", std::nullopt,
               core::FeedbackStatus::kInProgress),
  });
  const auto counts = feedbackCounts(std::nullopt, 2025);
  int finished = 0, onTime = 0;
  for (const auto& f : counts.finished) {
    finished += f.count;
    onTime += f.on_time;
  }
  EXPECT_EQ(finished, 2);
  EXPECT_EQ(onTime, 1);
  EXPECT_EQ(counts.overdue, std::vector<std::int64_t>{3});
  auto loaded = policies::PolicySet::loadFolder(GONGKAI_POLICY_DIR);
  ASSERT_TRUE(loaded.ok());
  const auto report =
      policies::buildFeedbackReport(counts, {}, 2025, "branch-1", loaded.value().calendar);
  EXPECT_EQ(report.feedback.total, 3);
  EXPECT_EQ(report.feedback.on_time_rate, 0.5);
  // Monday 3 March to Monday 10 and to Tuesday 11 March: 5 and 6 working days.
  EXPECT_EQ(report.feedback.average_working_days, 5.5);
}

TEST_F(ReportRepositoryTest, ApplicationsCountByOutcomeAndUnit) {
  const auto request = [](std::int64_t id, const std::string& unit, const std::string& outcome,
                          const std::optional<std::string>& decided) {
    core::DisclosureRequest r;
    r.id = id;
    r.version = 1;
    r.applicant = "申请人";
    r.content = "申请公开 " + std::to_string(id);
    r.org_unit = unit;
    r.received_at = at("2025-04-01T02:00:00Z");
    r.acknowledge_by = day("2025-04-08");
    r.decide_by = day("2025-04-22");
    if (decided) {
      r.status = core::RequestStatus::kDecided;
      r.decided = core::Step{"handler", at(*decided)};
      r.outcome = outcome;
    }
    r.receipt_sha256 = core::sha256Hex("request " + std::to_string(id));
    r.created_at = r.updated_at = r.received_at;
    return r;
  };
  save(std::vector<core::DisclosureRequest>{
      request(1, "branch-1", "disclosed", "2025-04-10T02:00:00Z"),
      request(2, "branch-1", "not_disclosed", "2025-04-30T02:00:00Z"),
      request(3, "branch-2", "disclosed", "2025-04-11T02:00:00Z"),
      request(4, "branch-2", "", std::nullopt),
  });
  auto session = store_->read();
  const auto all =
      ReportRepository::requestCounts(*session, {std::nullopt, 2025, day("2025-06-01")});
  EXPECT_EQ(all.by_status, (std::map<std::string, int>{{"decided", 3}, {"received", 1}}));
  EXPECT_EQ(all.by_kind, (std::map<std::string, int>{{"disclosed", 2}, {"not_disclosed", 1}}));
  EXPECT_EQ(all.overdue, std::vector<std::int64_t>{4});
  int onTime = 0;
  for (const auto& f : all.finished) onTime += f.on_time;
  EXPECT_EQ(onTime, 2);
  const auto one = ReportRepository::requestCounts(
      *session, {std::vector<std::string>{"branch-1"}, 2025, day("2025-06-01")});
  EXPECT_EQ(one.by_kind, (std::map<std::string, int>{{"disclosed", 1}, {"not_disclosed", 1}}));
  EXPECT_TRUE(one.overdue.empty());
}

TEST_F(ReportRepositoryTest, PublicationsThatStillCountNamedOnlyWhereVisible) {
  const auto document = [](std::int64_t id, std::int64_t item, core::Scope scope,
                           core::DocumentStatus status) {
    core::DocumentVersion v;
    v.document_id = id;
    v.version = 1;
    v.metadata.title = "文件 " + std::to_string(id);
    v.metadata.category = "ZZ";
    v.metadata.org_unit = "branch-1";
    v.metadata.scope = scope;
    v.metadata.catalogue_item = item;
    v.status = status;
    v.created_by = v.updated_by = "archivist";
    v.created_at = v.updated_at = at("2025-05-01T02:00:00Z");
    if (status != core::DocumentStatus::kDraft) {
      v.disclosure.published = core::Step{"reviewer", at("2025-05-06T02:00:00Z")};
    }
    return v;
  };
  save(document(1, 7, core::Scope::kPublic, core::DocumentStatus::kPublished));
  auto reviewed = document(2, 7, core::Scope::kInternal, core::DocumentStatus::kPublished);
  reviewed.disclosure.reviewed = core::Step{"reviewer", at("2025-05-05T02:00:00Z")};
  reviewed.disclosure.confidentiality_reviewed = true;
  save(reviewed);
  auto withdrawn = document(3, 7, core::Scope::kPublic, core::DocumentStatus::kWithdrawn);
  withdrawn.disclosure.withdrawn = core::Step{"reviewer", at("2025-05-07T02:00:00Z")};
  save(withdrawn);
  save(document(4, 7, core::Scope::kPublic, core::DocumentStatus::kDraft));
  save(document(5, 8, core::Scope::kPublic, core::DocumentStatus::kPublished));
  save(document(6, 9, core::Scope::kPublic, core::DocumentStatus::kPublished));  // not asked for
  auto elsewhere = document(7, 7, core::Scope::kPublic, core::DocumentStatus::kPublished);
  elsewhere.metadata.org_unit = "branch-2";
  save(elsewhere);

  policies::Visibility publicOnly;
  publicOnly.clauses.push_back({{"public"}, {"published"}, std::nullopt});
  auto session = store_->read();
  const auto found = ReportRepository::publications(*session, "branch-1", {7, 8}, publicOnly);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].document_id, 5);  // newest document first
  EXPECT_EQ(found[0].catalogue_item, 8);
  EXPECT_TRUE(found[0].visible);
  EXPECT_EQ(found[1].document_id, 2);
  EXPECT_FALSE(found[1].visible);
  ASSERT_TRUE(found[1].approved_at);
  EXPECT_EQ(*found[1].approved_at, at("2025-05-05T02:00:00Z"));
  EXPECT_EQ(found[2].document_id, 1);
  EXPECT_EQ(found[2].title, "文件 1");
  EXPECT_TRUE(found[2].visible);
  EXPECT_FALSE(found[2].approved_at);
  EXPECT_EQ(found[2].published_at, at("2025-05-06T02:00:00Z"));

  policies::Visibility nothing;
  for (const auto& p : ReportRepository::publications(*session, "branch-1", {7, 8}, nothing))
    EXPECT_FALSE(p.visible);
  policies::Visibility everything;
  everything.everything = true;
  for (const auto& p : ReportRepository::publications(*session, "branch-1", {7, 8}, everything))
    EXPECT_TRUE(p.visible);
  EXPECT_TRUE(ReportRepository::publications(*session, "branch-1", {}, everything).empty());
}

// The public board's query (DocumentRepository::list with a status, maybe a unit, and the
// caller's visibility) is served by an index, not by reading every document.
TEST_F(ReportRepositoryTest, TheBoardQueryUsesAnIndex) {
  if (gongkai::testing::testingPostgresql()) GTEST_SKIP() << "reads SQLite's query plan";
  store_.reset();
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session session("SQLite", temp_ / "data/store.db");
  const auto plan = [&](const std::string& where) {
    std::vector<std::string> details;
    std::vector<int> ids, parents, unused;
    session << "EXPLAIN QUERY PLAN SELECT v.record FROM documents d JOIN document_versions v "
               "ON v.document_id = d.id AND v.version = d.current_version WHERE " +
                   where + " ORDER BY d.id DESC LIMIT 1000 OFFSET 0",
        Poco::Data::Keywords::into(ids), Poco::Data::Keywords::into(parents),
        Poco::Data::Keywords::into(unused), Poco::Data::Keywords::into(details),
        Poco::Data::Keywords::now;
    std::string all;
    for (const auto& d : details) all += d + "\n";
    return all;
  };
  const std::string visible =
      "((d.scope IN (SELECT value FROM json_each('[\"public\"]')) AND d.visible_status IN "
      "(SELECT value FROM json_each('[\"published\"]'))))";
  const std::string all = plan("d.status = 'published' AND " + visible);
  EXPECT_NE(all.find("documents_by_status"), std::string::npos) << all;
  const std::string oneUnit = plan("d.status = 'published' AND d.org_unit = 'b1' AND " + visible);
  EXPECT_NE(oneUnit.find("USING INDEX documents_by_status"), std::string::npos) << oneUnit;
}

}  // namespace
}  // namespace gongkai::server
