#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "gongkai/core/result.h"
#include "gongkai/core/time.h"
#include "gongkai/server/service/auth_options.h"
#include "gongkai/server/service/incoming.h"
#include "gongkai/server/service/login_throttle.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/service/token_service.h"
#include "gongkai/server/service/user_service.h"
#include "gongkai/server/store/account_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// Kept from a failed login, so the HTTP layer can send Retry-After.
struct LoginRefusal {
  core::Error error;
  int retry_after_seconds = 0;
};

// Password sign-in and sessions. Every password check is throttled per address and in
// parallel (LoginThrottle) and counted towards the account's lockout; every login, failed login
// and logout is an audit entry. Thread-safe.
class SignInService {
 public:
  // `users` and `tokens` must outlive this.
  SignInService(store::Store& store, UserService& users, TokenService& tokens, AuthOptions options);

  // A session token for the account, or a refusal (422 "missing_credentials" for an empty name
  // or password, 401, or 429 while slowed down or locked).
  std::variant<IssuedToken, LoginRefusal> login(const std::string& address,
                                                const std::string& username,
                                                const std::string& password);
  // Logins refused since the server started (wrong password, unknown name, held back, locked).
  std::uint64_t refusedLogins() const { return refusedLogins_.load(std::memory_order_relaxed); }
  // Ends the session the subject signed in with (kUnauthenticated for an anonymous caller).
  core::Status logout(const Subject& subject);
  // The caller's own password, checked against the current one like a login (failures count
  // towards the lockout). Every token of the account is revoked: sign in again. The change is
  // read only for a signed-in caller.
  struct PasswordChange {
    std::string current;
    std::string replacement;
  };
  core::Status changeOwnPassword(const Subject& subject, const Incoming<PasswordChange>& read);

 private:
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

  store::Store& store_;
  std::atomic<std::uint64_t> refusedLogins_{0};
  UserService& users_;
  TokenService& tokens_;
  AuthOptions options_;
  const std::string dummyHash_;  // verified against for unknown users, so timing tells nothing
  struct UnknownName {
    int failures = 0;
    core::TimePoint until{};
  };
  LoginThrottle throttle_;
  std::mutex unknownMutex_;
  std::map<std::string, UnknownName> unknownFailures_;
};

}  // namespace gongkai::server::service
