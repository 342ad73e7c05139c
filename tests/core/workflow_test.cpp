#include "gongkai/core/workflow.h"

#include <gtest/gtest.h>

#include "gongkai/core/json.h"

namespace gongkai::core {
namespace {

DocumentVersion draft(Scope scope = Scope::kPublic) {
  DocumentVersion v;
  v.document_id = 1;
  v.version = 1;
  v.metadata.title = "党费收缴情况公示";
  v.metadata.category = "ZZ";
  v.metadata.org_unit = "b1";
  v.metadata.scope = scope;
  v.created_by = v.updated_by = "archivist";
  v.change = "document.create";
  return v;
}

Poco::JSON::Object::Ptr body(const std::string& json) {
  auto parsed = parseJsonObject(json);
  EXPECT_TRUE(parsed.ok()) << json;
  return parsed.ok() ? parsed.value() : nullptr;
}

Result<DocumentVersion> take(const DocumentVersion& v, const std::string& step,
                             const std::string& actor, const std::string& json = "") {
  auto request = parseStepRequest(step, json.empty() ? nullptr : body(json), actor, nowUtc());
  if (!request.ok()) return request.error();
  return applyStep(v, request.value());
}

TEST(Workflow, TheWholeProcedureRecordsWhoDidWhat) {
  auto v = take(draft(), "submit", "archivist");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().status, DocumentStatus::kSubmitted);
  EXPECT_EQ(v.value().disclosure.submitted->by, "archivist");
  v = take(v.value(), "approve", "reviewer",
           R"({"confidentiality_reviewed":true,"opinion":"同意公开"})");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v.value().status, DocumentStatus::kApproved);
  EXPECT_TRUE(v.value().disclosure.confidentiality_reviewed);
  EXPECT_EQ(v.value().disclosure.opinion, "同意公开");
  v = take(v.value(), "publish", "reviewer",
           R"({"channels":["bulletin_board","intranet","intranet"]})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().disclosure.channels,
            (std::vector<std::string>{"bulletin_board", "intranet"}));
  v = take(v.value(), "withdraw", "reviewer", R"({"reason":"内容有误"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().status, DocumentStatus::kWithdrawn);
  EXPECT_TRUE(v.value().disclosure.published.has_value());  // history stays
  v = take(v.value(), "archive", "archivist", R"({"retention":"D30"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().status, DocumentStatus::kArchived);
  EXPECT_EQ(v.value().disclosure.retention, "D30");
  EXPECT_FALSE(isEditable(v.value().status));
  // The record carries it all and reads back the same.
  const std::string record = canonicalRecord(v.value());
  auto parsed = parseRecord(record);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value().disclosure, v.value().disclosure);
  EXPECT_EQ(canonicalRecord(parsed.value()), record);
}

TEST(Workflow, ARecordFromBeforeTheProcedureKeepsItsBytes) {
  const std::string record = canonicalRecord(draft());
  EXPECT_EQ(record.find("disclosure"), std::string::npos);
  auto parsed = parseRecord(record);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.value().disclosure.empty());
  EXPECT_EQ(canonicalRecord(parsed.value()), record);
}

TEST(Workflow, StepsOutOfTurnAndGuardsAreRefused) {
  EXPECT_EQ(take(draft(), "approve", "r", R"({"confidentiality_reviewed":true})").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(take(draft(), "publish", "r", R"({"channels":["website"]})").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(take(draft(), "archive", "a").error().code, ErrorCode::kConflict);
  const auto submitted = take(draft(), "submit", "archivist").value();
  EXPECT_EQ(take(submitted, "submit", "archivist").error().code, ErrorCode::kConflict);
  // Self-approval, and approval without the confidentiality review.
  EXPECT_EQ(take(submitted, "approve", "archivist", R"({"confidentiality_reviewed":true})")
                .error()
                .reason,
            "self_approval");
  EXPECT_EQ(take(submitted, "approve", "r", R"({"confidentiality_reviewed":false})").error().reason,
            "invalid_step");
  EXPECT_EQ(take(submitted, "approve", "r").error().code, ErrorCode::kInvalidArgument);
  // A rejection needs an opinion and sends the document back to draft.
  EXPECT_EQ(take(submitted, "reject", "r", R"({"opinion":"  "})").error().code,
            ErrorCode::kInvalidArgument);
  const auto rejected = take(submitted, "reject", "r", R"({"opinion":"请补充附件"})");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected.value().status, DocumentStatus::kDraft);
  EXPECT_TRUE(isEditable(rejected.value().status));
  // A restricted document is never published.
  auto restricted = take(draft(Scope::kRestricted), "submit", "a").value();
  restricted = take(restricted, "approve", "r", R"({"confidentiality_reviewed":true})").value();
  EXPECT_EQ(take(restricted, "publish", "r", R"({"channels":["website"]})").error().reason,
            "restricted_not_publishable");
}

TEST(Workflow, HostileStepBodiesGetFieldErrors) {
  const auto refused = [](const std::string& step, const std::string& json) {
    auto request = parseStepRequest(step, body(json), "x", nowUtc());
    EXPECT_FALSE(request.ok()) << step << " " << json;
    return request.ok() ? ErrorCode::kInternal : request.error().code;
  };
  EXPECT_EQ(refused("submit", R"({"anything":1})"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("approve", R"({"confidentiality_reviewed":"yes"})"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("approve", R"({"confidentiality_reviewed":true,"opinion":5})"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("publish", R"({"channels":"website"})"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("publish", R"({"channels":[]})"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("publish", R"({"channels":["tv"]})"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("publish", R"({"channels":[1]})"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("withdraw", R"({"reason":")" + std::string(5000, 'x') + R"("})"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("archive", R"({"retention":"D99"})"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused("fly", R"({})"), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gongkai::core
