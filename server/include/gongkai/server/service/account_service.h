#pragma once

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gongkai/core/password.h"
#include "gongkai/core/result.h"
#include "gongkai/core/time.h"
#include "gongkai/policies/policy_engine.h"
#include "gongkai/server/service/login_throttle.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/account_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

struct AuthOptions {
  std::chrono::seconds session_lifetime{8 * 3600};
  int api_token_max_days = 366;
  int pbkdf2_iterations = core::kDefaultPbkdf2Iterations;
  // After this many failures in a row each further one makes the account wait 2^(n - this)
  // seconds before the next try; at lock_after_failures it is locked for lock_duration.
  int slow_after_failures = 3;
  int lock_after_failures = 10;
  std::chrono::seconds lock_duration{15 * 60};
  std::size_t min_password_length = 12;
  // Before any password check or audit write (see LoginThrottle).
  int login_attempts_per_address_per_minute = 60;
  int concurrent_password_checks = 1;
};

// A new bearer token, shown once.
struct IssuedToken {
  std::string token;
  std::int64_t token_id = 0;
  std::string expires_at;
  store::UserRecord user;
};

// Kept from a failed login, so the HTTP layer can send Retry-After.
struct LoginRefusal {
  core::Error error;
  int retry_after_seconds = 0;
};

// Organisation units, accounts, roles, logins and tokens. Every change, login and failed login
// is an audit entry. Thread-safe.
class AccountService {
 public:
  AccountService(store::Store& store, PolicyService& policies, AuthOptions options);

  // --- units
  core::Result<std::vector<store::OrgUnit>> units();
  core::Result<store::OrgUnit> createUnit(const Subject& subject,
                                          const Poco::JSON::Object::Ptr& body);
  core::Result<store::OrgUnit> updateUnit(const Subject& subject, const std::string& code,
                                          const Poco::JSON::Object::Ptr& patch);
  // The tree as of the last change; cheap to call on every request.
  std::shared_ptr<const policies::UnitTree> unitTree() const;

  // --- users
  core::Result<std::vector<store::UserRecord>> users();
  core::Result<store::UserRecord> user(const std::string& username);
  // body: username, password, optional display_name and roles [{role, unit}].
  core::Result<store::UserRecord> createUser(const Subject& subject,
                                             const Poco::JSON::Object::Ptr& body);
  // patch: display_name, roles, disabled, password. Disabling or a new password revokes the
  // user's tokens.
  core::Result<store::UserRecord> updateUser(const Subject& subject, const std::string& username,
                                             const Poco::JSON::Object::Ptr& patch);
  // The caller's own password, checked against the current one like a login (failures count
  // towards the lockout). Every token of the account is revoked: sign in again.
  core::Status changeOwnPassword(const Subject& subject, const std::string& current,
                                 const std::string& replacement);
  // An account with the given roles (display name: the username unless given); also for
  // `gongkai user add` and the first start.
  core::Result<store::UserRecord> addUser(const Subject& subject, const std::string& username,
                                          const std::string& password,
                                          std::vector<store::UserRole> roles,
                                          const std::string& displayName = "");
  // True when no account exists yet.
  core::Result<bool> noUsers();

  // --- authentication
  // A session token for the account, or a refusal (401, or 429 while slowed down or locked).
  std::variant<IssuedToken, LoginRefusal> login(const std::string& address,
                                                const std::string& username,
                                                const std::string& password);
  // The principal a bearer token stands for; kUnauthenticated when it is malformed, unknown,
  // expired or revoked, or its account is disabled.
  core::Result<Subject> authenticate(const std::string& token, const std::string& address);
  // The same for a token known by its id (a download ticket names its session so).
  core::Result<Subject> authenticateSession(std::int64_t tokenId, const std::string& address);
  core::Status logout(const Subject& subject);
  // An API token for `username` (the caller's own unless given), valid for `days`.
  core::Result<IssuedToken> createApiToken(const Subject& subject, const std::string& username,
                                           const std::string& name, int days);
  core::Result<std::vector<store::TokenRecord>> tokens(const std::string& username);
  // Revokes a token of `ownerId` (the caller's own, or anyone's for an admin: checked above).
  core::Status revokeToken(const Subject& subject, std::int64_t tokenId,
                           std::optional<std::int64_t> ownerId);

  // The JSON form of a user (never the password hash).
  static Poco::JSON::Object::Ptr userJson(const store::UserRecord& user);

 private:
  core::Status validateRoles(const std::vector<store::UserRole>& roles,
                             const policies::UnitTree& tree, const std::string& field) const;
  core::Status validatePassword(const std::string& password, const std::string& username,
                                const std::string& field) const;
  core::Result<store::UserRecord> storeNewUser(const Subject& subject, store::UserRecord user);
  void refreshUnits();
  // One password attempt for `username`, counted against lockout before the hash is checked and
  // audited when it fails: the account on success, else the refusal.
  std::variant<store::UserRecord, LoginRefusal> attempt(const std::string& address,
                                                        const std::string& username,
                                                        const std::string& password);
  // How long an account waits after `failures` failed logins in a row (0: not at all).
  std::chrono::seconds delayAfter(int failures) const;
  // Failed logins for names that are not accounts, kept in memory and slowed down alike. With
  // `failed` counts one more; returns the seconds to wait while the name is held back.
  std::optional<int> countUnknownFailure(const std::string& username, bool failed);
  // The subject a token record stands for, when it is still good.
  core::Result<Subject> subjectOf(store::ReadSession& rs,
                                  const std::optional<store::TokenRecord>& record,
                                  const std::string& address);

  store::Store& store_;
  PolicyService& policies_;
  AuthOptions options_;
  const std::string dummyHash_;  // verified against for unknown users, so timing tells nothing
  struct UnknownName {
    int failures = 0;
    core::TimePoint until{};
  };
  LoginThrottle throttle_;
  std::mutex unknownMutex_;
  std::map<std::string, UnknownName> unknownFailures_;
  std::mutex refreshMutex_;
  mutable std::mutex treeMutex_;
  std::shared_ptr<const policies::UnitTree> tree_;
};

// True for an organisation unit code: 1-64 of letters, digits, '-', '_', '.'.
bool isUnitCode(const std::string& code);
// True for a username: 1-64 of lower-case letters, digits, '-', '_', '.', starting with a letter
// or digit.
bool isUsername(const std::string& name);

}  // namespace gongkai::server::service
