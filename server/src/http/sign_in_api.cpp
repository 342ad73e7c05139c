// Signing in and out, the caller's own account, and bearer tokens, over HTTP. Whether the caller
// must be signed in, and for whom a token may be made, is the services' to decide.

#include "account_json.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

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

}  // namespace

void addSignInRoutes(Router& router, service::SignInService& signIn, service::TokenService& tokens,
                     service::UserService& users) {
  const std::string auth = "/api/v1/auth";
  router.add("POST", auth + "/login", [&signIn](Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto outcome = signIn.login(ex.subject.address, stringField(body.value(), "username"),
                                stringField(body.value(), "password"));
    if (auto* refusal = std::get_if<service::LoginRefusal>(&outcome)) {
      if (refusal->retry_after_seconds > 0) {
        ex.response.set("Retry-After", std::to_string(refusal->retry_after_seconds));
      }
      return ex.sendProblem(refusal->error);
    }
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(HTTPResponse::HTTP_OK, issuedJson(std::get<service::IssuedToken>(outcome)));
  });
  router.add("POST", auth + "/logout",
             [&signIn](Exchange& ex) { sendNoContent(ex, signIn.logout(ex.subject)); });
  router.add("GET", auth + "/me", [&users](Exchange& ex) {
    ex.reply(users.me(ex.subject), [](const service::UserService::OwnAccount& own) {
      auto body = userJson(own.account);
      body->set("permissions", json::array(own.permissions));
      return body;
    });
  });
  router.add("POST", auth + "/password", [&signIn](Exchange& ex) {
    using Change = service::SignInService::PasswordChange;
    sendNoContent(ex, signIn.changeOwnPassword(ex.subject, [&ex] {
      return ex.readJson(kMaxAccountBodyBytes, [](const Object::Ptr& body) {
        return Change{stringField(body, "current_password"), stringField(body, "new_password")};
      });
    }));
  });
  router.add("GET", auth + "/tokens", [&tokens](Exchange& ex) {
    ex.reply(
        tokens.tokens(ex.subject, ex.queryValue("username").value_or("")), [](const auto& found) {
          return json::object(
              {"username"_f = found.username, "tokens"_f = json::array(found.tokens, tokenJson)});
        });
  });
  // {"name", "expires_in_days" (365 when not given)} for a token of the caller's own account.
  router.add("POST", auth + "/tokens", [&tokens](Exchange& ex) {
    using Request = service::TokenService::ApiTokenRequest;
    auto issued = tokens.createApiToken(ex.subject, [&ex] {
      return ex.readJson(kMaxAccountBodyBytes, [](const Object::Ptr& body) {
        return Request{stringField(body, "username"), stringField(body, "name"),
                       integerField(body, "expires_in_days")};
      });
    });
    if (issued.ok()) ex.response.set("Cache-Control", "no-store");
    ex.reply(issued, issuedJson, HTTPResponse::HTTP_CREATED);
  });
  router.add("DELETE", auth + "/tokens/{id}", [&tokens](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    sendNoContent(ex, tokens.revoke(ex.subject, id.value()));
  });
}

}  // namespace gongkai::server::http
