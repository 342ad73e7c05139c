#pragma once

#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/account.h"
#include "gongkai/server/service/auth_options.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/unit_service.h"
#include "gongkai/server/store/account_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// Accounts and the roles they hold, under the password policy and the roles of the policy in
// force. Every change is an audit entry. Thread-safe.
class UserService {
 public:
  // `units` checks the units roles are held for; it must outlive this.
  UserService(store::Store& store, PolicyService& policies, const UnitService& units,
              AuthOptions options, AuthorizerSource authorizer);

  // The use cases decide for themselves: managing accounts needs users.manage; anyone signed in
  // reads their own account and why they may or may not do something.
  core::Result<std::vector<Account>> users(const Subject& subject);
  core::Result<Account> user(const Subject& subject, const std::string& username);
  // The account of that name, for the server's own checks (no decision: not a use case).
  core::Result<store::UserRecord> find(const std::string& username);
  // The signed-in caller's own account and the permissions it holds under the policy in force,
  // in the policy's order; kUnauthenticated for an anonymous caller.
  struct OwnAccount {
    Account account;
    std::vector<std::string> permissions;
  };
  core::Result<OwnAccount> me(const Subject& subject);
  // Why `username` ("" for the subject) may or may not do `permission`: the roles consulted and
  // which grant it, Chinese first.
  struct Explanation {
    std::string username;
    bool allowed = false;
    std::string text;
  };
  core::Result<Explanation> explain(const Subject& subject, const std::string& username,
                                    const std::string& permission);
  // An account with a password, and a display name and roles when given.
  core::Result<Account> createUser(const Subject& subject, const NewAccount& asked);
  // Disabling or a new password revokes the user's tokens.
  core::Result<Account> updateUser(const Subject& subject, const std::string& username,
                                   const AccountChange& change);
  // The subject's own new password, once the sign-in service has checked the current one.
  core::Result<Account> replaceOwnPassword(const Subject& subject, const std::string& password);
  // An account with the given roles (display name: the username unless given); also for
  // `gongkai user add` and the first start.
  core::Result<store::UserRecord> addUser(const Subject& subject, const std::string& username,
                                          const std::string& password,
                                          std::vector<store::UserRole> roles,
                                          const std::string& displayName = "");
  // True when no account exists yet.
  core::Result<bool> noUsers();

 private:
  core::Status mayManage(const Subject& subject) const;
  core::Result<store::UserRecord> applyUpdate(const Subject& subject, const std::string& username,
                                              const AccountChange& change);
  // Against the policy in force and the unit tree, for the "roles" field.
  core::Status validateRoles(const std::vector<store::UserRole>& roles) const;
  core::Status validatePassword(const std::string& password, const std::string& username,
                                const std::string& field) const;
  core::Result<store::UserRecord> storeNewUser(const Subject& subject, store::UserRecord user);

  store::Store& store_;
  PolicyService& policies_;
  const UnitService& units_;
  AuthOptions options_;
  AuthorizerSource authorizer_;
};

// True for a username: 1-64 of lower-case letters, digits, '-', '_', '.', starting with a letter
// or digit.
bool isUsername(const std::string& name);

}  // namespace gongkai::server::service
