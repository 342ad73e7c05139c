#include "gongkai/policies/policy_engine.h"

#include <gtest/gtest.h>

namespace gongkai::policies {
namespace {

class PolicyEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    engine_ = std::make_unique<PolicyEngine>(std::move(loaded).value());
  }

  static Principal as(std::vector<RoleGrant> grants) {
    Principal p;
    p.user_id = 7;
    p.username = "someone";
    p.grants = std::move(grants);
    return p;
  }

  // committee → b1 → b1a; committee → b2
  const UnitTree tree_{
      {{"committee", ""}, {"b1", "committee"}, {"b1a", "b1"}, {"b2", "committee"}}};
  std::unique_ptr<PolicyEngine> engine_;
};

TEST_F(PolicyEngineTest, TheUnitTreeKnowsWhatLiesBelowWhat) {
  EXPECT_TRUE(tree_.within("b1a", "committee"));
  EXPECT_TRUE(tree_.within("b1a", "b1"));
  EXPECT_TRUE(tree_.within("b1", "b1"));
  EXPECT_FALSE(tree_.within("b1", "b1a"));
  EXPECT_FALSE(tree_.within("b2", "b1"));
  EXPECT_FALSE(tree_.within("nowhere", "committee"));
  EXPECT_EQ(tree_.subtree("b1"), (std::set<std::string>{"b1", "b1a"}));
  EXPECT_EQ(tree_.subtree("committee").size(), 4u);
  // A corrupted tree with a cycle does not hang.
  const UnitTree cycle{{{"a", "b"}, {"b", "a"}}};
  EXPECT_FALSE(cycle.within("a", "c"));
}

TEST_F(PolicyEngineTest, UnitBoundRolesActOnlyInTheirUnitsAndBelow) {
  const Principal archivist = as({{"archivist", "b1"}});
  const DocumentFacts inB1a{"b1a", "internal", "draft"}, inB2{"b2", "public", "draft"};
  EXPECT_TRUE(engine_->may(archivist, "documents.update", inB1a, tree_));
  EXPECT_FALSE(engine_->may(archivist, "documents.update", inB2, tree_));
  EXPECT_TRUE(engine_->may(archivist, "documents.create"));  // somewhere
  EXPECT_FALSE(engine_->may(archivist, "users.manage"));
  EXPECT_TRUE(engine_->maySee(archivist, inB1a, tree_));
  EXPECT_FALSE(engine_->maySee(archivist, inB2, tree_));
  // Two grants: both units count.
  const Principal both = as({{"archivist", "b1"}, {"archivist", "b2"}});
  EXPECT_TRUE(engine_->may(both, "documents.update", inB2, tree_));
  // A unit-bound role held for no unit acts nowhere.
  EXPECT_FALSE(engine_->may(as({{"archivist", ""}}), "documents.update", inB1a, tree_));
}

TEST_F(PolicyEngineTest, VisibilityFollowsScopeStatusAndUnit) {
  const DocumentFacts publicPublished{"b2", "public", "published"};
  const DocumentFacts internalPublished{"b2", "internal", "published"};
  const DocumentFacts restrictedPublished{"b2", "restricted", "published"};
  const DocumentFacts publicDraft{"b2", "public", "draft"};
  const Principal anonymous;
  EXPECT_TRUE(engine_->maySee(anonymous, publicPublished, tree_));
  EXPECT_FALSE(engine_->maySee(anonymous, internalPublished, tree_));
  EXPECT_FALSE(engine_->maySee(anonymous, publicDraft, tree_));
  const Principal member = as({{"member", ""}});
  EXPECT_TRUE(engine_->maySee(member, internalPublished, tree_));
  EXPECT_FALSE(engine_->maySee(member, restrictedPublished, tree_));
  EXPECT_FALSE(engine_->maySee(member, publicDraft, tree_));
  const Principal inspector = as({{"inspector", ""}});
  EXPECT_TRUE(engine_->visibility(inspector, tree_).everything);
  EXPECT_TRUE(engine_->maySee(inspector, restrictedPublished, tree_));
  EXPECT_FALSE(
      engine_->may(inspector, "documents.update", restrictedPublished, tree_));  // reads only
  const Visibility archivist = engine_->visibility(as({{"archivist", "b1"}}), tree_);
  EXPECT_FALSE(archivist.everything);
  EXPECT_TRUE(archivist.admits({"b1a", "restricted", "draft"}));
  EXPECT_TRUE(archivist.admits(publicPublished));  // as anyone may
  EXPECT_FALSE(archivist.admits(publicDraft));
}

TEST_F(PolicyEngineTest, EveryoneHoldsThePublicRoleAndExplanationsNameTheRoles) {
  EXPECT_TRUE(engine_->may(Principal{}, "feedback.submit"));
  EXPECT_FALSE(engine_->may(Principal{}, "audit.read"));
  const std::string why =
      engine_->explain(as({{"committee", ""}}), "audit.read", std::nullopt, tree_);
  EXPECT_EQ(why.rfind("允许 (allowed)", 0), 0u) << why;
  EXPECT_NE(why.find("committee"), std::string::npos) << why;
  const std::string no =
      engine_->explain(as({{"member", ""}}), "users.manage", std::nullopt, tree_);
  EXPECT_EQ(no.rfind("拒绝 (denied)", 0), 0u) << no;
}

}  // namespace
}  // namespace gongkai::policies
