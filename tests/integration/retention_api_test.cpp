// Retention, disposition and legal holds against the real server: which archived records fall due
// (DA/T 22 periods counted from the end of their year), the two-person disposal, what stays and
// what goes, holds blocking it, and verify-log telling a disposed blob from a deleted one.
#include <Poco/JSON/Array.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

namespace fs = std::filesystem;

// This year in China time (UTC+8), as the server counts due dates.
int thisYear() {
  const std::time_t now = std::time(nullptr) + 8 * 3600;
  std::tm utc{};
  gmtime_r(&now, &utc);
  return utc.tm_year + 1900;
}

struct Archived {
  std::int64_t id = 0;
  std::string path;
  std::string sha256;
  std::int64_t file = 0;
};

class RetentionApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    archivist_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("archivist1", "archivist", "branch-1")));
    reviewer_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("reviewer1", "reviewer", "branch-1")));
    otherReviewer_ = std::make_unique<HttpClient>(
        anonymous().as(userWithRole("reviewer2", "reviewer", "branch-2")));
    inspector_ =
        std::make_unique<HttpClient>(anonymous().as(userWithRole("inspector1", "inspector")));
  }

  // A public record of branch-1 issued in `year`, taken through the procedure and archived with
  // `retention`, holding one file of its own contents.
  Archived archive(const std::string& title, int year, const std::string& retention,
                   const std::string& category = "ZZ", const std::string& body = "正文",
                   const std::string& fileName = "正文.txt",
                   const std::string& mediaType = "text/plain") {
    const auto made = archivist_->postMultipart(
        "/api/v1/documents", {{"metadata", "", "application/json",
                               R"({"title":")" + title + R"(","category":")" + category +
                                   R"(","org_unit":"branch-1","scope":"public","mode":"proactive",)"
                                   R"("period":"standing","issued_at":")" +
                                   std::to_string(year) + R"(-03-01"})",
                               ""},
                              {"file", fileName, mediaType, body, ""}});
    EXPECT_EQ(made.status, 201) << made.body;
    Archived out;
    out.id = made.json()->getValue<Poco::Int64>("id");
    out.path = "/api/v1/documents/" + std::to_string(out.id);
    auto file = made.json()->getArray("files")->getObject(0);
    out.sha256 = file->getValue<std::string>("sha256");
    out.file = file->getValue<Poco::Int64>("id");
    const auto step = [&](const HttpClient& as, const std::string& name, const std::string& body) {
      const auto answer =
          as.request("POST", out.path + "/" + name, body, body.empty() ? "" : "application/json");
      EXPECT_EQ(answer.status, 200) << name << ": " << answer.body;
    };
    step(*archivist_, "submit", "");
    step(*reviewer_, "approve", R"({"confidentiality_reviewed":true})");
    step(*reviewer_, "publish", R"({"channels":["bulletin_board"]})");
    step(*archivist_, "archive", R"({"retention":")" + retention + R"("})");
    return out;
  }

  static std::set<std::int64_t> dueIds(const HttpResponse& page) {
    std::set<std::int64_t> ids;
    auto items = page.json()->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      ids.insert(items->getObject(i)->getValue<Poco::Int64>("document_id"));
    }
    return ids;
  }

  static std::string codeOf(const HttpResponse& response) {
    return response.json()->getValue<std::string>("code");
  }

  static HttpResponse propose(const HttpClient& as, std::int64_t document,
                              const std::string& reason = "保管期限已满，经鉴定无继续保存价值") {
    return as.postJson(
        "/api/v1/retention/dispositions",
        R"({"document_id":)" + std::to_string(document) + R"(,"reason":")" + reason + R"("})");
  }

  static HttpResponse decide(const HttpClient& as, std::int64_t disposition,
                             const std::string& verb, const std::string& body = "") {
    return as.request("POST",
                      "/api/v1/retention/dispositions/" + std::to_string(disposition) + "/" + verb,
                      body, body.empty() ? "" : "application/json");
  }

  fs::path blobPath(const std::string& sha256) const {
    return fs::path(dataDir()) / "blobs" / sha256.substr(0, 2) / sha256;
  }

  std::unique_ptr<HttpClient> archivist_, reviewer_, otherReviewer_, inspector_;
};

