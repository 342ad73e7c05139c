#include "gongkai/server/service/user_service.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <optional>

#include "account_support.h"
#include "gongkai/core/json.h"
#include "gongkai/core/password.h"
#include "gongkai/core/text.h"
#include "gongkai/core/time.h"
#include "gongkai/server/store/storage_error.h"
#include "user_roles.h"

namespace gongkai::server::service {
namespace {

using account_support::audit;
using account_support::invalid;
using account_support::isValidName;
using account_support::kMaxNameBytes;
using account_support::optionalString;
using account_support::refuseUnknownFields;
using account_support::userNotFound;
using account_support::withFields;
using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using store::AccountRepository;
using store::Transaction;
using store::UserRecord;
using store::UserRole;

constexpr std::size_t kMaxPasswordBytes = 1024;

// What an audit entry about a user covers: everything but secrets and counters.
Object::Ptr userRecord(const UserRecord& user) {
  Object::Ptr record = new Object;
  record->set("username", user.username);
  record->set("display_name", user.display_name);
  record->set("disabled", user.disabled);
  record->set("roles", user_roles::toJson(user.roles));
  return record;
}

}  // namespace

bool isUsername(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  // Names the audit log uses for callers that are not accounts.
  for (const char* reserved : {"anonymous", "system", "cli", "demo"}) {
    if (name == reserved) return false;
  }
  const auto first = static_cast<unsigned char>(name.front());
  if (!(std::islower(first) || std::isdigit(first))) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-' || c == '_' || c == '.';
  });
}

UserService::UserService(store::Store& store, PolicyService& policies, const UnitService& units,
                         AuthOptions options, AuthorizerSource authorizer)
    : store_(store),
      policies_(policies),
      units_(units),
      options_(options),
      authorizer_(std::move(authorizer)) {}

core::Status UserService::mayManage(const Subject& subject) const {
  if (subject.system) return core::okStatus();
  return authorizer_().require(subject.principal, "users.manage");
}

core::Status UserService::validateRoles(const std::vector<UserRole>& roles) const {
  return user_roles::check(roles, *policies_.engine(), *units_.unitTree(), "roles");
}

core::Status UserService::validatePassword(const std::string& password, const std::string& username,
                                           const std::string& field) const {
  if (!core::isValidUtf8(password) || password.size() > kMaxPasswordBytes) {
    return invalid("invalid_password", field,
                   "密码须为不超过 1024 字节的文字 (password: text of at most 1024 bytes)");
  }
  if (core::codePointCount(password) < options_.min_password_length) {
    return invalid("password_too_short", field,
                   "密码至少 " + std::to_string(options_.min_password_length) +
                       " 个字符 (password too short)");
  }
  if (password == username)
    return invalid("password_is_username", field,
                   "密码不能与用户名相同 (password equals username)");
  return core::okStatus();
}

