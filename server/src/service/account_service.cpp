#include "gongkai/server/store/storage_error.h"
#include "gongkai/server/service/account_service.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>
#include <thread>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/core/time.h"
#include "gongkai/server/service/audit_trail.h"

namespace gongkai::server::service {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using store::AccountRepository;
using store::OrgUnit;
using store::Transaction;
using store::UserRecord;
using store::UserRole;

constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMaxNameBytes = 200;


Error invalid(const std::string& reason, const std::string& field, const std::string& message) {
  Error error = Error::make(ErrorCode::kInvalidArgument, reason, message);
  error.fields.push_back({field, reason, message});
  return error;
}

Error userNotFound(const std::string& username) {
  return Error::make(ErrorCode::kNotFound, "user_not_found",
                     "用户不存在 (no such user): " + username);
}

Error badCredentials() {
  return Error::make(ErrorCode::kUnauthenticated, "invalid_credentials",
                     "用户名或密码错误 (wrong username or password)");
}

Error badToken() {
  return Error::make(ErrorCode::kUnauthenticated, "invalid_token",
                     "令牌无效、已过期或已撤销，请重新登录 (token invalid, expired or revoked)");
}

// Appends an audit entry whose content hash is that of `record`'s canonical JSON.
void audit(Transaction& tx, const Subject& subject, const std::string& action,
           const std::string& objectType, const std::string& objectId, const Object::Ptr& record) {
  appendAudit(tx, subject, action, objectType, objectId, std::nullopt,
              core::sha256Hex(core::canonicalJson(Poco::Dynamic::Var(record))));
}

Object::Ptr unitRecord(const OrgUnit& unit) {
  Object::Ptr record = new Object;
  record->set("code", unit.code);
  record->set("name", unit.name);
  record->set("parent", unit.parent_code);
  return record;
}

Array::Ptr rolesJson(const std::vector<UserRole>& roles) {
  Array::Ptr out = new Array;
  for (const auto& role : roles) {
    Object::Ptr item = new Object;
    item->set("role", role.role);
    if (!role.unit.empty()) item->set("unit", role.unit);
    out->add(item);
  }
  return out;
}

// What an audit entry about a user covers: everything but secrets and counters.
Object::Ptr userRecord(const UserRecord& user) {
  Object::Ptr record = new Object;
  record->set("username", user.username);
  record->set("display_name", user.display_name);
  record->set("disabled", user.disabled);
  record->set("roles", rolesJson(user.roles));
  return record;
}

std::optional<std::string> optionalString(const Object::Ptr& body, const std::string& name,
                                          std::vector<core::FieldError>& errors) {
  if (!body->has(name)) return std::nullopt;
  const auto value = body->get(name);
  if (!value.isString()) {
    errors.push_back({name, "invalid_type", "须为字符串 (must be a string): " + name});
    return std::nullopt;
  }
  return value.extract<std::string>();
}

// A field error for each member of `json` not among `allowed`: typos must not pass silently.
void refuseUnknownFields(const Object::Ptr& json, std::initializer_list<std::string_view> allowed,
                         std::vector<core::FieldError>& errors) {
  for (const auto& [key, ignored] : *json) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      errors.push_back({key, "unknown_field", "未知字段 (unknown field): " + key});
    }
  }
}

// kInvalidArgument carrying every field error at once.
Error withFields(const std::string& reason, const std::string& message,
                 std::vector<core::FieldError> errors) {
  Error error = Error::make(ErrorCode::kInvalidArgument, reason, message);
  error.fields = std::move(errors);
  return error;
}

// A unit or display name: 1-200 bytes of UTF-8.
bool isValidName(const std::string& name) {
  return !name.empty() && name.size() <= kMaxNameBytes && core::isValidUtf8(name);
}

core::Result<std::vector<UserRole>> parseRoles(const Poco::Dynamic::Var& value) {
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

std::string after(std::chrono::seconds delay) {
  return core::formatRfc3339(core::nowUtc() + delay);
}

}  // namespace