TEST_F(RetentionApiTest, DueListCountsFromTheEndOfTheRecordsYear) {
  const int year = thisYear();
  // D10 of year Y is due on 1 January of Y + 11; D30 on 1 January of Y + 31; Y never.
  const Archived d10Due = archive("十年期已到期", year - 11, "D10");
  const Archived d10Kept = archive("十年期未到期", year - 10, "D10");
  const Archived d30Due = archive("三十年期已到期", year - 31, "D30", "DF");
  const Archived d30Kept = archive("三十年期未到期", year - 30, "D30");
  const Archived permanent = archive("永久保管", year - 60, "Y");

  const auto due = archivist_->get("/api/v1/retention/due");
  ASSERT_EQ(due.status, 200) << due.body;
  EXPECT_EQ(due.json()->getValue<int>("total"), 2);
  EXPECT_EQ(dueIds(due), (std::set<std::int64_t>{d10Due.id, d30Due.id}));
  // Oldest year first; the due day is the first of January after the period.
  auto first = due.json()->getArray("items")->getObject(0);
  EXPECT_EQ(first->getValue<Poco::Int64>("document_id"), d30Due.id);
  EXPECT_EQ(first->getValue<std::string>("due_on"), std::to_string(year) + "-01-01");
  EXPECT_EQ(first->getValue<std::string>("retention"), "D30");
  EXPECT_NE(first->getValue<std::string>("reference_code").find("-D30-DF-"), std::string::npos);
  EXPECT_TRUE(first->isNull("pending"));

  // Filters and paging.
  EXPECT_EQ(dueIds(archivist_->get("/api/v1/retention/due?year=" + std::to_string(year - 11))),
            (std::set<std::int64_t>{d10Due.id}));
  EXPECT_EQ(dueIds(archivist_->get("/api/v1/retention/due?category=DF")),
            (std::set<std::int64_t>{d30Due.id}));
  const auto paged = archivist_->get("/api/v1/retention/due?per_page=1&page=2");
  EXPECT_EQ(paged.json()->getValue<int>("total"), 2);
  EXPECT_EQ(dueIds(paged), (std::set<std::int64_t>{d10Due.id}));
  EXPECT_EQ(archivist_->get("/api/v1/retention/due?year=1800").status, 400);

  // Each unit's reviewers see their own; roles without retention.read see nothing.
  EXPECT_EQ(reviewer_->get("/api/v1/retention/due").json()->getValue<int>("total"), 2);
  EXPECT_EQ(otherReviewer_->get("/api/v1/retention/due").json()->getValue<int>("total"), 0);
  EXPECT_EQ(inspector_->get("/api/v1/retention/due").json()->getValue<int>("total"), 2);
  EXPECT_EQ(anonymous().get("/api/v1/retention/due").status, 401);

  // What is not due cannot be proposed either.
  EXPECT_EQ(codeOf(propose(*archivist_, d10Kept.id)), "not_due");
  EXPECT_EQ(codeOf(propose(*archivist_, d30Kept.id)), "not_due");
  EXPECT_EQ(codeOf(propose(*archivist_, permanent.id)), "permanent_retention");
}