core::Result<std::vector<UserRecord>> UserService::users(const Subject& subject) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  try {
    auto rs = store_.read();
    return AccountRepository::users(*rs);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<UserRecord> UserService::user(const Subject& subject, const std::string& username) {
  if (username != subject.id) {
    if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  }
  return find(username);
}

core::Result<UserService::Explanation> UserService::explain(const Subject& subject,
                                                            const std::string& username,
                                                            const std::string& permission) {
  const policies::Authorizer authorizer = authorizer_();
  if (!subject.system) {
    if (auto allowed = authorizer.require(subject.principal, "policies.read"); !allowed.ok())
      return allowed.error();
  }
  const bool known = std::find(std::begin(policies::kPermissions), std::end(policies::kPermissions),
                               permission) != std::end(policies::kPermissions);
  if (!known) {
    core::Error error = core::Error::make(core::ErrorCode::kInvalidArgument, "unknown_permission",
                                          "没有这项权限 (no such permission): " + permission);
    error.fields.push_back({"permission", "unknown_permission", error.message});
    return error;
  }
  policies::Principal principal = subject.principal;
  const std::string who = username.empty() ? subject.id : username;
  if (who != subject.id) {
    auto user = this->user(subject, who);
    if (!user.ok()) return user.error();
    principal = policies::Principal{user.value().id, user.value().username, {}};
    for (const auto& role : user.value().roles) principal.grants.push_back({role.role, role.unit});
  }
  return Explanation{
      who, authorizer.may(principal, permission),
      authorizer.engine().explain(principal, permission, std::nullopt, authorizer.units())};
}

core::Result<UserRecord> UserService::find(const std::string& username) {
  try {
    auto rs = store_.read();
    auto found = AccountRepository::userByName(*rs, username);
    if (!found) return userNotFound(username);
    return *found;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<bool> UserService::noUsers() {
  return store_.write<bool>(
      [](Transaction& tx) -> core::Result<bool> { return AccountRepository::userCount(tx) == 0; });
}

core::Result<UserRecord> UserService::storeNewUser(const Subject& subject, UserRecord user) {
  user.created_at = core::formatRfc3339(core::nowUtc());
  return store_.write<UserRecord>([&](Transaction& tx) -> core::Result<UserRecord> {
    if (AccountRepository::userByName(tx, user.username)) {
      return Error::make(ErrorCode::kConflict, "user_exists",
                         "用户名已存在 (username taken): " + user.username);
    }
    user.id = AccountRepository::insertUser(tx, user);
    audit(tx, subject, "user.create", "user", user.username, userRecord(user));
    return user;
  });
}

core::Result<UserRecord> UserService::addUser(const Subject& subject, const std::string& username,
                                              const std::string& password,
                                              std::vector<UserRole> roles,
                                              const std::string& displayName) {
  if (!isUsername(username)) {
    return invalid("invalid_username", "username",
                   "用户名须为 1-64 个小写字母、数字或 - _ . (username: 1-64 lower-case letters, "
                   "digits, - _ .)");
  }
  if (auto ok = validatePassword(password, username, "password"); !ok.ok()) return ok.error();
  std::sort(roles.begin(), roles.end());
  if (auto ok = validateRoles(roles); !ok.ok()) return ok.error();
  UserRecord user;
  user.username = username;
  user.display_name = displayName.empty() ? username : displayName;
  user.password_hash = core::hashPassword(password, options_.pbkdf2_iterations);
  user.roles = std::move(roles);
  return storeNewUser(subject, std::move(user));
}

core::Result<UserRecord> UserService::createUser(const Subject& subject, const Object::Ptr& body) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  std::vector<core::FieldError> errors;
  refuseUnknownFields(body, {"username", "password", "display_name", "roles"}, errors);
  const auto username = optionalString(body, "username", errors);
  const auto password = optionalString(body, "password", errors);
  const auto display = optionalString(body, "display_name", errors);
  if (!errors.empty()) {
    return withFields("invalid_user", "用户信息有误 (invalid user)", std::move(errors));
  }
  if (!username) return invalid("missing_field", "username", "缺少用户名 (username missing)");
  if (!password) return invalid("missing_field", "password", "缺少密码 (password missing)");
  std::vector<UserRole> roles;
  if (body->has("roles")) {
    auto parsed = user_roles::parse(body->get("roles"));
    if (!parsed.ok()) return parsed.error();
    roles = std::move(parsed).value();
  }
  if (display && (display->size() > kMaxNameBytes || !core::isValidUtf8(*display))) {
    return invalid("invalid_name", "display_name",
                   "姓名须为不超过 200 字节的文字 (display name: at most 200 bytes of text)");
  }
  return addUser(subject, *username, *password, roles, display.value_or(""));
}

core::Result<UserRecord> UserService::updateUser(const Subject& subject,
                                                 const std::string& username,
                                                 const Object::Ptr& patch) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  return applyUpdate(subject, username, patch);
}

core::Result<UserRecord> UserService::replaceOwnPassword(const Subject& subject,
                                                         const std::string& password) {
  Object::Ptr patch = new Object;
  patch->set("password", password);
  return applyUpdate(subject, subject.id, patch);
}

core::Result<UserRecord> UserService::applyUpdate(const Subject& subject,
                                                  const std::string& username,
                                                  const Object::Ptr& patch) {
  std::vector<core::FieldError> errors;
  refuseUnknownFields(patch, {"display_name", "roles", "disabled", "password"}, errors);
  const auto display = optionalString(patch, "display_name", errors);
  const auto password = optionalString(patch, "password", errors);
  std::optional<bool> disabled;
  if (patch->has("disabled")) {
    if (patch->get("disabled").type() != typeid(bool)) {
      errors.push_back(
          {"disabled", "invalid_type", "disabled 须为 true 或 false (must be a boolean)"});
    } else {
      disabled = patch->getValue<bool>("disabled");
    }
  }
  if (!errors.empty()) {
    return withFields("invalid_user", "用户信息有误 (invalid user)", std::move(errors));
  }
  std::optional<std::vector<UserRole>> roles;
  if (patch->has("roles")) {
    auto parsed = user_roles::parse(patch->get("roles"));
    if (!parsed.ok()) return parsed.error();
    if (auto ok = validateRoles(parsed.value()); !ok.ok()) return ok.error();
    roles = std::move(parsed).value();
  }
  if (display && !isValidName(*display)) {
    return invalid("invalid_name", "display_name",
                   "姓名须为 1-200 字节的文字 (display name: 1-200 bytes of text)");
  }
  std::optional<std::string> newHash;
  if (password) {
    if (auto ok = validatePassword(*password, username, "password"); !ok.ok()) return ok.error();
    newHash = core::hashPassword(*password, options_.pbkdf2_iterations);
  }
  return store_.write<UserRecord>([&](Transaction& tx) -> core::Result<UserRecord> {
    auto found = AccountRepository::userByName(tx, username);
    if (!found) return userNotFound(username);
    UserRecord user = *found;
    if (display) user.display_name = *display;
    if (roles) user.roles = *roles;
    if (disabled) user.disabled = *disabled;
    if (newHash) {
      user.password_hash = *newHash;
      user.failed_logins = 0;
      user.locked_until.clear();
    }
    const bool changed = core::canonicalJson(Poco::Dynamic::Var(userRecord(user))) !=
                         core::canonicalJson(Poco::Dynamic::Var(userRecord(*found)));
    if (!changed && !newHash) return user;
    // Someone must always be able to manage accounts without the command line.
    const auto isAdmin = [](const UserRecord& u) {
      return !u.disabled && std::any_of(u.roles.begin(), u.roles.end(),
                                        [](const UserRole& r) { return r.role == "admin"; });
    };
    if (isAdmin(*found) && !isAdmin(user) &&
        AccountRepository::enabledHoldersOf(tx, "admin", user.id) == 0) {
      return Error::make(
          ErrorCode::kConflict, "last_admin",
          "不能停用或撤销最后一个管理员 (the last admin cannot be disabled or demoted)");
    }
    AccountRepository::updateUser(tx, user);
    const std::string now = core::formatRfc3339(core::nowUtc());
    if (newHash || (user.disabled && !found->disabled))
      AccountRepository::revokeTokensOf(tx, user.id, now);
    if (roles && *roles != found->roles)
      audit(tx, subject, "user.roles", "user", user.username, userRecord(user));
    if (disabled && *disabled != found->disabled) {
      audit(tx, subject, *disabled ? "user.disable" : "user.enable", "user", user.username,
            userRecord(user));
    }
    if (display && *display != found->display_name)
      audit(tx, subject, "user.update", "user", user.username, userRecord(user));
    if (newHash) audit(tx, subject, "user.password", "user", user.username, userRecord(user));
    return user;
  });
}

Object::Ptr UserService::userJson(const UserRecord& user) {
  Object::Ptr out = new Object;
  out->set("username", user.username);
  out->set("display_name", user.display_name);
  out->set("disabled", user.disabled);
  out->set("roles", user_roles::toJson(user.roles));
  out->set("created_at", user.created_at);
  if (!user.locked_until.empty()) out->set("locked_until", user.locked_until);
  out->set("failed_logins", user.failed_logins);
  return out;
}

}  // namespace gongkai::server::service
