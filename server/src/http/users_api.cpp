// Accounts and their roles, over HTTP.

#include "account_form.h"
#include "json_build.h"
#include "routes.h"
#include "user_json.h"

namespace gongkai::server::http {
namespace {

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
    ex.reply(users_.users(ex.subject), [](const auto& all) {
      return json::object({"users"_f = json::array(all, userJson)});
    });
  }

  void createUser(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = users_.createUser(ex.subject, readNewAccount(body.value()));
    if (made.ok()) ex.response.set("Location", "/api/v1/users/" + made.value().username);
    sendAccount(ex, made, HTTPResponse::HTTP_CREATED);
  }

  void getUser(Exchange& ex) { sendAccount(ex, users_.user(ex.subject, ex.params["username"])); }

  void patchUser(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto change = readAccountChange(body.value());
    change.expected_revision = ex.ifMatch().tag;
    sendAccount(ex, users_.updateUser(ex.subject, ex.params["username"], change));
  }

  // One account, with its revision as the ETag an editor sends back as If-Match.
  static void sendAccount(Exchange& ex, const core::Result<service::Account>& result,
                          HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_OK) {
    ex.reply(
        result,
        [&](const service::Account& account) {
          ex.response.set("ETag", revisionEtag(account.revision));
          return userJson(account);
        },
        status);
  }

  service::UserService& users_;
};

}  // namespace

void addUserRoutes(Router& router, service::UserService& users) {
  UserRoutes::addTo(std::make_shared<UserRoutes>(users), router);
}

}  // namespace gongkai::server::http
