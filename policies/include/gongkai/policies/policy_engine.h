#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/policies/policy_set.h"

// The one decision point: who may see and do what, decided from the policy files alone. The
// server asks it on every request; lists and search get their visibility filter from it, so what
// a caller may not see is not counted either.
namespace gongkai::policies {

// A role an account holds; `unit` names the unit a unit-bound role is held for ("" otherwise).
struct RoleGrant {
  std::string role;
  std::string unit;
};

// Who is asking. Everyone, signed in or not, also holds the `public` role.
struct Principal {
  std::int64_t user_id = 0;  // 0 for an anonymous caller
  std::string username;      // "" for an anonymous caller
  std::vector<RoleGrant> grants;
  bool anonymous() const { return user_id == 0; }
};

// The organisation unit tree, by unit code.
class UnitTree {
 public:
  UnitTree() = default;
  // parentOf: unit → its parent ("" for a root).
  explicit UnitTree(const std::map<std::string, std::string>& parentOf);
  bool contains(const std::string& unit) const { return parentOf_.count(unit) > 0; }
  // True when `unit` is `ancestor` or lies below it.
  bool within(const std::string& unit, const std::string& ancestor) const;
  // `unit` and every unit below it.
  std::set<std::string> subtree(const std::string& unit) const;

 private:
  std::map<std::string, std::string> parentOf_;
  std::map<std::string, std::vector<std::string>> children_;
};

// What the policy needs to know about one document.
struct DocumentFacts {
  std::string org_unit;
  std::string scope;   // public, internal, restricted
  std::string status;  // draft, submitted, ... (policy_set.h kStatuses)
};

// Documents of these scopes and statuses, in these units (any unit when `units` is empty).
struct VisibilityClause {
  std::set<std::string> scopes;
  std::set<std::string> statuses;
  std::optional<std::set<std::string>> units;
  bool operator==(const VisibilityClause&) const = default;
};

// What a principal may see: everything, or documents matching any of the clauses (none: nothing).
struct Visibility {
  bool everything = false;
  std::vector<VisibilityClause> clauses;
  bool admits(const DocumentFacts& facts) const;
};

class PolicyEngine {
 public:
  explicit PolicyEngine(PolicySet policies);
  const PolicySet& policies() const { return policies_; }

  // May the principal do `permission` at all: for actions not about one document (reading the
  // audit log, managing users). A unit-bound role counts whatever its unit.
  bool may(const Principal& principal, std::string_view permission) const;
  // May the principal do `permission` to this document: a unit-bound role counts only when the
  // document's unit is within a unit the role is held for.
  bool may(const Principal& principal, std::string_view permission, const DocumentFacts& document,
           const UnitTree& units) const;
  // The documents the principal may see at all.
  Visibility visibility(const Principal& principal, const UnitTree& units) const;
  bool maySee(const Principal& principal, const DocumentFacts& document,
              const UnitTree& units) const {
    return visibility(principal, units).admits(document);
  }
  // Why a decision came out as it did, for GET /api/v1/policies/explain: the roles consulted and
  // which of them granted the permission. Chinese first.
  std::string explain(const Principal& principal, std::string_view permission,
                      const std::optional<DocumentFacts>& document, const UnitTree& units) const;

 private:
  // The principal's grants plus the public role.
  std::vector<RoleGrant> grantsOf(const Principal& principal) const;
  bool grantApplies(const RoleGrant& grant, std::string_view permission,
                    const DocumentFacts* document, const UnitTree& units) const;

  PolicySet policies_;
};

}  // namespace gongkai::policies