TEST_F(RetentionApiTest, TwoPeopleDisposeTheFilesGoAndTheRecordStays) {
  const int year = thisYear();
  const Archived record = archive("二〇一三年党费收缴公示", year - 12, "D10", "ZZ", "鹦鹉螺");
  const Archived kept = archive("仍在期限内", year - 2, "D10");

  // Its file's words are found in the history before, and never after.
  const auto historyHits = [&] {
    return inspector_->get("/api/v1/search?q=鹦鹉螺&history=true").json()->getValue<int>("total");
  };
  for (int i = 0; i < 100 && historyHits() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(historyHits(), 0);

  // Bad input: problem+json with a stable code.
  auto missing = archivist_->postJson("/api/v1/retention/dispositions",
                                      R"({"document_id":)" + std::to_string(record.id) + "}");
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(missing.header("content-type").rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(codeOf(missing), "missing_field");
  auto tooLong = propose(*archivist_, record.id, std::string(4001, 'x'));
  EXPECT_EQ(tooLong.status, 422);
  EXPECT_EQ(codeOf(tooLong), "text_too_long");
  EXPECT_EQ(propose(*archivist_, 999999).status, 404);
  EXPECT_EQ(archivist_->postJson("/api/v1/retention/dispositions", R"({"reason":"x"})").status,
            422);
  EXPECT_EQ(archivist_->postJson("/api/v1/retention/dispositions", "{").status, 400);
  EXPECT_EQ(decide(*reviewer_, 999999, "approve").status, 404);

  // Proposing takes retention.propose: not a reviewer's.
  EXPECT_EQ(propose(*reviewer_, record.id).status, 403);
  auto proposed = propose(*archivist_, record.id);
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const std::int64_t id = proposed.json()->getValue<Poco::Int64>("id");
  EXPECT_EQ(proposed.json()->getValue<std::string>("state"), "proposed");
  EXPECT_EQ(proposed.json()->getValue<std::string>("proposed_by"), "archivist1");
  EXPECT_EQ(codeOf(propose(*archivist_, record.id)), "disposition_pending");
  auto listed = reviewer_->get("/api/v1/retention/due");
  EXPECT_EQ(
      listed.json()->getArray("items")->getObject(0)->getObject("pending")->getValue<int>("id"),
      id);

  // Approving takes retention.approve in the record's unit.
  EXPECT_EQ(decide(*archivist_, id, "approve").status, 403);
  EXPECT_EQ(decide(*inspector_, id, "approve").status, 403);
  // Another unit's reviewer sees the public record but may not decide on it.
  EXPECT_EQ(decide(*otherReviewer_, id, "approve").status, 403);
  ASSERT_TRUE(fs::exists(blobPath(record.sha256)));
  auto approved = decide(*reviewer_, id, "approve", R"({"note":"同意销毁"})");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()->getValue<std::string>("state"), "approved");
  EXPECT_EQ(approved.json()->getValue<std::string>("decided_by"), "reviewer1");
  EXPECT_EQ(decide(*reviewer_, id, "approve").status, 409);

  // The files are gone; the record, who proposed and approved it, and why, stay.
  EXPECT_FALSE(fs::exists(blobPath(record.sha256)));
  auto download = archivist_->get(record.path + "/files/" + std::to_string(record.file));
  EXPECT_EQ(download.status, 410) << download.body;
  EXPECT_EQ(codeOf(download), "disposed");
  auto after = inspector_->get(record.path);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json()->getValue<std::string>("status"), "disposed");
  EXPECT_EQ(after.json()->getValue<std::string>("title"), "二〇一三年党费收缴公示");
  auto disposed = after.json()->getObject("disclosure")->getObject("disposed");
  EXPECT_EQ(disposed->getObject("proposed")->getValue<std::string>("by"), "archivist1");
  EXPECT_EQ(disposed->getObject("approved")->getValue<std::string>("by"), "reviewer1");
  EXPECT_EQ(disposed->getValue<std::string>("reason"), "保管期限已满，经鉴定无继续保存价值");
  ASSERT_EQ(disposed->getArray("removed_blobs")->size(), 1u);
  EXPECT_EQ(disposed->getArray("removed_blobs")->getElement<std::string>(0), record.sha256);
  // The public no longer sees it; it is off the due list.
  EXPECT_EQ(anonymous().get(record.path).status, 404);
  EXPECT_EQ(archivist_->get("/api/v1/retention/due").json()->getValue<int>("total"), 0);
  EXPECT_EQ(codeOf(propose(*archivist_, record.id)), "already_disposed");
  for (int i = 0; i < 100 && historyHits() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(historyHits(), 0);

  // The audit log holds the tombstone and the decision.
  auto timeline =
      inspector_->get("/api/v1/audit?object_type=document&object_id=" + std::to_string(record.id));
  auto entries = timeline.json()->getArray("entries");
  const auto last = entries->getObject(entries->size() - 1)->getObject("entry");
  EXPECT_EQ(last->getValue<std::string>("action"), "document.dispose");
  auto decisions =
      inspector_->get("/api/v1/audit?object_type=disposition&object_id=" + std::to_string(id));
  EXPECT_EQ(decisions.json()->getArray("entries")->size(), 2u);

  // verify-log --hash-blobs: the disposed blob is accounted for by its tombstone...
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
  EXPECT_NE(output.find("blobs disposed of"), std::string::npos) << output;
  // ...but a blob deleted by hand, with no tombstone, is still a fault.
  fs::remove(blobPath(kept.sha256));
  EXPECT_EQ(verifyLog(output), 1) << output;
  EXPECT_NE(output.find("blob_missing"), std::string::npos) << output;
}

TEST_F(RetentionApiTest, NobodyApprovesTheirOwnProposalAndRejectingNeedsANote) {
  const Archived record = archive("本人不能审批", thisYear() - 15, "D10");
  // The admin holds both permissions, and still needs a second person.
  auto proposed = propose(client(), record.id);
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const std::int64_t id = proposed.json()->getValue<Poco::Int64>("id");
  auto self = decide(client(), id, "approve");
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(codeOf(self), "self_approval");

  auto noNote = decide(*reviewer_, id, "reject");
  EXPECT_EQ(noNote.status, 422);
  EXPECT_EQ(codeOf(noNote), "missing_field");
  auto rejected = decide(*reviewer_, id, "reject", R"({"note":"尚有查考价值，延长保管"})");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(rejected.json()->getValue<std::string>("state"), "rejected");
  EXPECT_EQ(inspector_->get(record.path).json()->getValue<std::string>("status"), "archived");
  EXPECT_EQ(archivist_->get(record.path + "/files/" + std::to_string(record.file)).status, 200);
  auto all = archivist_->get("/api/v1/retention/dispositions?state=rejected");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json()->getValue<int>("total"), 1);
  EXPECT_EQ(archivist_->get("/api/v1/retention/dispositions?state=lost").status, 422);
  EXPECT_EQ(archivist_->get("/api/v1/retention/dispositions/" + std::to_string(id)).status, 200);
  EXPECT_EQ(otherReviewer_->get("/api/v1/retention/dispositions/" + std::to_string(id)).status,
            404);
  // Rejected, it may be proposed again.
  EXPECT_EQ(propose(*archivist_, record.id).status, 201);
}

