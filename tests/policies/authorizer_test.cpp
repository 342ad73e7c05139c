// The decisions the services ask for, over the real policy files in policies/data.
#include "gongkai/policies/authorizer.h"

#include <gtest/gtest.h>

#include "gongkai/core/workflow.h"

namespace gongkai::policies {
namespace {

using core::ErrorCode;

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    authorizer_.emplace(
        std::make_shared<PolicyEngine>(std::move(loaded).value()),
        std::make_shared<UnitTree>(std::map<std::string, std::string>{
            {"committee", ""}, {"b1", "committee"}, {"b1a", "b1"}, {"b2", "committee"}}));
  }

  static Principal as(std::vector<RoleGrant> grants) {
    return Principal{7, "someone", std::move(grants)};
  }

  static core::DocumentVersion draftIn(const std::string& unit) {
    core::DocumentVersion v;
    v.document_id = 42;
    v.metadata.org_unit = unit;
    v.metadata.scope = core::Scope::kInternal;
    v.status = core::DocumentStatus::kDraft;
    return v;
  }

  std::optional<Authorizer> authorizer_;
};

TEST_F(AuthorizerTest, EveryStepHasItsPermissionAndNothingElseIsAStep) {
  for (const auto step : core::kSteps) EXPECT_TRUE(stepPermission(step)) << step;
  EXPECT_EQ(stepPermission("submit"), "documents.update");
  EXPECT_EQ(stepPermission("publish"), "documents.publish");
  EXPECT_FALSE(stepPermission("delete"));
}

TEST_F(AuthorizerTest, AnUnseenDocumentIsNotFoundAndASeenOneForbiddenWithoutThePermission) {
  const Principal archivist = as({{"archivist", "b1"}});
  EXPECT_TRUE(authorizer_->requireOnDocument(archivist, draftIn("b1a"), "documents.update").ok());
  const auto unseen = authorizer_->requireOnDocument(archivist, draftIn("b2"), "documents.update");
  EXPECT_EQ(unseen.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unseen.error().reason, "document_not_found");
  EXPECT_EQ(
      authorizer_->requireOnDocument(archivist, draftIn("b1"), "documents.publish").error().code,
      ErrorCode::kForbidden);
  // Anonymous callers are asked to sign in rather than told they are forbidden.
  EXPECT_EQ(authorizer_->require(Principal{}, "documents.create").error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(
      authorizer_->requireForUnit(archivist, "documents.create", "b2", "public").error().reason,
      "unit_forbidden");
}

TEST_F(AuthorizerTest, CasesAreReadByTheHandlersOfTheirUnitsAndAboveOnly) {
  const Principal handler = as({{"archivist", "b1"}});  // archivists handle feedback
  const auto units = authorizer_->readableCaseUnits(handler);
  ASSERT_TRUE(units.ok());
  EXPECT_FALSE(units.value().all);
  EXPECT_EQ(units.value().units, (std::vector<std::string>{"b1", "b1a"}));
  EXPECT_TRUE(authorizer_->mayReadCase(handler, "b1a"));
  EXPECT_FALSE(authorizer_->mayReadCase(handler, "b2"));
  EXPECT_FALSE(authorizer_->mayReadCase(handler, ""));  // no unit: roles bound to none only
  EXPECT_EQ(authorizer_->requireCaseHandler(handler, "b2").error().reason, "unit_forbidden");
  // The public reads no case: 401, and the search filter holds none.
  EXPECT_EQ(authorizer_->readableCaseUnits(Principal{}).error().code, ErrorCode::kUnauthenticated);
  const SearchVisibility visible = authorizer_->searchVisibility(Principal{});
  EXPECT_FALSE(visible.cases.all);
  EXPECT_TRUE(visible.cases.units.empty());
  EXPECT_FALSE(visible.documents.everything);
}

}  // namespace
}  // namespace gongkai::policies
