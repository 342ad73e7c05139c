#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/auth_options.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
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
              AuthOptions options);

  core::Result<std::vector<store::UserRecord>> users();
  core::Result<store::UserRecord> user(const std::string& username);
  // body: username, password, optional display_name and roles [{role, unit}].
  core::Result<store::UserRecord> createUser(const Subject& subject,
                                             const Poco::JSON::Object::Ptr& body);
  // patch: display_name, roles, disabled, password. Disabling or a new password revokes the
  // user's tokens.
  core::Result<store::UserRecord> updateUser(const Subject& subject, const std::string& username,
                                             const Poco::JSON::Object::Ptr& patch);
  // An account with the given roles (display name: the username unless given); also for
  // `gongkai user add` and the first start.
  core::Result<store::UserRecord> addUser(const Subject& subject, const std::string& username,
                                          const std::string& password,
                                          std::vector<store::UserRole> roles,
                                          const std::string& displayName = "");
  // True when no account exists yet.
  core::Result<bool> noUsers();

  // The JSON form of a user (never the password hash).
  static Poco::JSON::Object::Ptr userJson(const store::UserRecord& user);

 private:
  // Against the policy in force and the unit tree, for the "roles" field.
  core::Status validateRoles(const std::vector<store::UserRole>& roles) const;
  core::Status validatePassword(const std::string& password, const std::string& username,
                                const std::string& field) const;
  core::Result<store::UserRecord> storeNewUser(const Subject& subject, store::UserRecord user);

  store::Store& store_;
  PolicyService& policies_;
  const UnitService& units_;
  AuthOptions options_;
};

// True for a username: 1-64 of lower-case letters, digits, '-', '_', '.', starting with a letter
// or digit.
bool isUsername(const std::string& name);

}  // namespace gongkai::server::service
