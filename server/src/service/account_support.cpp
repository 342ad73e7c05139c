#include "account_support.h"

#include <algorithm>

#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/server/service/audit_trail.h"
#include "user_roles.h"

namespace gongkai::server::service::account_support {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Object;

bool isValidName(const std::string& name) {
  return !name.empty() && name.size() <= kMaxNameBytes && core::isValidUtf8(name);
}

Error invalid(const std::string& reason, const std::string& field, const std::string& message) {
  Error error = Error::make(ErrorCode::kInvalidArgument, reason, message);
  error.fields.push_back({field, reason, message});
  return error;
}

Error withFields(const std::string& reason, const std::string& message,
                 std::vector<core::FieldError> errors) {
  Error error = Error::make(ErrorCode::kInvalidArgument, reason, message);
  error.fields = std::move(errors);
  return error;
}

Object::Ptr auditedUser(const store::UserRecord& user) {
  Object::Ptr record = new Object;
  record->set("username", user.username);
  record->set("display_name", user.display_name);
  record->set("disabled", user.disabled);
  record->set("roles", user_roles::toJson(user.roles));
  return record;
}

std::string revisionOf(const Object::Ptr& auditedState) {
  return "r" + core::sha256Hex(core::canonicalJson(Poco::Dynamic::Var(auditedState))).substr(0, 16);
}

Error staleRevision(const std::string& what) {
  return Error::make(ErrorCode::kPreconditionFailed, "version_mismatch",
                     what + "已被他人修改，请刷新后再改 (changed meanwhile; reload and try again)");
}

Account accountOf(const store::UserRecord& user) {
  Account account{user.id,
                  user.username,
                  user.display_name,
                  user.disabled,
                  user.failed_logins,
                  user.locked_until,
                  user.created_at,
                  {},
                  revisionOf(auditedUser(user))};
  for (const auto& role : user.roles) account.roles.push_back({role.role, role.unit});
  return account;
}

TokenInfo tokenInfoOf(const store::TokenRecord& token) {
  return TokenInfo{token.id,         token.kind,       token.name,
                   token.created_at, token.expires_at, token.revoked_at};
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

Error signInFirst() {
  return Error::make(ErrorCode::kUnauthenticated, "authentication_required",
                     "请先登录 (sign in first)");
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

void refuseUnknownFields(const Object::Ptr& json, std::initializer_list<std::string_view> allowed,
                         std::vector<core::FieldError>& errors) {
  for (const auto& [key, ignored] : *json) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      errors.push_back({key, "unknown_field", "未知字段 (unknown field): " + key});
    }
  }
}

void audit(store::Transaction& tx, const Subject& subject, const std::string& action,
           const std::string& objectType, const std::string& objectId, const Object::Ptr& record) {
  appendAudit(tx, subject, action, objectType, objectId, std::nullopt,
              core::sha256Hex(core::canonicalJson(Poco::Dynamic::Var(record))));
}

}  // namespace gongkai::server::service::account_support
