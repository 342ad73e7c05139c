#include "user_roles.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

#include "account_support.h"

namespace gongkai::server::service::user_roles {

using account_support::invalid;
using Poco::JSON::Array;
using Poco::JSON::Object;
using store::UserRole;

core::Result<std::vector<UserRole>> parse(const Poco::Dynamic::Var& value) {
  const std::string field = "roles";
  if (value.type() != typeid(Array::Ptr)) {
    return invalid("invalid_type", field, "roles 须为数组 (roles must be an array)");
  }
  const auto array = value.extract<Array::Ptr>();
  if (array->size() > 100) return invalid("too_many_roles", field, "角色过多 (too many roles)");
  std::vector<UserRole> roles;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    const auto item = array->get(static_cast<unsigned>(i));
    if (item.type() != typeid(Object::Ptr)) {
      return invalid("invalid_type", at, "角色须为对象 {role, unit} (a role must be an object)");
    }
    const auto object = item.extract<Object::Ptr>();
    for (const auto& [key, ignored] : *object) {
      if (key != "role" && key != "unit")
        return invalid("unknown_field", at + "." + key, "未知字段 (unknown field): " + key);
    }
    if (!object->has("role") || !object->get("role").isString()) {
      return invalid("missing_field", at + ".role", "缺少角色 (role missing)");
    }
    UserRole role{object->getValue<std::string>("role"), ""};
    if (object->has("unit")) {
      if (!object->get("unit").isString())
        return invalid("invalid_type", at + ".unit", "unit 须为字符串 (unit must be a string)");
      role.unit = object->getValue<std::string>("unit");
    }
    roles.push_back(std::move(role));
  }
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
