// Accounts, organisation units and the policy in force, over HTTP.
#include "accounts_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 64 * 1024;

std::string stringField(const Object::Ptr& body, const std::string& name) {
  return body->has(name) && body->get(name).isString() ? body->getValue<std::string>(name) : "";
}

Object::Ptr unitJson(const store::OrgUnit& unit) {
  Object::Ptr out = new Object;
  out->set("code", unit.code);
  out->set("name", unit.name);
  if (unit.parent_code.empty()) {
    out->set("parent", Poco::Dynamic::Var());
  } else {
    out->set("parent", unit.parent_code);
  }
  out->set("created_at", unit.created_at);
  return out;
}

Object::Ptr tokenJson(const store::TokenRecord& token) {
  Object::Ptr out = new Object;
  out->set("id", static_cast<Poco::Int64>(token.id));
  out->set("kind", token.kind);
  out->set("name", token.name);
  out->set("created_at", token.created_at);
  out->set("expires_at", token.expires_at);
  if (token.revoked_at.empty()) {
    out->set("revoked_at", Poco::Dynamic::Var());
  } else {
    out->set("revoked_at", token.revoked_at);
  }
  return out;
}

Object::Ptr issuedJson(const service::IssuedToken& issued) {
  Object::Ptr out = new Object;
  out->set("token", issued.token);
  out->set("token_type", "Bearer");
  out->set("token_id", static_cast<Poco::Int64>(issued.token_id));
  out->set("expires_at", issued.expires_at);
  out->set("user", service::AccountService::userJson(issued.user));
  return out;
}

void sendNoContent(Exchange& ex) {
  ex.response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
  ex.response.setContentLength(0);
  ex.response.send().flush();
}

template <typename T>
Array::Ptr arrayOf(const std::vector<T>& items, Object::Ptr (*toJson)(const T&)) {
  Array::Ptr out = new Array;
  for (const auto& item : items) out->add(toJson(item));
  return out;
}

class AccountRoutes {
 public:
  AccountRoutes(service::AccountService& accounts, service::PolicyService& policies,
                const Access& access)
      : accounts_(accounts), policies_(policies), access_(access) {}

  static void addTo(const std::shared_ptr<AccountRoutes>& self, Router& router) {
    const Access& access = self->access_;
    const std::string auth = "/api/v1/auth";
    router.add("POST", auth + "/login", [self](Exchange& ex) { self->login(ex); });
    router.add("POST", auth + "/logout", [self](Exchange& ex) { self->logout(ex); });
    router.add("GET", auth + "/me", [self](Exchange& ex) { self->me(ex); });
    router.add("POST", auth + "/password", [self](Exchange& ex) { self->changePassword(ex); });
    router.add("GET", auth + "/tokens", [self](Exchange& ex) { self->listTokens(ex); });
    router.add("POST", auth + "/tokens", [self](Exchange& ex) { self->createToken(ex); });
    router.add("DELETE", auth + "/tokens/{id}", [self](Exchange& ex) { self->revokeToken(ex); });
    const std::string users = "/api/v1/users";
    router.add("GET", users,
               access.guarded("users.manage", [self](Exchange& ex) { self->listUsers(ex); }));
    router.add("POST", users,
               access.guarded("users.manage", [self](Exchange& ex) { self->createUser(ex); }));
    router.add("GET", users + "/{username}", [self](Exchange& ex) { self->getUser(ex); });
    router.add("PATCH", users + "/{username}",
               access.guarded("users.manage", [self](Exchange& ex) { self->patchUser(ex); }));
    const std::string units = "/api/v1/org-units";
    router.add("GET", units, [self](Exchange& ex) { self->listUnits(ex); });
    router.add("POST", units,
               access.guarded("units.manage", [self](Exchange& ex) { self->createUnit(ex); }));
    router.add("PATCH", units + "/{code}",
               access.guarded("units.manage", [self](Exchange& ex) { self->patchUnit(ex); }));
    router.add("GET", "/api/v1/policies",
               access.guarded("policies.read", [self](Exchange& ex) { self->showPolicies(ex); }));
    router.add("GET", "/api/v1/policies/explain",
               access.guarded("policies.read", [self](Exchange& ex) { self->explain(ex); }));
    router.add(
        "POST", "/api/v1/policies/reload",
        access.guarded("policies.reload", [self](Exchange& ex) { self->reloadPolicies(ex); }));
  }

 private:
  core::Status signedIn(const Exchange& ex) const {
    if (!ex.subject.principal.anonymous()) return core::okStatus();
    return Error::make(ErrorCode::kUnauthenticated, "authentication_required",
                       "请先登录 (sign in first)");
  }

  void login(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
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
    auto outcome = accounts_.login(ex.subject.address, username, password);
    if (auto* refusal = std::get_if<service::LoginRefusal>(&outcome)) {
      if (refusal->retry_after_seconds > 0) {
        ex.response.set("Retry-After", std::to_string(refusal->retry_after_seconds));
      }
      return ex.sendProblem(refusal->error);
    }
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(HTTPResponse::HTTP_OK, issuedJson(std::get<service::IssuedToken>(outcome)));
  }

