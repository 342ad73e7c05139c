#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/result.h"

namespace gongkai::server::service {

// A role an account holds: a role code of the policy, and the unit it is held for ("" when the
// role is not bound to a unit).
struct AccountRole {
  std::string role;
  std::string unit;
};

// An account as the services show it to callers: never its password hash.
struct Account {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  bool disabled = false;
  int failed_logins = 0;     // since the last successful sign-in
  std::string locked_until;  // RFC 3339, "" when not locked
  std::string created_at;
  std::vector<AccountRole> roles;  // sorted
  // Changes exactly when an audited change is made (see account_support::revisionOf): what an
  // editor sends back (If-Match) so a change made meanwhile is not overwritten.
  std::string revision;
};

// The roles a request names: absent, a list, or why the member is not one (reported when the
// service comes to the roles, after the caller's other mistakes).
using RolesAsRead = std::optional<core::Result<std::vector<AccountRole>>>;

// An account to create, as the caller asked for it. `form_errors` is what the transport found
// wrong with the request's form (unknown or mistyped members): the service reports them with its
// own once it has decided that the caller may act at all.
struct NewAccount {
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> display_name;
  RolesAsRead roles;
  std::vector<core::FieldError> form_errors;
};

// A change to an account: only what is given changes. `form_errors` as for NewAccount.
struct AccountChange {
  std::optional<std::string> display_name;
  std::optional<std::string> password;
  std::optional<bool> disabled;
  RolesAsRead roles;
  std::vector<core::FieldError> form_errors;
  // The revision the caller last saw; nullopt for an unconditional change.
  std::optional<std::string> expected_revision;
};

// A bearer token as its owner sees it: never the token itself.
struct TokenInfo {
  std::int64_t id = 0;
  std::string kind;  // "session" or "api"
  std::string name;
  std::string created_at, expires_at, revoked_at;  // RFC 3339; revoked_at "" while valid
};

}  // namespace gongkai::server::service
