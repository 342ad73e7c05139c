#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/account.h"
#include "gongkai/server/service/auth_options.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/field.h"
#include "gongkai/server/service/incoming.h"
#include "gongkai/server/store/account_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// A new bearer token, shown once.
// The tokens of one account.
struct TokenList {
  std::string username;
  std::vector<TokenInfo> tokens;
};

struct IssuedToken {
  std::string token;
  std::int64_t token_id = 0;
  std::string expires_at;
  Account user;
};

// Bearer tokens, sessions and API tokens alike: which account a token stands for, and making,
// listing and revoking them. Only a token's digest is stored. Every new or revoked token is an
// audit entry. Thread-safe.
class TokenService {
 public:
  TokenService(store::Store& store, AuthOptions options, AuthorizerSource authorizer);

  // The principal a bearer token stands for; kUnauthenticated when it is malformed, unknown,
  // expired or revoked, or its account is disabled.
  core::Result<Subject> authenticate(const std::string& token, const std::string& address);
  // The same for a token known by its id (a download ticket names its session so).
  core::Result<Subject> authenticateSession(std::int64_t tokenId, const std::string& address);

  // An API token for the subject's own account, read once the subject is known to be signed in.
  // A token acts as its account, so each account makes its own: an admin who needs one for a
  // script makes a service account rather than a token in someone else's name
  // (kForbidden "token_for_other_user" when the request names another account).
  struct ApiTokenRequest {
    std::string username;  // "" or the subject's own
    std::string name;
    Field<std::int64_t> expires_in_days;  // whole days, 365 when absent
  };
  core::Result<IssuedToken> createApiToken(const Subject& subject,
                                           const Incoming<ApiTokenRequest>& read);
  // The tokens of `username` ("" for the subject's own): a signed-in subject's own, or any
  // account's for users.manage.
  core::Result<TokenList> tokens(const Subject& subject, const std::string& username);
  // Revokes a token: the subject's own, or anyone's for users.manage (kNotFound otherwise).
  core::Status revoke(const Subject& subject, std::int64_t tokenId);
  // Revokes a token of `ownerId` (any owner when nullopt), as decided by the caller.
  core::Status revokeToken(const Subject& subject, std::int64_t tokenId,
                           std::optional<std::int64_t> ownerId);

  // Stores, inside `tx`, a new token of `kind` ("session" or "api") for `user`, valid for
  // `lifetime`; the caller audits it.
  static IssuedToken issue(store::Transaction& tx, const store::UserRecord& user,
                           const std::string& kind, const std::string& name,
                           std::chrono::seconds lifetime);

 private:
  // The subject a token record stands for, when it is still good.
  core::Result<Subject> subjectOf(store::ReadSession& rs,
                                  const std::optional<store::TokenRecord>& record,
                                  const std::string& address);

  // The account a token request is about: the subject's own, or another for users.manage.
  core::Result<std::string> ownerFor(const Subject& subject, const std::string& asked) const;

  store::Store& store_;
  AuthOptions options_;
  AuthorizerSource authorizer_;
};

}  // namespace gongkai::server::service
