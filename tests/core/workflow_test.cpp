#include "gongkai/core/workflow.h"

#include <gtest/gtest.h>

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

Field<std::string> text(std::string value) {
  return {Field<std::string>::State::kValue, std::move(value)};
}

// Bodies as the transport would read them, one member each.
StepBody reviewed(bool value, std::optional<std::string> opinion = std::nullopt) {
  StepBody body;
  body.members = {"confidentiality_reviewed"};
  body.confidentiality_reviewed = {Field<bool>::State::kValue, value};
  if (opinion) {
    body.members.push_back("opinion");
    body.opinion = text(*opinion);
  }
  return body;
}
StepBody member(const std::string& name, Field<std::string> value) {
  StepBody body;
  body.members = {name};
  (name == "opinion" ? body.opinion : name == "reason" ? body.reason : body.retention) = value;
  return body;
}
StepBody channels(std::vector<std::optional<std::string>> values) {
  StepBody body;
  body.members = {"channels"};
  body.channels = {Field<std::vector<std::optional<std::string>>>::State::kValue,
                   std::move(values)};
  return body;
}

Result<DocumentVersion> take(const DocumentVersion& v, const std::string& step,
                             const std::string& actor, const StepBody& body = {}) {
  auto request = readStepRequest(step, body);
  if (!request.ok()) return request.error();
  request.value().actor = actor;
  request.value().at = nowUtc();
  return applyStep(v, request.value());
}

TEST(Workflow, TheWholeProcedureRecordsWhoDidWhat) {
  auto v = take(draft(), "submit", "archivist");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().status, DocumentStatus::kSubmitted);
  EXPECT_EQ(v.value().disclosure.submitted->by, "archivist");
  v = take(v.value(), "approve", "reviewer", reviewed(true, "同意公开"));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v.value().status, DocumentStatus::kApproved);
  EXPECT_TRUE(v.value().disclosure.confidentiality_reviewed);
  EXPECT_EQ(v.value().disclosure.opinion, "同意公开");
  v = take(v.value(), "publish", "reviewer", channels({"bulletin_board", "intranet", "intranet"}));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().disclosure.channels,
            (std::vector<std::string>{"bulletin_board", "intranet"}));
  v = take(v.value(), "withdraw", "reviewer", member("reason", text("内容有误")));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().status, DocumentStatus::kWithdrawn);
  EXPECT_TRUE(v.value().disclosure.published.has_value());  // history stays
  v = take(v.value(), "archive", "archivist", member("retention", text("D30")));
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
  EXPECT_EQ(take(draft(), "approve", "r", reviewed(true)).error().code, ErrorCode::kConflict);
  EXPECT_EQ(take(draft(), "publish", "r", channels({"website"})).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(take(draft(), "archive", "a").error().code, ErrorCode::kConflict);
  const auto submitted = take(draft(), "submit", "archivist").value();
  EXPECT_EQ(take(submitted, "submit", "archivist").error().code, ErrorCode::kConflict);
  // Self-approval, and approval without the confidentiality review.
  EXPECT_EQ(take(submitted, "approve", "archivist", reviewed(true)).error().reason,
            "self_approval");
  EXPECT_EQ(take(submitted, "approve", "r", reviewed(false)).error().reason, "invalid_step");
  EXPECT_EQ(take(submitted, "approve", "r").error().code, ErrorCode::kInvalidArgument);
  // A rejection needs an opinion and sends the document back to draft.
  EXPECT_EQ(take(submitted, "reject", "r", member("opinion", text("  "))).error().code,
            ErrorCode::kInvalidArgument);
  const auto rejected = take(submitted, "reject", "r", member("opinion", text("请补充附件")));
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected.value().status, DocumentStatus::kDraft);
  EXPECT_TRUE(isEditable(rejected.value().status));
  // A restricted document is never published.
  auto restricted = take(draft(Scope::kRestricted), "submit", "a").value();
  restricted = take(restricted, "approve", "r", reviewed(true)).value();
  EXPECT_EQ(take(restricted, "publish", "r", channels({"website"})).error().reason,
            "restricted_not_publishable");
}

TEST(Workflow, StepBodiesAreJudgedMemberByMemberInAFixedOrder) {
  const auto refusal = [](const std::string& step, const StepBody& body) {
    auto request = readStepRequest(step, body);
    EXPECT_FALSE(request.ok()) << step;
    if (request.ok()) return std::string("accepted");
    const auto& e = request.error();
    return e.reason + " " + (e.fields.empty() ? "" : e.fields[0].field + " " + e.fields[0].code);
  };
  StepBody unknown;
  unknown.members = {"anything"};
  EXPECT_EQ(refusal("submit", unknown), "invalid_step anything unknown_field");
  StepBody notBoolean = reviewed(true);
  notBoolean.confidentiality_reviewed.state = Field<bool>::State::kWrongType;
  EXPECT_EQ(refusal("approve", notBoolean), "invalid_step confidentiality_reviewed missing_field");
  Field<std::string> number;
  number.state = Field<std::string>::State::kWrongType;
  StepBody opinionNumber = reviewed(true);
  opinionNumber.members.push_back("opinion");
  opinionNumber.opinion = number;
  EXPECT_EQ(refusal("approve", opinionNumber), "invalid_step opinion invalid_type");
  // The review comes first, however wrong the opinion is.
  opinionNumber.confidentiality_reviewed = {};
  EXPECT_EQ(refusal("approve", opinionNumber),
            "invalid_step confidentiality_reviewed missing_field");
  EXPECT_EQ(refusal("reject", {}), "invalid_step opinion missing_field");
  StepBody notAList = channels({});
  notAList.channels.state = Field<std::vector<std::optional<std::string>>>::State::kWrongType;
  EXPECT_EQ(refusal("publish", notAList), "invalid_step channels missing_field");
  EXPECT_EQ(refusal("publish", channels({})), "invalid_step channels missing_field");
  EXPECT_EQ(refusal("publish", channels({"tv"})), "invalid_step channels[0] unknown_channel");
  // Elements in order: an unknown channel before a number is what is reported.
  EXPECT_EQ(refusal("publish", channels({"website", "tv", std::nullopt})),
            "invalid_step channels[1] unknown_channel");
  EXPECT_EQ(refusal("publish", channels({"website", std::nullopt, "tv"})),
            "invalid_step channels[1] invalid_type");
  EXPECT_EQ(refusal("withdraw", member("reason", text(std::string(5000, 'x')))),
            "invalid_step reason invalid_text");
  EXPECT_EQ(refusal("withdraw", member("reason", text("\xff"))),
            "invalid_step reason invalid_text");
  EXPECT_EQ(refusal("archive", member("retention", text("D99"))),
            "invalid_step retention invalid_value");
  EXPECT_EQ(readStepRequest("fly", {}).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gongkai::core
