// Accounts and their roles, over HTTP.

#include "account_json.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::Net::HTTPResponse;

// One account, with its revision as the ETag an editor sends back as If-Match.
void sendAccount(Exchange& ex, const core::Result<service::Account>& result,
                 HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_OK) {
  ex.replyTagged(
      result, [](const auto& account) { return revisionEtag(account.revision); }, userJson, status);
}

}  // namespace

void addUserRoutes(Router& router, service::UserService& users) {
  const std::string base = "/api/v1/users";
  router.add("GET", base, [&users](Exchange& ex) {
    ex.reply(users.users(ex.subject), [](const auto& all) {
      return json::object({"users"_f = json::array(all, userJson)});
    });
  });
  router.add("POST", base, [&users](Exchange& ex) {
    auto account = ex.readJson(kMaxAccountBodyBytes, readNewAccount);
    if (!account.ok()) return ex.sendProblem(account.error());
    auto made = users.createUser(ex.subject, account.value());
    if (made.ok()) ex.response.set("Location", "/api/v1/users/" + made.value().username);
    sendAccount(ex, made, HTTPResponse::HTTP_CREATED);
  });
  router.add("GET", base + "/{username}", [&users](Exchange& ex) {
    sendAccount(ex, users.user(ex.subject, ex.params["username"]));
  });
  router.add("PATCH", base + "/{username}", [&users](Exchange& ex) {
    auto change = ex.readJson(kMaxAccountBodyBytes, readAccountChange);
    if (!change.ok()) return ex.sendProblem(change.error());
    change.value().expected_revision = ex.ifMatch().tag;
    sendAccount(ex, users.updateUser(ex.subject, ex.params["username"], change.value()));
  });
}

}  // namespace gongkai::server::http