TEST_F(RetentionApiTest, LegalHoldsBlockDispositionUntilAnInspectorReleasesThem) {
  const int year = thisYear();
  const Archived record = archive("纪检核查中的档案", year - 20, "D10");
  const std::string document = std::to_string(record.id);

  // Bad input and the wrong role.
  EXPECT_EQ(codeOf(inspector_->postJson("/api/v1/retention/holds", R"({"reason":"核查"})")),
            "hold_target_required");
  EXPECT_EQ(codeOf(inspector_->postJson("/api/v1/retention/holds",
                                        R"({"document_id":)" + document + "}")),
            "missing_field");
  EXPECT_EQ(codeOf(inspector_->postJson("/api/v1/retention/holds",
                                        R"({"org_unit":"nowhere","reason":"核查"})")),
            "unknown_unit");
  EXPECT_EQ(
      inspector_->postJson("/api/v1/retention/holds", R"({"document_id":999999,"reason":"x"})")
          .status,
      422);
  const std::string onDocument = R"({"document_id":)" + document + R"(,"reason":"信访核查"})";
  EXPECT_EQ(archivist_->postJson("/api/v1/retention/holds", onDocument).status, 403);

  auto held = inspector_->postJson("/api/v1/retention/holds", onDocument);
  ASSERT_EQ(held.status, 201) << held.body;
  const std::int64_t hold = held.json()->getValue<Poco::Int64>("id");
  EXPECT_TRUE(held.json()->getValue<bool>("active"));
  EXPECT_EQ(archivist_->get("/api/v1/retention/due").json()->getValue<int>("total"), 0);
  auto refused = propose(*archivist_, record.id);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(codeOf(refused), "on_legal_hold");
  auto holds = archivist_->get("/api/v1/retention/holds?active=true");
  ASSERT_EQ(holds.status, 200) << holds.body;
  EXPECT_EQ(holds.json()->getValue<int>("total"), 1);

  // Released only by an inspector, with a reason, once.
  const std::string release = "/api/v1/retention/holds/" + std::to_string(hold) + "/release";
  EXPECT_EQ(archivist_->postJson(release, R"({"reason":"核查结束"})").status, 403);
  EXPECT_EQ(codeOf(inspector_->postJson(release, "{}")), "missing_field");
  auto released = inspector_->postJson(release, R"({"reason":"核查结束"})");
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_FALSE(released.json()->getValue<bool>("active"));
  EXPECT_EQ(released.json()->getValue<std::string>("released_by"), "inspector1");
  EXPECT_EQ(codeOf(inspector_->postJson(release, R"({"reason":"再次"})")), "hold_released");
  EXPECT_EQ(
      inspector_->postJson("/api/v1/retention/holds/999999/release", R"({"reason":"x"})").status,
      404);

  // Proposed again; a scope hold placed meanwhile stops the approval.
  auto proposed = propose(*archivist_, record.id);
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const std::int64_t id = proposed.json()->getValue<Poco::Int64>("id");
  auto scope = inspector_->postJson(
      "/api/v1/retention/holds",
      R"({"org_unit":"branch-1","year":)" + std::to_string(year - 20) + R"(,"reason":"专项检查"})");
  ASSERT_EQ(scope.status, 201) << scope.body;
  auto blocked = decide(*reviewer_, id, "approve");
  EXPECT_EQ(blocked.status, 409);
  EXPECT_EQ(codeOf(blocked), "on_legal_hold");
  EXPECT_TRUE(fs::exists(blobPath(record.sha256)));
  ASSERT_EQ(
      inspector_
          ->postJson("/api/v1/retention/holds/" +
                         std::to_string(scope.json()->getValue<Poco::Int64>("id")) + "/release",
                     R"({"reason":"检查结束"})")
          .status,
      200);
  EXPECT_EQ(decide(*reviewer_, id, "approve").status, 200);
  EXPECT_FALSE(fs::exists(blobPath(record.sha256)));
  EXPECT_EQ(inspector_->get("/api/v1/retention/holds").json()->getValue<int>("total"), 2);
  auto audit =
      inspector_->get("/api/v1/audit?object_type=legal_hold&object_id=" + std::to_string(hold));
  EXPECT_EQ(audit.json()->getArray("entries")->size(), 2u);  // placed, released
}

