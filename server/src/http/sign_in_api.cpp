// Signing in and out, the caller's own account, and bearer tokens, over HTTP.

#include "body_reader.h"
#include "json_build.h"
#include "routes.h"
#include "user_json.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

// The member when it is a string, else "" (which the service refuses where it needs one).
std::string stringField(const Object::Ptr& body, const std::string& name) {
  return textField(body, name).value;
}

Object::Ptr issuedJson(const service::IssuedToken& issued) {
  return json::object({"token"_f = issued.token, "token_type"_f = "Bearer",
                       "token_id"_f = issued.token_id, "expires_at"_f = issued.expires_at,
                       "user"_f = userJson(issued.user)});
}

// 204, or the problem `done` holds.
void sendNoContent(Exchange& ex, const core::Status& done) {
  if (!done.ok()) return ex.sendProblem(done.error());
  ex.response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
  ex.response.setContentLength(0);
  ex.response.send().flush();
}

core::Status signedIn(const Exchange& ex) {
  if (!ex.subject.principal.anonymous()) return core::okStatus();
  return Error::make(ErrorCode::kUnauthenticated, "authentication_required",
                     "请先登录 (sign in first)");
}

void login(Exchange& ex, service::SignInService& signIn) {
  auto body = ex.readJsonObject(kMaxAccountBodyBytes);
  if (!body.ok()) return ex.sendProblem(body.error());
  const std::string username = stringField(body.value(), "username");
  const std::string password = stringField(body.value(), "password");
  if (username.empty() || password.empty()) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "missing_credentials",
                              "请提供用户名和密码 (username and password are required)");
    if (username.empty())
      error.fields.push_back({"username", "missing_field", "缺少用户名 (username missing)"});
    if (password.empty())
      error.fields.push_back({"password", "missing_field", "缺少密码 (password missing)"});
    return ex.sendProblem(error);
  }
  auto outcome = signIn.login(ex.subject.address, username, password);
  if (auto* refusal = std::get_if<service::LoginRefusal>(&outcome)) {
    if (refusal->retry_after_seconds > 0) {
      ex.response.set("Retry-After", std::to_string(refusal->retry_after_seconds));
    }
    return ex.sendProblem(refusal->error);
  }
  ex.response.set("Cache-Control", "no-store");
  ex.sendJson(HTTPResponse::HTTP_OK, issuedJson(std::get<service::IssuedToken>(outcome)));
}

// {"name", "expires_in_days" (365 when not given)} for a token of the caller's own account.
void createToken(Exchange& ex, service::TokenService& tokens) {
  if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
  auto body = ex.readJsonObject(kMaxAccountBodyBytes);
  if (!body.ok()) return ex.sendProblem(body.error());
  // A token acts as its account, so each account makes its own: an admin who needs one for a
  // script makes a service account rather than a token in someone else's name.
  const std::string asked = stringField(body.value(), "username");
  if (!asked.empty() && asked != ex.subject.id) {
    return ex.sendProblem(
        Error::make(ErrorCode::kForbidden, "token_for_other_user",
                    "令牌只能为自己的账户创建 (tokens are made by their own account)"));
  }
  int days = 365;
  if (body.value()->has("expires_in_days")) {
    const auto value = body.value()->get("expires_in_days");
    Poco::Int64 wide = -1;
    try {
      if (value.isInteger() && !value.isBoolean()) wide = value.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
      wide = -1;  // beyond 64 bits signed: out of range below
    }
    if (!value.isInteger() || value.isBoolean()) {
      Error error = Error::make(ErrorCode::kInvalidArgument, "invalid_lifetime",
                                "有效期须为整数天 (days must be an integer)");
      error.fields.push_back({"expires_in_days", "invalid_type", error.message});
      return ex.sendProblem(error);
    }
    days = wide < 0 || wide > 100000 ? -1 : static_cast<int>(wide);
  }
  auto issued =
      tokens.createApiToken(ex.subject, ex.subject.id, stringField(body.value(), "name"), days);
  if (issued.ok()) ex.response.set("Cache-Control", "no-store");
  ex.reply(issued, issuedJson, HTTPResponse::HTTP_CREATED);
}

}  // namespace

void addSignInRoutes(Router& router, service::SignInService& signIn, service::TokenService& tokens,
                     service::UserService& users) {
  const std::string auth = "/api/v1/auth";
  router.add("POST", auth + "/login", [&signIn](Exchange& ex) { login(ex, signIn); });
  router.add("POST", auth + "/logout", [&signIn](Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    sendNoContent(ex, signIn.logout(ex.subject));
  });
  router.add("GET", auth + "/me", [&users](Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    ex.reply(users.user(ex.subject, ex.subject.id), [&](const service::Account& user) {
      auto body = userJson(user);
      body->set("permissions", json::array(users.permissionsOf(ex.subject)));
      return body;
    });
  });
  router.add("POST", auth + "/password", [&signIn](Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    sendNoContent(
        ex, signIn.changeOwnPassword(ex.subject, stringField(body.value(), "current_password"),
                                     stringField(body.value(), "new_password")));
  });
  router.add("GET", auth + "/tokens", [&tokens](Exchange& ex) {
    ex.reply(
        tokens.tokens(ex.subject, ex.queryValue("username").value_or("")), [](const auto& found) {
          return json::object(
              {"username"_f = found.username, "tokens"_f = json::array(found.tokens, tokenJson)});
        });
  });
  router.add("POST", auth + "/tokens", [&tokens](Exchange& ex) { createToken(ex, tokens); });
  router.add("DELETE", auth + "/tokens/{id}", [&tokens](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    sendNoContent(ex, tokens.revoke(ex.subject, id.value()));
  });
}

}  // namespace gongkai::server::http
