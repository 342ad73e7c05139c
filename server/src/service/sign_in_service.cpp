#include "gongkai/server/service/sign_in_service.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

#include "account_support.h"
#include "gongkai/core/password.h"

namespace gongkai::server::service {
namespace {

using account_support::audit;
using account_support::badCredentials;
using account_support::badToken;
using account_support::signInFirst;
using core::Error;
using core::ErrorCode;
using Poco::JSON::Object;
using store::AccountRepository;
using store::Transaction;
using store::UserRecord;

int secondsUntil(core::TimePoint until, core::TimePoint now) {
  return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(until - now).count());
}

// Known or not, a name held back after failed logins gets the same answer.
LoginRefusal heldBack(int wait) {
  return LoginRefusal{Error::make(ErrorCode::kTooManyRequests, "account_locked",
                                  "登录失败次数过多，请 " + std::to_string(wait) +
                                      " 秒后再试 (too many failed logins; try again later)"),
                      wait};
}

}  // namespace

SignInService::SignInService(store::Store& store, UserService& users, TokenService& tokens,
                             AuthOptions options)
    : store_(store),
      users_(users),
      tokens_(tokens),
      options_(options),
      dummyHash_(core::hashPassword("no such user", options.pbkdf2_iterations)),
      throttle_(LoginThrottle::Options{options.login_attempts_per_address_per_minute,
                                       options.concurrent_password_checks}) {}

std::variant<IssuedToken, LoginRefusal> SignInService::login(const std::string& address,
                                                             const std::string& username,
                                                             const std::string& password) {
  if (username.empty() || password.empty()) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "missing_credentials",
                              "请提供用户名和密码 (username and password are required)");
    if (username.empty())
      error.fields.push_back({"username", "missing_field", "缺少用户名 (username missing)"});
    if (password.empty())
      error.fields.push_back({"password", "missing_field", "缺少密码 (password missing)"});
    return LoginRefusal{error, 0};
  }
  auto checked = attempt(address, username, password);
  if (auto* refusal = std::get_if<LoginRefusal>(&checked)) {
    refusedLogins_.fetch_add(1, std::memory_order_relaxed);
    return *refusal;
  }
  const UserRecord& attempted = std::get<UserRecord>(checked);
  Subject subject;
  subject.id = attempted.username;
  subject.address = address;
  auto issued = store_.write<IssuedToken>([&](Transaction& tx) -> core::Result<IssuedToken> {
    auto user = AccountRepository::userById(tx, attempted.id);
    // Disabled, or given a new password, while the hash was being checked: no session.
    if (!user || user->disabled || user->password_hash != attempted.password_hash)
      return badCredentials();
    user->failed_logins = 0;
    user->locked_until.clear();
    AccountRepository::updateUser(tx, *user);
    IssuedToken session =
        TokenService::issue(tx, *user, "session", "login", options_.session_lifetime);
    Object::Ptr record = new Object;
    record->set("username", user->username);
    record->set("outcome", "ok");
    record->set("token_id", static_cast<Poco::Int64>(session.token_id));
    record->set("expires_at", session.expires_at);
    audit(tx, subject, "auth.login", "user", user->username, record);
    return session;
  });
  if (!issued.ok()) return LoginRefusal{issued.error(), 0};
  return std::move(issued).value();
}

core::Status SignInService::logout(const Subject& subject) {
  if (subject.principal.anonymous()) return signInFirst();
  if (subject.token_id == 0) return badToken();
  return tokens_.revokeToken(subject, subject.token_id, subject.principal.user_id);
}

core::Status SignInService::changeOwnPassword(const Subject& subject,
                                              const Incoming<PasswordChange>& read) {
  if (subject.principal.anonymous()) return signInFirst();
  auto change = read();
  if (!change.ok()) return change.error();
  // The current password is checked like a login, lockout and all: a stolen session must not
  // become a way to guess it.
  auto checked = attempt(subject.address, subject.id, change.value().current);
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
  auto updated = users_.replaceOwnPassword(subject, change.value().replacement);
  if (!updated.ok()) return updated.error();
  return core::okStatus();
}

std::chrono::seconds SignInService::delayAfter(int failures) const {
  if (failures >= options_.lock_after_failures) return options_.lock_duration;
  const int over = failures - options_.slow_after_failures;
  if (over < 0) return std::chrono::seconds(0);
  return std::min<std::chrono::seconds>(std::chrono::seconds(1LL << std::min(over, 20)),
                                        options_.lock_duration);
}

std::optional<int> SignInService::countUnknownFailure(const std::string& username, bool failed) {
  std::lock_guard lock(unknownMutex_);
  const core::TimePoint now = core::nowUtc();
  const auto entry = unknownFailures_.find(username);
  if (entry != unknownFailures_.end() && entry->second.until > now) {
    return secondsUntil(entry->second.until, now);
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

std::variant<UserRecord, LoginRefusal> SignInService::attempt(const std::string& address,
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
    return heldBack(wait);
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
    return LoginRefusal{
        Error::make(ErrorCode::kTooManyRequests, "login_busy",
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
      wait = secondsUntil(*until, now);
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
    if (auto unknownWait = countUnknownFailure(username, false)) return heldBack(*unknownWait);
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

}  // namespace gongkai::server::service
