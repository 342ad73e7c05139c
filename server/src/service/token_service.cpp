#include "gongkai/server/service/token_service.h"

#include <Poco/JSON/Object.h>

#include "account_support.h"
#include "gongkai/core/password.h"
#include "gongkai/core/time.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {
namespace {

using account_support::audit;
using account_support::badToken;
using account_support::invalid;
using account_support::isValidName;
using account_support::userNotFound;
using core::Error;
using core::ErrorCode;
using Poco::JSON::Object;
using store::AccountRepository;
using store::Transaction;

}  // namespace

TokenService::TokenService(store::Store& store, AuthOptions options, AuthorizerSource authorizer)
    : store_(store), options_(options), authorizer_(std::move(authorizer)) {}

core::Result<std::string> TokenService::ownerFor(const Subject& subject,
                                                 const std::string& asked) const {
  if (subject.principal.anonymous() && !subject.system) return account_support::signInFirst();
  if (asked.empty() || asked == subject.id) return subject.id;
  if (!subject.system) {
    if (auto ok = authorizer_().require(subject.principal, "users.manage"); !ok.ok())
      return ok.error();
  }
  return asked;
}

IssuedToken TokenService::issue(Transaction& tx, const store::UserRecord& user,
                                const std::string& kind, const std::string& name,
                                std::chrono::seconds lifetime) {
  const core::TimePoint now = core::nowUtc();
  IssuedToken issued;
  issued.token = core::newToken();
  issued.expires_at = core::formatRfc3339(now + lifetime);
  issued.user = account_support::accountOf(user);
  const store::TokenRecord token{
      0, user.id, kind, name, core::formatRfc3339(now), issued.expires_at, ""};
  issued.token_id = AccountRepository::insertToken(tx, core::tokenDigest(issued.token), token);
  return issued;
}

core::Result<Subject> TokenService::authenticate(const std::string& token,
                                                 const std::string& address) {
  if (!core::isWellFormedToken(token)) return badToken();
  try {
    auto rs = store_.read();
    return subjectOf(*rs, AccountRepository::tokenByDigest(*rs, core::tokenDigest(token)), address);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Subject> TokenService::authenticateSession(std::int64_t tokenId,
                                                        const std::string& address) {
  try {
    auto rs = store_.read();
    return subjectOf(*rs, AccountRepository::tokenById(*rs, tokenId), address);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Subject> TokenService::subjectOf(store::ReadSession& rs,
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

core::Result<IssuedToken> TokenService::createApiToken(const Subject& subject,
                                                       const Incoming<ApiTokenRequest>& read) {
  if (subject.principal.anonymous() && !subject.system) return account_support::signInFirst();
  auto asked = read();
  if (!asked.ok()) return asked.error();
  const ApiTokenRequest& request = asked.value();
  if (!request.username.empty() && request.username != subject.id) {
    return Error::make(ErrorCode::kForbidden, "token_for_other_user",
                       "令牌只能为自己的账户创建 (tokens are made by their own account)");
  }
  const auto& lifetime = request.expires_in_days;
  if (lifetime.given() && !lifetime.hasValue()) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "invalid_lifetime",
                              "有效期须为整数天 (days must be an integer)");
    error.fields.push_back({"expires_in_days", "invalid_type", error.message});
    return error;
  }
  const std::int64_t days = lifetime.hasValue() ? lifetime.value : 365;
  const std::string& name = request.name;
  const std::string& username = subject.id;
  if (!isValidName(name)) {
    return invalid("invalid_name", "name",
                   "令牌名称须为 1-200 字节的文字 (name: 1-200 bytes of text)");
  }
  if (days < 1 || days > options_.api_token_max_days) {
    return invalid("invalid_lifetime", "expires_in_days",
                   "有效期须为 1-" + std::to_string(options_.api_token_max_days) +
                       " 天 (lifetime out of range)");
  }
  return store_.write<IssuedToken>([&](Transaction& tx) -> core::Result<IssuedToken> {
    auto user = AccountRepository::userByName(tx, username);
    if (!user) return userNotFound(username);
    IssuedToken issued = issue(tx, *user, "api", name, std::chrono::hours(24) * days);
    Object::Ptr record = new Object;
    record->set("token_id", static_cast<Poco::Int64>(issued.token_id));
    record->set("username", user->username);
    record->set("name", name);
    record->set("expires_at", issued.expires_at);
    audit(tx, subject, "token.create", "user", user->username, record);
    return issued;
  });
}

core::Result<TokenList> TokenService::tokens(const Subject& subject, const std::string& username) {
  auto owner = ownerFor(subject, username);
  if (!owner.ok()) return owner.error();
  try {
    auto rs = store_.read();
    const auto found = AccountRepository::userByName(*rs, owner.value());
    if (!found) return userNotFound(owner.value());
    TokenList list{owner.value(), {}};
    for (const auto& token : AccountRepository::tokensOf(*rs, found->id))
      list.tokens.push_back(account_support::tokenInfoOf(token));
    return list;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Status TokenService::revoke(const Subject& subject, std::int64_t tokenId) {
  if (auto own = ownerFor(subject, ""); !own.ok()) return own.error();
  // Anyone may revoke their own tokens; users.manage may revoke anyone's.
  std::optional<std::int64_t> owner = subject.principal.user_id;
  if (subject.system || authorizer_().may(subject.principal, "users.manage")) owner.reset();
  return revokeToken(subject, tokenId, owner);
}

core::Status TokenService::revokeToken(const Subject& subject, std::int64_t tokenId,
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

}  // namespace gongkai::server::service