  void logout(Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    if (auto done = accounts_.logout(ex.subject); !done.ok()) return ex.sendProblem(done.error());
    sendNoContent(ex);
  }

  void me(Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    auto user = accounts_.user(ex.subject.id);
    if (!user.ok()) return ex.sendProblem(user.error());
    Object::Ptr body = service::AccountService::userJson(user.value());
    Array::Ptr permissions = new Array;
    const auto engine = policies_.engine();
    for (const auto permission : policies::kPermissions) {
      if (engine->may(ex.subject.principal, permission)) permissions->add(std::string(permission));
    }
    body->set("permissions", permissions);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void changePassword(Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto changed =
        accounts_.changeOwnPassword(ex.subject, stringField(body.value(), "current_password"),
                                    stringField(body.value(), "new_password"));
    if (!changed.ok()) return ex.sendProblem(changed.error());
    sendNoContent(ex);
  }

  // The account a token request is about: the caller's own, or (for users.manage) ?username=.
  core::Result<std::string> tokenOwner(const Exchange& ex, const std::string& asked) {
    if (auto ok = signedIn(ex); !ok.ok()) return ok.error();
    if (asked.empty() || asked == ex.subject.id) return ex.subject.id;
    if (auto ok = access_.require(ex, "users.manage"); !ok.ok()) return ok.error();
    return asked;
  }

  void listTokens(Exchange& ex) {
    auto owner = tokenOwner(ex, ex.queryValue("username").value_or(""));
    if (!owner.ok()) return ex.sendProblem(owner.error());
    auto tokens = accounts_.tokens(owner.value());
    if (!tokens.ok()) return ex.sendProblem(tokens.error());
    Object::Ptr body = new Object;
    body->set("username", owner.value());
    body->set("tokens", arrayOf(tokens.value(), &tokenJson));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void createToken(Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    auto body = ex.readJsonObject(kMaxBodyBytes);
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
    auto issued = accounts_.createApiToken(ex.subject, ex.subject.id,
                                           stringField(body.value(), "name"), days);
    if (!issued.ok()) return ex.sendProblem(issued.error());
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(HTTPResponse::HTTP_CREATED, issuedJson(issued.value()));
  }

  void revokeToken(Exchange& ex) {
    if (auto ok = signedIn(ex); !ok.ok()) return ex.sendProblem(ok.error());
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    // Anyone may revoke their own tokens; users.manage may revoke anyone's.
    std::optional<std::int64_t> owner = ex.subject.principal.user_id;
    if (access_.require(ex, "users.manage").ok()) owner.reset();
    auto revoked = accounts_.revokeToken(ex.subject, id.value(), owner);
    if (!revoked.ok()) return ex.sendProblem(revoked.error());
    sendNoContent(ex);
  }

  void listUsers(Exchange& ex) {
    auto users = accounts_.users();
    if (!users.ok()) return ex.sendProblem(users.error());
    Object::Ptr body = new Object;
    body->set("users", arrayOf(users.value(), &service::AccountService::userJson));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void createUser(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = accounts_.createUser(ex.subject, body.value());
    if (!made.ok()) return ex.sendProblem(made.error());
    ex.response.set("Location", "/api/v1/users/" + made.value().username);
    ex.sendJson(HTTPResponse::HTTP_CREATED, service::AccountService::userJson(made.value()));
  }

  void getUser(Exchange& ex) {
    const std::string username = ex.params["username"];
    if (username != ex.subject.id) {
      if (auto ok = access_.require(ex, "users.manage"); !ok.ok())
        return ex.sendProblem(ok.error());
    }
    auto user = accounts_.user(username);
    if (!user.ok()) return ex.sendProblem(user.error());
    ex.sendJson(HTTPResponse::HTTP_OK, service::AccountService::userJson(user.value()));
  }

  void patchUser(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto updated = accounts_.updateUser(ex.subject, ex.params["username"], body.value());
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.sendJson(HTTPResponse::HTTP_OK, service::AccountService::userJson(updated.value()));
  }

  void listUnits(Exchange& ex) {
    auto units = accounts_.units();
    if (!units.ok()) return ex.sendProblem(units.error());
    Object::Ptr body = new Object;
    body->set("org_units", arrayOf(units.value(), &unitJson));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void createUnit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = accounts_.createUnit(ex.subject, body.value());
    if (!made.ok()) return ex.sendProblem(made.error());
    ex.response.set("Location", "/api/v1/org-units/" + made.value().code);
    ex.sendJson(HTTPResponse::HTTP_CREATED, unitJson(made.value()));
  }

  void patchUnit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto updated = accounts_.updateUnit(ex.subject, ex.params["code"], body.value());
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.sendJson(HTTPResponse::HTTP_OK, unitJson(updated.value()));
  }

  void showPolicies(Exchange& ex) {
    const auto engine = policies_.engine();
    const policies::PolicySet& set = engine->policies();
    Object::Ptr body = new Object;
    body->set("folder", set.folder);
    body->set("digest", service::policyDigest(set.folder));
    Object::Ptr roles = new Object;
    for (const auto& [code, role] : set.roles) {
      Object::Ptr item = new Object;
      item->set("name", role.name);
      item->set("unit_bound", role.unit_bound);
      Array::Ptr permissions = new Array;
      for (const auto& permission : role.permissions) permissions->add(permission);
      item->set("permissions", permissions);
      roles->set(code, item);
    }
    body->set("roles", roles);
    Array::Ptr rules = new Array;
    for (const auto& rule : set.visibility) {
      Object::Ptr item = new Object;
      Array::Ptr ruleRoles = new Array, scopes = new Array, statuses = new Array;
      for (const auto& role : rule.roles) ruleRoles->add(role);
      for (const auto& scope : rule.scopes) scopes->add(scope);
      for (const auto& status : rule.statuses) statuses->add(status);
      item->set("roles", ruleRoles);
      item->set("scopes", scopes);
      item->set("statuses", statuses);
      item->set("units", rule.units_own ? "own" : "any");
      rules->add(item);
    }
    body->set("visibility", rules);
    Array::Ptr categories = new Array;
    for (const auto& category : set.categories.all()) {
      Object::Ptr item = new Object;
      item->set("code", category.code);
      item->set("name", category.name);
      item->set("default_retention", category.default_retention);
      Array::Ptr items = new Array;
      for (const auto& text : category.items) items->add(text);
      item->set("items", items);
      categories->add(item);
    }
    body->set("categories", categories);
    Object::Ptr archive = new Object;
    archive->set("fonds_code", set.archive.fonds_code);
    archive->set("reference_code_pattern", set.archive.reference_code_pattern);
    archive->set("bundle_contents", set.archive.bundle_contents);
    body->set("archive", archive);
    const auto& limits = set.time_limits;
    Object::Ptr timeLimits = new Object;
    timeLimits->set("feedback_working_days", limits.feedback_working_days);
    timeLimits->set("feedback_extension_working_days", limits.feedback_extension_working_days);
    timeLimits->set("request_acknowledge_working_days", limits.request_acknowledge_working_days);
    timeLimits->set("request_working_days", limits.request_working_days);
    timeLimits->set("request_extension_working_days", limits.request_extension_working_days);
    timeLimits->set("due_soon_working_days", limits.due_soon_working_days);
    Array::Ptr reasons = new Array;
    for (const auto& reason : limits.refusal_reasons) reasons->add(reason);
    timeLimits->set("refusal_reasons", reasons);
    body->set("time_limits", timeLimits);
    Object::Ptr calendar = new Object;
    calendar->set("first_year", set.calendar.firstYear());
    calendar->set("last_year", set.calendar.lastYear());
    body->set("calendar", calendar);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  // Why the caller (or, for users.manage, ?username=) may or may not do ?permission=: the roles
  // consulted and which of them grant it.
  void explain(Exchange& ex) {
    const std::string permission = ex.queryValue("permission").value_or("");
    const bool known =
        std::find(std::begin(policies::kPermissions), std::end(policies::kPermissions),
                  permission) != std::end(policies::kPermissions);
    if (!known) {
      Error error = Error::make(ErrorCode::kInvalidArgument, "unknown_permission",
                                "没有这项权限 (no such permission): " + permission);
      error.fields.push_back({"permission", "unknown_permission", error.message});
      return ex.sendProblem(error);
    }
    policies::Principal principal = ex.subject.principal;
    const std::string username = ex.queryValue("username").value_or(ex.subject.id);
    if (username != ex.subject.id) {
      if (auto ok = access_.require(ex, "users.manage"); !ok.ok())
        return ex.sendProblem(ok.error());
      auto user = accounts_.user(username);
      if (!user.ok()) return ex.sendProblem(user.error());
      principal = policies::Principal{user.value().id, user.value().username, {}};
      for (const auto& role : user.value().roles)
        principal.grants.push_back({role.role, role.unit});
    }
    const auto engine = policies_.engine();
    Object::Ptr body = new Object;
    body->set("username", username);
    body->set("permission", permission);
    body->set("allowed", engine->may(principal, permission));
    body->set("explanation",
              engine->explain(principal, permission, std::nullopt, *accounts_.unitTree()));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void reloadPolicies(Exchange& ex) {
    if (auto reloaded = policies_.reload(ex.subject); !reloaded.ok())
      return ex.sendProblem(reloaded.error());
    Object::Ptr body = new Object;
    body->set("status", "reloaded");
    body->set("digest", service::policyDigest(policies_.folder()));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  service::AccountService& accounts_;
  service::PolicyService& policies_;
  const Access& access_;
};

}  // namespace

void addAccountRoutes(Router& router, service::AccountService& accounts,
                      service::PolicyService& policies, const Access& access) {
  AccountRoutes::addTo(std::make_shared<AccountRoutes>(accounts, policies, access), router);
}

}  // namespace gongkai::server::http