bool isUnitCode(const std::string& code) {
  if (code.empty() || code.size() > 64) return false;
  return std::all_of(code.begin(), code.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

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

AccountService::AccountService(store::Store& store, PolicyService& policies, AuthOptions options)
    : store_(store),
      policies_(policies),
      options_(options),
      dummyHash_(core::hashPassword("no such user", options.pbkdf2_iterations)),
      throttle_(LoginThrottle::Options{options.login_attempts_per_address_per_minute,
                                       options.concurrent_password_checks}) {
  refreshUnits();
}

void AccountService::refreshUnits() {
  // One refresh at a time, each reading after the change it follows: the newest tree wins.
  std::lock_guard refreshing(refreshMutex_);
  std::map<std::string, std::string> parents;
  auto rs = store_.read();
  for (const auto& unit : AccountRepository::units(*rs)) parents[unit.code] = unit.parent_code;
  auto tree = std::make_shared<const policies::UnitTree>(parents);
  std::lock_guard lock(treeMutex_);
  tree_ = std::move(tree);
}

std::shared_ptr<const policies::UnitTree> AccountService::unitTree() const {
  std::lock_guard lock(treeMutex_);
  return tree_;
}

core::Result<std::vector<OrgUnit>> AccountService::units() {
  try {
    auto rs = store_.read();
    return AccountRepository::units(*rs);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<OrgUnit> AccountService::createUnit(const Subject& subject, const Object::Ptr& body) {
  std::vector<core::FieldError> errors;
  refuseUnknownFields(body, {"code", "name", "parent"}, errors);
  OrgUnit unit;
  unit.code = optionalString(body, "code", errors).value_or("");
  unit.name = optionalString(body, "name", errors).value_or("");
  unit.parent_code = optionalString(body, "parent", errors).value_or("");
  if (!isUnitCode(unit.code)) {
    errors.push_back(
        {"code", "invalid_unit_code",
         "单位代码须为 1-64 个字母、数字或 - _ . (unit code: 1-64 letters, digits, - _ .)"});
  }
  if (!isValidName(unit.name)) {
    errors.push_back(
        {"name", "invalid_name", "单位名称须为 1-200 字节的文字 (name: 1-200 bytes of text)"});
  }
  if (!errors.empty()) {
    return withFields("invalid_unit", "单位信息有误 (invalid unit)", std::move(errors));
  }
  unit.created_at = core::formatRfc3339(core::nowUtc());
  auto stored = store_.write<OrgUnit>([&](Transaction& tx) -> core::Result<OrgUnit> {
    bool exists = false, parentExists = unit.parent_code.empty();
    for (const auto& known : AccountRepository::units(tx)) {
      exists = exists || known.code == unit.code;
      parentExists = parentExists || known.code == unit.parent_code;
    }
    if (exists) {
      return Error::make(ErrorCode::kConflict, "unit_exists",
                         "单位代码已存在 (unit code already exists): " + unit.code);
    }
    if (!parentExists)
      return invalid("unknown_unit", "parent",
                     "上级单位不存在 (no such parent unit): " + unit.parent_code);
    AccountRepository::insertUnit(tx, unit);
    audit(tx, subject, "unit.create", "unit", unit.code, unitRecord(unit));
    return unit;
  });
  if (stored.ok()) refreshUnits();
  return stored;
}

core::Result<OrgUnit> AccountService::updateUnit(const Subject& subject, const std::string& code,
                                                 const Object::Ptr& patch) {
  std::vector<core::FieldError> errors;
  refuseUnknownFields(patch, {"name", "parent"}, errors);
  const auto name = optionalString(patch, "name", errors);
  const auto parent = optionalString(patch, "parent", errors);
  if (name && !isValidName(*name)) {
    errors.push_back(
        {"name", "invalid_name", "单位名称须为 1-200 字节的文字 (name: 1-200 bytes of text)"});
  }
  if (!errors.empty()) {
    return withFields("invalid_unit", "单位信息有误 (invalid unit)", std::move(errors));
  }
  auto stored = store_.write<OrgUnit>([&](Transaction& tx) -> core::Result<OrgUnit> {
    std::map<std::string, std::string> parents;
    std::optional<OrgUnit> found;
    for (auto& known : AccountRepository::units(tx)) {
      parents[known.code] = known.parent_code;
      if (known.code == code) found = known;
    }
    if (!found)
      return Error::make(ErrorCode::kNotFound, "unit_not_found",
                         "单位不存在 (no such unit): " + code);
    OrgUnit unit = *found;
    if (name) unit.name = *name;
    if (parent) {
      if (!parent->empty() && !parents.count(*parent)) {
        return invalid("unknown_unit", "parent",
                       "上级单位不存在 (no such parent unit): " + *parent);
      }
      // A unit may not move below itself.
      if (!parent->empty() && policies::UnitTree(parents).within(*parent, code)) {
        return invalid("unit_cycle", "parent",
                       "上级单位不能是本单位或其下级 (a unit cannot be placed below itself)");
      }
      unit.parent_code = *parent;
    }
    if (unit.name == found->name && unit.parent_code == found->parent_code) return unit;
    AccountRepository::updateUnit(tx, unit);
    audit(tx, subject, "unit.update", "unit", unit.code, unitRecord(unit));
    return unit;
  });
  if (stored.ok()) refreshUnits();
  return stored;
}

core::Status AccountService::validateRoles(const std::vector<UserRole>& roles,
                                           const policies::UnitTree& tree,
                                           const std::string& field) const {
  const auto engine = policies_.engine();
  for (const auto& grant : roles) {
    const policies::Role* role = engine->policies().role(grant.role);
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

core::Status AccountService::validatePassword(const std::string& password,
                                              const std::string& username,
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

core::Result<std::vector<UserRecord>> AccountService::users() {
  try {
    auto rs = store_.read();
    return AccountRepository::users(*rs);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<UserRecord> AccountService::user(const std::string& username) {
  try {
    auto rs = store_.read();
    auto found = AccountRepository::userByName(*rs, username);
    if (!found) return userNotFound(username);
    return *found;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<bool> AccountService::noUsers() {
  return store_.write<bool>(
      [](Transaction& tx) -> core::Result<bool> { return AccountRepository::userCount(tx) == 0; });
}

core::Result<UserRecord> AccountService::storeNewUser(const Subject& subject, UserRecord user) {
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

core::Result<UserRecord> AccountService::addUser(const Subject& subject,
                                                 const std::string& username,
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
  if (auto ok = validateRoles(roles, *unitTree(), "roles"); !ok.ok()) return ok.error();
  UserRecord user;
  user.username = username;
  user.display_name = displayName.empty() ? username : displayName;
  user.password_hash = core::hashPassword(password, options_.pbkdf2_iterations);
  user.roles = std::move(roles);
  return storeNewUser(subject, std::move(user));
}

core::Result<UserRecord> AccountService::createUser(const Subject& subject,
                                                    const Object::Ptr& body) {
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
    auto parsed = parseRoles(body->get("roles"));
    if (!parsed.ok()) return parsed.error();
    roles = std::move(parsed).value();
  }
  if (display && (display->size() > kMaxNameBytes || !core::isValidUtf8(*display))) {
    return invalid("invalid_name", "display_name",
                   "姓名须为不超过 200 字节的文字 (display name: at most 200 bytes of text)");
  }
  return addUser(subject, *username, *password, roles, display.value_or(""));
}

core::Result<UserRecord> AccountService::updateUser(const Subject& subject,
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
    auto parsed = parseRoles(patch->get("roles"));
    if (!parsed.ok()) return parsed.error();
    if (auto ok = validateRoles(parsed.value(), *unitTree(), "roles"); !ok.ok()) return ok.error();
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

core::Status AccountService::changeOwnPassword(const Subject& subject, const std::string& current,
                                               const std::string& replacement) {
  if (subject.principal.anonymous()) return badCredentials();
  // The current password is checked like a login, lockout and all: a stolen session must not
  // become a way to guess it.
  auto checked = attempt(subject.address, subject.id, current);
  if (auto* refusal = std::get_if<LoginRefusal>(&checked)) return refusal->error;
  (void)store_.write([&](Transaction& tx) -> core::Status {  // the check passed: clear the count
    auto user = AccountRepository::userByName(tx, subject.id);
    if (user && (user->failed_logins != 0 || !user->locked_until.empty())) {
      user->failed_logins = 0;
      user->locked_until.clear();
      AccountRepository::updateUser(tx, *user);
    }
    return core::okStatus();
  });
  Object::Ptr patch = new Object;
  patch->set("password", replacement);
  auto updated = updateUser(subject, subject.id, patch);
  if (!updated.ok()) return updated.error();
  return core::okStatus();
}

std::chrono::seconds AccountService::delayAfter(int failures) const {
  if (failures >= options_.lock_after_failures) return options_.lock_duration;
  const int over = failures - options_.slow_after_failures;
  if (over < 0) return std::chrono::seconds(0);
  return std::min<std::chrono::seconds>(std::chrono::seconds(1LL << std::min(over, 20)),
                                        options_.lock_duration);
}

std::optional<int> AccountService::countUnknownFailure(const std::string& username, bool failed) {
  std::lock_guard lock(unknownMutex_);
  const core::TimePoint now = core::nowUtc();
  const auto entry = unknownFailures_.find(username);
  if (entry != unknownFailures_.end() && entry->second.until > now) {
    return static_cast<int>(
        std::chrono::ceil<std::chrono::seconds>(entry->second.until - now).count());
  }
  if (failed) {
    // Bounded: a flood of made-up names empties the table rather than filling memory.
    if (unknownFailures_.size() > 10000) unknownFailures_.clear();
    auto& counted = unknownFailures_[username];
    ++counted.failures;
    counted.until = now + delayAfter(counted.failures);
  }
  return std::nullopt;
}

std::variant<UserRecord, LoginRefusal> AccountService::attempt(const std::string& address,
                                                               const std::string& username,
                                                               const std::string& password) {
  // Attempts are made by an unknown caller: the audit names the account only as the object.
  Subject subject;
  subject.address = address;
  const std::string objectId = isUsername(username) ? username : "?";
  const auto loginRecord = [&](const std::string& outcome) {
    Object::Ptr record = new Object;
    record->set("username", objectId);
    record->set("outcome", outcome);
    return record;
  };
  const auto auditOnly = [&](const std::string& action, const std::string& outcome) {
    (void)store_.write([&](Transaction& tx) -> core::Status {
      audit(tx, subject, action, "user", objectId, loginRecord(outcome));
      return core::okStatus();
    });
  };
  const auto locked = [&](int wait) {
    auditOnly("auth.login_refused", "locked");
    return LoginRefusal{Error::make(ErrorCode::kTooManyRequests, "account_locked",
                                    "登录失败次数过多，请 " + std::to_string(wait) +
                                        " 秒后再试 (too many failed logins; try again later)"),
                        wait};
  };

  // Floods are turned away before they cost a hash or an audit entry: too many attempts from
  // one address, or every password-check slot taken.
  if (auto wait = throttle_.admit(address, core::nowUtc())) {
    return LoginRefusal{Error::make(ErrorCode::kTooManyRequests, "too_many_attempts",
                                    "登录尝试过于频繁，请 " + std::to_string(*wait) +
                                        " 秒后再试 (too many login attempts from this address)"),
                        *wait};
  }
  const LoginThrottle::Slot slot(throttle_);
  if (!slot.acquired()) {
    return LoginRefusal{Error::make(ErrorCode::kTooManyRequests, "login_busy",
                                    "登录请求过多，请稍后再试 (too many logins at once; try again)"),
                        1};
  }

  // The attempt is counted as a failure before the password is checked, so guesses sent in
  // parallel meet the lock too; a match clears the count again.
  std::optional<UserRecord> attempted;
  int wait = 0;
  auto counted = store_.write([&](Transaction& tx) -> core::Status {
    if (!isUsername(username)) return core::okStatus();
    attempted = AccountRepository::userByName(tx, username);
    if (!attempted) return core::okStatus();
    const core::TimePoint now = core::nowUtc();
    const auto until = core::parseRfc3339(attempted->locked_until);
    if (until && *until > now) {
      wait = static_cast<int>(std::chrono::ceil<std::chrono::seconds>(*until - now).count());
      return core::okStatus();
    }
    UserRecord user = *attempted;
    ++user.failed_logins;
    const auto delay = delayAfter(user.failed_logins);
    user.locked_until = delay.count() > 0 ? core::formatRfc3339(now + delay) : "";
    AccountRepository::updateUser(tx, user);
    return core::okStatus();
  });
  if (!counted.ok()) return LoginRefusal{counted.error(), 0};
  if (wait > 0) return locked(wait);
  if (!attempted) {
    // Unknown names are slowed down alike, so the answers do not tell which accounts exist. They
    // are counted in memory, not audited: the log proves what happened to accounts, and a flood
    // of made-up names must not grow it forever (nor keep whatever was typed as a name).
    if (auto unknownWait = countUnknownFailure(username, false)) {
      return LoginRefusal{Error::make(ErrorCode::kTooManyRequests, "account_locked",
                                      "登录失败次数过多，请 " + std::to_string(*unknownWait) +
                                          " 秒后再试 (too many failed logins; try again later)"),
                          *unknownWait};
    }
  }

  // Always one hash, so an unknown name answers as slowly as a wrong password.
  const bool matches =
      core::verifyPassword(password, attempted ? attempted->password_hash : dummyHash_);
  if (!attempted) {
    countUnknownFailure(username, true);
    return LoginRefusal{badCredentials(), 0};
  }
  if (attempted->disabled || !matches) {
    auditOnly("auth.login_failed", attempted->disabled ? "disabled" : "wrong_password");
    return LoginRefusal{badCredentials(), 0};
  }
  return *attempted;
}

std::variant<IssuedToken, LoginRefusal> AccountService::login(const std::string& address,
                                                              const std::string& username,
                                                              const std::string& password) {
  auto checked = attempt(address, username, password);
  if (auto* refusal = std::get_if<LoginRefusal>(&checked)) return *refusal;
  const UserRecord& attempted = std::get<UserRecord>(checked);
  Subject subject;
  subject.id = attempted.username;
  subject.address = address;
  IssuedToken issued;
  issued.token = core::newToken();
  issued.expires_at = after(options_.session_lifetime);
  auto stored = store_.write<std::int64_t>([&](Transaction& tx) -> core::Result<std::int64_t> {
    auto user = AccountRepository::userById(tx, attempted.id);
    // Disabled, or given a new password, while the hash was being checked: no session.
    if (!user || user->disabled || user->password_hash != attempted.password_hash)
      return badCredentials();
    user->failed_logins = 0;
    user->locked_until.clear();
    AccountRepository::updateUser(tx, *user);
    store::TokenRecord token{
        0, user->id, "session", "login", core::formatRfc3339(core::nowUtc()), issued.expires_at,
        ""};
    const std::int64_t id =
        AccountRepository::insertToken(tx, core::tokenDigest(issued.token), token);
    Object::Ptr record = new Object;
    record->set("username", user->username);
    record->set("outcome", "ok");
    record->set("token_id", static_cast<Poco::Int64>(id));
    record->set("expires_at", issued.expires_at);
    audit(tx, subject, "auth.login", "user", user->username, record);
    issued.user = *user;
    return id;
  });
  if (!stored.ok()) return LoginRefusal{stored.error(), 0};
  issued.token_id = stored.value();
  return issued;
}

core::Result<Subject> AccountService::authenticate(const std::string& token,
                                                   const std::string& address) {
  if (!core::isWellFormedToken(token)) return badToken();
  try {
    auto rs = store_.read();
    return subjectOf(*rs, AccountRepository::tokenByDigest(*rs, core::tokenDigest(token)), address);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Subject> AccountService::authenticateSession(std::int64_t tokenId,
                                                          const std::string& address) {
  try {
    auto rs = store_.read();
    return subjectOf(*rs, AccountRepository::tokenById(*rs, tokenId), address);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Subject> AccountService::subjectOf(store::ReadSession& rs,
                                                const std::optional<store::TokenRecord>& record,
                                                const std::string& address) {
  if (!record || !record->revoked_at.empty()) return badToken();
  const auto expires = core::parseRfc3339(record->expires_at);
  if (!expires || *expires <= core::nowUtc()) return badToken();
  const auto user = AccountRepository::userById(rs, record->user_id);
  if (!user || user->disabled) return badToken();
  Subject subject;
  subject.id = user->username;
  subject.address = address;
  subject.token_id = record->id;
  subject.principal.user_id = user->id;
  subject.principal.username = user->username;
  for (const auto& role : user->roles) subject.principal.grants.push_back({role.role, role.unit});
  return subject;
}

core::Status AccountService::logout(const Subject& subject) {
  if (subject.token_id == 0) return badToken();
  return revokeToken(subject, subject.token_id, subject.principal.user_id);
}

core::Result<IssuedToken> AccountService::createApiToken(const Subject& subject,
                                                         const std::string& username,
                                                         const std::string& name, int days) {
  if (name.empty() || name.size() > kMaxNameBytes || !core::isValidUtf8(name)) {
    return invalid("invalid_name", "name",
                   "令牌名称须为 1-200 字节的文字 (name: 1-200 bytes of text)");
  }
  if (days < 1 || days > options_.api_token_max_days) {
    return invalid("invalid_lifetime", "expires_in_days",
                   "有效期须为 1-" + std::to_string(options_.api_token_max_days) +
                       " 天 (lifetime out of range)");
  }
  IssuedToken issued;
  issued.token = core::newToken();
  issued.expires_at = after(std::chrono::hours(24) * days);
  auto stored = store_.write<std::int64_t>([&](Transaction& tx) -> core::Result<std::int64_t> {
    auto user = AccountRepository::userByName(tx, username);
    if (!user) return userNotFound(username);
    store::TokenRecord token{
        0, user->id, "api", name, core::formatRfc3339(core::nowUtc()), issued.expires_at, ""};
    const std::int64_t id =
        AccountRepository::insertToken(tx, core::tokenDigest(issued.token), token);
    Object::Ptr record = new Object;
    record->set("token_id", static_cast<Poco::Int64>(id));
    record->set("username", user->username);
    record->set("name", name);
    record->set("expires_at", issued.expires_at);
    audit(tx, subject, "token.create", "user", user->username, record);
    issued.user = *user;
    return id;
  });
  if (!stored.ok()) return stored.error();
  issued.token_id = stored.value();
  return issued;
}

core::Result<std::vector<store::TokenRecord>> AccountService::tokens(const std::string& username) {
  try {
    auto rs = store_.read();
    const auto found = AccountRepository::userByName(*rs, username);
    if (!found) return userNotFound(username);
    return AccountRepository::tokensOf(*rs, found->id);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Status AccountService::revokeToken(const Subject& subject, std::int64_t tokenId,
                                         std::optional<std::int64_t> ownerId) {
  return store_.write([&](Transaction& tx) -> core::Status {
    const auto token = AccountRepository::tokenById(tx, tokenId);
    if (!token || (ownerId && token->user_id != *ownerId)) {
      return Error::make(ErrorCode::kNotFound, "token_not_found", "令牌不存在 (no such token)");
    }
    if (!token->revoked_at.empty()) return core::okStatus();
    const std::string now = core::formatRfc3339(core::nowUtc());
    AccountRepository::revokeToken(tx, tokenId, now);
    const auto owner = AccountRepository::userById(tx, token->user_id);
    Object::Ptr record = new Object;
    record->set("token_id", static_cast<Poco::Int64>(tokenId));
    record->set("revoked_at", now);
    const bool ownSession = token->kind == "session" && subject.principal.user_id == token->user_id;
    audit(tx, subject, ownSession ? "auth.logout" : "token.revoke", "user",
          owner ? owner->username : "?", record);
    return core::okStatus();
  });
}

Object::Ptr AccountService::userJson(const UserRecord& user) {
  Object::Ptr out = new Object;
  out->set("username", user.username);
  out->set("display_name", user.display_name);
  out->set("disabled", user.disabled);
  out->set("roles", rolesJson(user.roles));
  out->set("created_at", user.created_at);
  if (!user.locked_until.empty()) out->set("locked_until", user.locked_until);
  out->set("failed_logins", user.failed_logins);
  return out;
}

}  // namespace gongkai::server::service
