#include "account_json.h"

#include <Poco/JSON/Array.h>

#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using core::FieldError;
using Poco::JSON::Array;
using Poco::JSON::Object;

// The string member `name`, if present; a field error when it is not a string (null included).
std::optional<std::string> text(const Object::Ptr& body, const std::string& name,
                                std::vector<FieldError>& errors) {
  auto field = textField(body, name);
  if (!field.given()) return std::nullopt;
  if (!field.hasValue()) {
    errors.push_back({name, "invalid_type", "须为字符串 (must be a string): " + name});
    return std::nullopt;
  }
  return std::move(field.value);
}

// The "roles" member, [{role, unit}]; the first thing wrong with it as one field error.
core::Result<std::vector<service::AccountRole>> readRoles(const Array::Ptr& array) {
  const std::string field = "roles";
  if (array->size() > 100) return fieldError(field, "too_many_roles", "角色过多 (too many roles)");
  std::vector<service::AccountRole> roles;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    const auto item = array->get(static_cast<unsigned>(i));
    if (item.type() != typeid(Object::Ptr)) {
      return fieldError(at, "invalid_type", "角色须为对象 {role, unit} (a role must be an object)");
    }
    const auto object = item.extract<Object::Ptr>();
    if (auto known = refuseUnknownMembers(object, {"role", "unit"}, at + "."); !known.ok()) {
      return known.error();
    }
    auto role = textField(object, "role");
    if (!role.hasValue())
      return fieldError(at + ".role", "missing_field", "缺少角色 (role missing)");
    auto unit = textField(object, "unit");
    if (unit.given() && !unit.hasValue()) {
      return fieldError(at + ".unit", "invalid_type", "unit 须为字符串 (unit must be a string)");
    }
    roles.push_back({std::move(role.value), std::move(unit.value)});
  }
  return roles;
}

service::RolesAsRead roles(const Object::Ptr& body) {
  const auto field = arrayField(body, "roles");
  if (!field.given()) return std::nullopt;
  if (!field.hasValue()) {
    return fieldError("roles", "invalid_type", "roles 须为数组 (roles must be an array)");
  }
  return readRoles(field.value);
}

}  // namespace

Object::Ptr userJson(const service::Account& user) {
  const auto role = [](const service::AccountRole& role) {
    auto out = json::object({"role"_f = role.role});
    if (!role.unit.empty()) out->set("unit", role.unit);
    return out;
  };
  auto out = json::object({"username"_f = user.username, "display_name"_f = user.display_name,
                           "disabled"_f = user.disabled, "roles"_f = json::array(user.roles, role),
                           "created_at"_f = user.created_at, "failed_logins"_f = user.failed_logins,
                           "etag"_f = revisionEtag(user.revision)});
  if (!user.locked_until.empty()) out->set("locked_until", user.locked_until);
  return out;
}

Object::Ptr tokenJson(const service::TokenInfo& token) {
  return json::object({"id"_f = token.id, "kind"_f = token.kind, "name"_f = token.name,
                       "created_at"_f = token.created_at, "expires_at"_f = token.expires_at,
                       "revoked_at"_f = json::textOrNull(token.revoked_at)});
}

Object::Ptr unitJson(const service::Unit& unit) {
  return json::object({"code"_f = unit.code, "name"_f = unit.name,
                       "parent"_f = json::textOrNull(unit.parent_code),
                       "created_at"_f = unit.created_at, "etag"_f = revisionEtag(unit.revision)});
}

service::NewUnit readNewUnit(const Object::Ptr& body) {
  service::NewUnit unit;
  unit.form_errors = unknownMembersNamed(body, {"code", "name", "parent"});
  unit.code = text(body, "code", unit.form_errors).value_or("");
  unit.name = text(body, "name", unit.form_errors).value_or("");
  unit.parent_code = text(body, "parent", unit.form_errors).value_or("");
  return unit;
}

service::UnitChange readUnitChange(const Object::Ptr& body) {
  service::UnitChange change;
  change.form_errors = unknownMembersNamed(body, {"name", "parent"});
  change.name = text(body, "name", change.form_errors);
  change.parent_code = text(body, "parent", change.form_errors);
  return change;
}

service::NewAccount readNewAccount(const Object::Ptr& body) {
  service::NewAccount account;
  account.form_errors =
      unknownMembersNamed(body, {"username", "password", "display_name", "roles"});
  account.username = text(body, "username", account.form_errors);
  account.password = text(body, "password", account.form_errors);
  account.display_name = text(body, "display_name", account.form_errors);
  account.roles = roles(body);
  return account;
}

service::AccountChange readAccountChange(const Object::Ptr& body) {
  service::AccountChange change;
  change.form_errors = unknownMembersNamed(body, {"display_name", "roles", "disabled", "password"});
  change.display_name = text(body, "display_name", change.form_errors);
  change.password = text(body, "password", change.form_errors);
  const auto disabled = booleanField(body, "disabled");
  if (disabled.hasValue()) {
    change.disabled = disabled.value;
  } else if (disabled.given()) {
    change.form_errors.push_back(
        {"disabled", "invalid_type", "disabled 须为 true 或 false (must be a boolean)"});
  }
  change.roles = roles(body);
  return change;
}

}  // namespace gongkai::server::http