// A record's PDF/A preservation rendition goes with its files: kept while a legal hold stands,
// removed with them on approval and named by the tombstone.
TEST_F(RetentionApiTest, ARenditionGoesWithItsFilesAndStaysWhileAHoldStands) {
  // A converter that "converts" by copying a real PDF/A-2b: no LibreOffice needed.
  const fs::path script = temp_ / "copy-pdfa.sh";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\nexec cp '" << GONGKAI_TEST_DATA_DIR
        << "/formats/notice-pdfa-2b.pdf' \"$TMPDIR/out/document.pdf\"\n";
  }
  fs::permissions(script, fs::perms::owner_all);
  restart({"-D", "gongkai.archive.converter=" + script.string()});
  const auto as = [&](const std::string& user) {
    return std::make_unique<HttpClient>(anonymous().as(login(user, "pw-" + user + "-long-enough")));
  };
  archivist_ = as("archivist1");
  reviewer_ = as("reviewer1");
  inspector_ = as("inspector1");

  const int year = thisYear() - 12;
  std::ifstream docx(std::string(GONGKAI_TEST_DATA_DIR) + "/formats/notice.docx", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(docx)), {});
  const Archived record =
      archive("二〇一四年党员大会通知", year, "D10", "ZZ", bytes, "通知.docx",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  // The bundle of its year makes the rendition and records it.
  const auto accepted = client().postJson(
      "/api/v1/archives", R"({"category":"ZZ","year":)" + std::to_string(year) + "}");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string job = accepted.json()->getValue<std::string>("status_url");
  std::string state;
  for (int i = 0; i < 600 && (state.empty() || state == "queued" || state == "running"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    state = client().get(job).json()->getValue<std::string>("state");
  }
  ASSERT_EQ(state, "done") << client().get(job).body;
  auto logged = inspector_->get("/api/v1/audit?object_type=rendition&object_id=" + record.sha256);
  ASSERT_EQ(logged.status, 200) << logged.body;
  ASSERT_EQ(logged.json()->getArray("entries")->size(), 1u) << logged.body;
  const std::string rendition =
      logged.json()->getArray("entries")->getObject(0)->getObject("entry")->getValue<std::string>(
          "content_sha256");
  ASSERT_TRUE(fs::exists(blobPath(rendition)));

  // Proposed; a hold placed meanwhile stops the approval, and both stay.
  auto proposed = propose(*archivist_, record.id);
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const std::int64_t id = proposed.json()->getValue<Poco::Int64>("id");
  auto hold = inspector_->postJson(
      "/api/v1/retention/holds",
      R"({"document_id":)" + std::to_string(record.id) + R"(,"reason":"信访核查"})");
  ASSERT_EQ(hold.status, 201) << hold.body;
  EXPECT_EQ(codeOf(decide(*reviewer_, id, "approve")), "on_legal_hold");
  EXPECT_TRUE(fs::exists(blobPath(record.sha256)));
  EXPECT_TRUE(fs::exists(blobPath(rendition)));
  ASSERT_EQ(
      inspector_
          ->postJson("/api/v1/retention/holds/" +
                         std::to_string(hold.json()->getValue<Poco::Int64>("id")) + "/release",
                     R"({"reason":"核查结束"})")
          .status,
      200);

  // Approved: the original and its rendition go, and the tombstone names both.
  auto approved = decide(*reviewer_, id, "approve", R"({"note":"同意销毁"})");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_FALSE(fs::exists(blobPath(record.sha256)));
  EXPECT_FALSE(fs::exists(blobPath(rendition)));
  auto removed = inspector_->get(record.path)
                     .json()
                     ->getObject("disclosure")
                     ->getObject("disposed")
                     ->getArray("removed_blobs");
  std::set<std::string> names;
  for (std::size_t i = 0; i < removed->size(); ++i)
    names.insert(removed->getElement<std::string>(i));
  EXPECT_EQ(names, (std::set<std::string>{record.sha256, rendition}));
  std::string output;
  EXPECT_EQ(verifyLog(output), 0) << output;
}

TEST_F(RetentionApiTest, AHoldOnAUnitHoldsTheRecordsOfItsSubUnits) {
  const int year = thisYear();
  const Archived branchRecord = archive("支部的到期档案", year - 20, "D10");
  ASSERT_EQ(dueIds(archivist_->get("/api/v1/retention/due")).count(branchRecord.id), 1u);

  // branch-1 belongs to the committee: a hold on the committee reaches down to it.
  auto held = inspector_->postJson("/api/v1/retention/holds",
                                   R"({"org_unit":"committee","reason":"上级专项检查"})");
  ASSERT_EQ(held.status, 201) << held.body;
  EXPECT_EQ(dueIds(archivist_->get("/api/v1/retention/due")).count(branchRecord.id), 0u);
  auto refused = propose(*archivist_, branchRecord.id);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(codeOf(refused), "on_legal_hold");

  // A hold on a sibling unit does not.
  ASSERT_EQ(
      inspector_
          ->postJson("/api/v1/retention/holds/" +
                         std::to_string(held.json()->getValue<Poco::Int64>("id")) + "/release",
                     R"({"reason":"检查结束"})")
          .status,
      200);
  ASSERT_EQ(inspector_
                ->postJson("/api/v1/retention/holds",
                           R"({"org_unit":"branch-2","reason":"另一支部的检查"})")
                .status,
            201);
  EXPECT_EQ(dueIds(archivist_->get("/api/v1/retention/due")).count(branchRecord.id), 1u);
  EXPECT_EQ(propose(*archivist_, branchRecord.id).status, 201);
}

}  // namespace
}  // namespace gongkai::testing
