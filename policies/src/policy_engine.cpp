#include "gongkai/policies/policy_engine.h"

#include <algorithm>

namespace gongkai::policies {

UnitTree::UnitTree(const std::map<std::string, std::string>& parentOf) : parentOf_(parentOf) {
  for (const auto& [unit, parent] : parentOf_) {
    if (!parent.empty()) children_[parent].push_back(unit);
  }
}

bool UnitTree::within(const std::string& unit, const std::string& ancestor) const {
  std::string at = unit;
  // The tree is kept acyclic by the server; the bound guards against a corrupted one anyway.
  for (std::size_t steps = 0; steps <= parentOf_.size() && !at.empty(); ++steps) {
    if (at == ancestor) return true;
    const auto parent = parentOf_.find(at);
    if (parent == parentOf_.end()) return false;
    at = parent->second;
  }
  return false;
}

std::set<std::string> UnitTree::subtree(const std::string& unit) const {
  std::set<std::string> out{unit};
  std::vector<std::string> pending{unit};
  while (!pending.empty()) {
    const std::string at = pending.back();
    pending.pop_back();
    const auto children = children_.find(at);
    if (children == children_.end()) continue;
    for (const auto& child : children->second) {
      if (out.insert(child).second) pending.push_back(child);
    }
  }
  return out;
}

bool Visibility::admits(const DocumentFacts& facts) const {
  if (everything) return true;
  return std::any_of(clauses.begin(), clauses.end(), [&](const VisibilityClause& clause) {
    return clause.scopes.count(facts.scope) && clause.statuses.count(facts.status) &&
           (!clause.units || clause.units->count(facts.org_unit));
  });
}

PolicyEngine::PolicyEngine(PolicySet policies) : policies_(std::move(policies)) {}

std::vector<RoleGrant> PolicyEngine::grantsOf(const Principal& principal) const {
  std::vector<RoleGrant> grants = principal.grants;
  grants.push_back(RoleGrant{std::string(kPublicRole), ""});
  return grants;
}

bool PolicyEngine::grantApplies(const RoleGrant& grant, std::string_view permission,
                                const DocumentFacts* document, const UnitTree& units) const {
  const Role* role = policies_.role(grant.role);
  if (role == nullptr || !role->permissions.count(std::string(permission))) return false;
  if (!role->unit_bound || document == nullptr) return true;
  return !grant.unit.empty() && units.within(document->org_unit, grant.unit);
}

bool PolicyEngine::may(const Principal& principal, std::string_view permission) const {
  for (const auto& grant : grantsOf(principal)) {
    if (grantApplies(grant, permission, nullptr, UnitTree{})) return true;
  }
  return false;
}

bool PolicyEngine::may(const Principal& principal, std::string_view permission,
                       const DocumentFacts& document, const UnitTree& units) const {
  for (const auto& grant : grantsOf(principal)) {
    if (grantApplies(grant, permission, &document, units)) return true;
  }
  return false;
}

Visibility PolicyEngine::visibility(const Principal& principal, const UnitTree& units) const {
  const std::set<std::string> allScopes(std::begin(kScopes), std::end(kScopes));
  const std::set<std::string> allStatuses(std::begin(kStatuses), std::end(kStatuses));
  Visibility out;
  for (const auto& grant : grantsOf(principal)) {
    for (const auto& rule : policies_.visibility) {
      if (std::find(rule.roles.begin(), rule.roles.end(), grant.role) == rule.roles.end()) continue;
      VisibilityClause clause{rule.scopes, rule.statuses, std::nullopt};
      if (rule.units_own) {
        if (grant.unit.empty()) continue;  // held for no unit: sees nothing through this rule
        clause.units = units.subtree(grant.unit);
      }
      if (!clause.units && clause.scopes == allScopes && clause.statuses == allStatuses) {
        return Visibility{true, {}};
      }
      if (std::find(out.clauses.begin(), out.clauses.end(), clause) == out.clauses.end()) {
        out.clauses.push_back(std::move(clause));
      }
    }
  }
  return out;
}

std::string PolicyEngine::explain(const Principal& principal, std::string_view permission,
                                  const std::optional<DocumentFacts>& document,
                                  const UnitTree& units) const {
  std::string out;
  bool allowed = false;
  for (const auto& grant : grantsOf(principal)) {
    const bool applies = grantApplies(grant, permission, document ? &*document : nullptr, units);
    allowed = allowed || applies;
    out += "角色 (role) " + grant.role + (grant.unit.empty() ? "" : "@" + grant.unit) + ": " +
           (applies ? "允许 (grants) " : "不允许 (does not grant) ") + std::string(permission) +
           "; ";
  }
  return (allowed ? "允许 (allowed): " : "拒绝 (denied): ") + out;
}

}  // namespace gongkai::policies
