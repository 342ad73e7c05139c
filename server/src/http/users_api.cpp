// Accounts and their roles, over HTTP.

#include <Poco/JSON/Object.h>

#include "account_form.h"
#include "accounts_api.h"
#include "user_json.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

class UserRoutes {
 public:
  explicit UserRoutes(service::UserService& users) : users_(users) {}

  static void addTo(const std::shared_ptr<UserRoutes>& self, Router& router) {
    const std::string users = "/api/v1/users";
    router.add("GET", users, [self](Exchange& ex) { self->listUsers(ex); });
    router.add("POST", users, [self](Exchange& ex) { self->createUser(ex); });
    router.add("GET", users + "/{username}", [self](Exchange& ex) { self->getUser(ex); });
    router.add("PATCH", users + "/{username}", [self](Exchange& ex) { self->patchUser(ex); });
  }

 private:
  void listUsers(Exchange& ex) {
    auto users = users_.users(ex.subject);
    if (!users.ok()) return ex.sendProblem(users.error());
    Object::Ptr body = new Object;
    body->set("users", jsonArrayOf(users.value(), &userJson));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void createUser(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = users_.createUser(ex.subject, readNewAccount(body.value()));
    if (!made.ok()) return ex.sendProblem(made.error());
    ex.response.set("Location", "/api/v1/users/" + made.value().username);
    sendAccount(ex, HTTPResponse::HTTP_CREATED, made.value());
  }

  void getUser(Exchange& ex) {
    auto user = users_.user(ex.subject, ex.params["username"]);
    if (!user.ok()) return ex.sendProblem(user.error());
    sendAccount(ex, HTTPResponse::HTTP_OK, user.value());
  }

  void patchUser(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto change = readAccountChange(body.value());
    change.expected_revision = ex.ifMatch().tag;
    auto updated = users_.updateUser(ex.subject, ex.params["username"], change);
    if (!updated.ok()) return ex.sendProblem(updated.error());
    sendAccount(ex, HTTPResponse::HTTP_OK, updated.value());
  }

  // One account, with its revision as the ETag an editor sends back as If-Match.
  static void sendAccount(Exchange& ex, HTTPResponse::HTTPStatus status,
                          const service::Account& account) {
    ex.response.set("ETag", revisionEtag(account.revision));
    ex.sendJson(status, userJson(account));
  }

  service::UserService& users_;
};

}  // namespace

void addUserRoutes(Router& router, service::UserService& users) {
  UserRoutes::addTo(std::make_shared<UserRoutes>(users), router);
}

}  // namespace gongkai::server::http
