#include "user_roles.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

#include "account_support.h"

namespace gongkai::server::service::user_roles {

using account_support::invalid;
using Poco::JSON::Array;
using Poco::JSON::Object;
using store::UserRole;

std::vector<UserRole> fromAccount(const std::vector<AccountRole>& asked) {
  std::vector<UserRole> roles;
  for (const auto& role : asked) roles.push_back({role.role, role.unit});
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

core::Status check(const std::vector<UserRole>& roles, const policies::PolicyEngine& engine,
                   const policies::UnitTree& tree, const std::string& field) {
  for (const auto& grant : roles) {
    const policies::Role* role = engine.policies().role(grant.role);
    if (role == nullptr || grant.role == policies::kPublicRole) {
      return invalid("unknown_role", field,
                     "策略中没有此角色 (no such role in the policy): " + grant.role);
    }
    if (role->unit_bound && grant.unit.empty()) {
      return invalid("unit_required", field,
                     "角色 " + grant.role + " 须指定单位 (this role needs a unit)");
    }
    if (!role->unit_bound && !grant.unit.empty()) {
      return invalid("unit_not_allowed", field,
                     "角色 " + grant.role + " 不限单位 (this role is not bound to a unit)");
    }
    if (!grant.unit.empty() && !tree.contains(grant.unit)) {
      return invalid("unknown_unit", field, "单位不存在 (no such unit): " + grant.unit);
    }
  }
  return core::okStatus();
}

Array::Ptr toJson(const std::vector<UserRole>& roles) {
  Array::Ptr out = new Array;
  for (const auto& role : roles) {
    Object::Ptr item = new Object;
    item->set("role", role.role);
    if (!role.unit.empty()) item->set("unit", role.unit);
    out->add(item);
  }
  return out;
}

}  // namespace gongkai::server::service::user_roles
