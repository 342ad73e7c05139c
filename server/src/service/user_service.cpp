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

using account_support::accountOf;
using account_support::audit;
using account_support::auditedUser;
using account_support::invalid;
using account_support::isValidName;
using account_support::kMaxNameBytes;
using account_support::revisionOf;
using account_support::staleRevision;
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

// What the caller is shown of the account a use case read or changed.
core::Result<Account> shown(const core::Result<UserRecord>& user) {
  if (!user.ok()) return user.error();
  return accountOf(user.value());
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

core::Result<std::vector<Account>> UserService::users(const Subject& subject) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  try {
    auto rs = store_.read();
    std::vector<Account> out;
    for (const auto& user : AccountRepository::users(*rs)) out.push_back(accountOf(user));
    return out;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Account> UserService::user(const Subject& subject, const std::string& username) {
  if (username != subject.id) {
    if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  }
  return shown(find(username));
}

core::Result<UserService::OwnAccount> UserService::me(const Subject& subject) {
  if (subject.principal.anonymous()) return account_support::signInFirst();
  auto account = user(subject, subject.id);
  if (!account.ok()) return account.error();
  OwnAccount own{std::move(account).value(), {}};
  const auto engine = policies_.engine();
  for (const auto permission : policies::kPermissions) {
    if (engine->may(subject.principal, permission)) own.permissions.emplace_back(permission);
  }
  return own;
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
    audit(tx, subject, "user.create", "user", user.username, auditedUser(user));
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

core::Result<Account> UserService::createUser(const Subject& subject, const NewAccount& asked) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  if (!asked.form_errors.empty())
    return withFields("invalid_user", "用户信息有误 (invalid user)", asked.form_errors);
  const auto& username = asked.username;
  const auto& password = asked.password;
  const auto& display = asked.display_name;
  if (!username) return invalid("missing_field", "username", "缺少用户名 (username missing)");
  if (!password) return invalid("missing_field", "password", "缺少密码 (password missing)");
  std::vector<UserRole> roles;
  if (asked.roles) {
    if (!asked.roles->ok()) return asked.roles->error();
    roles = user_roles::fromAccount(asked.roles->value());
  }
  if (display && (display->size() > kMaxNameBytes || !core::isValidUtf8(*display))) {
    return invalid("invalid_name", "display_name",
                   "姓名须为不超过 200 字节的文字 (display name: at most 200 bytes of text)");
  }
  return shown(addUser(subject, *username, *password, roles, display.value_or("")));
}

core::Result<Account> UserService::updateUser(const Subject& subject, const std::string& username,
                                              const AccountChange& change) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  return shown(applyUpdate(subject, username, change));
}

core::Result<Account> UserService::replaceOwnPassword(const Subject& subject,
                                                      const std::string& password) {
  AccountChange change;
  change.password = password;
  return shown(applyUpdate(subject, subject.id, change));
}

core::Result<UserRecord> UserService::applyUpdate(const Subject& subject,
                                                  const std::string& username,
                                                  const AccountChange& change) {
  if (!change.form_errors.empty())
    return withFields("invalid_user", "用户信息有误 (invalid user)", change.form_errors);
  const auto& display = change.display_name;
  const auto& password = change.password;
  const auto& disabled = change.disabled;
  std::optional<std::vector<UserRole>> roles;
  if (change.roles) {
    if (!change.roles->ok()) return change.roles->error();
    auto asked = user_roles::fromAccount(change.roles->value());
    if (auto ok = validateRoles(asked); !ok.ok()) return ok.error();
    roles = std::move(asked);
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
    if (change.expected_revision && *change.expected_revision != revisionOf(auditedUser(*found)))
      return staleRevision("账户");
    UserRecord user = *found;
    if (display) user.display_name = *display;
    if (roles) user.roles = *roles;
    if (disabled) user.disabled = *disabled;
    if (newHash) {
      user.password_hash = *newHash;
      user.failed_logins = 0;
      user.locked_until.clear();
    }
    const bool changed = core::canonicalJson(Poco::Dynamic::Var(auditedUser(user))) !=
                         core::canonicalJson(Poco::Dynamic::Var(auditedUser(*found)));
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
      audit(tx, subject, "user.roles", "user", user.username, auditedUser(user));
    if (disabled && *disabled != found->disabled) {
      audit(tx, subject, *disabled ? "user.disable" : "user.enable", "user", user.username,
            auditedUser(user));
    }
    if (display && *display != found->display_name)
      audit(tx, subject, "user.update", "user", user.username, auditedUser(user));
    if (newHash) audit(tx, subject, "user.password", "user", user.username, auditedUser(user));
    return user;
  });
}

}  // namespace gongkai::server::service
