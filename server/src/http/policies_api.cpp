// The policy in force, over HTTP.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

#include "accounts_api.h"
#include "catalogue_json.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

template <typename Strings>
Array::Ptr stringArray(const Strings& strings) {
  Array::Ptr out = new Array;
  for (const auto& text : strings) out->add(text);
  return out;
}

class PolicyRoutes {
 public:
  PolicyRoutes(service::PolicyService& policies, service::UserService& users)
      : policies_(policies), users_(users) {}

  static void addTo(const std::shared_ptr<PolicyRoutes>& self, Router& router) {
    router.add("GET", "/api/v1/policies", [self](Exchange& ex) { self->showPolicies(ex); });
    router.add("GET", "/api/v1/policies/explain", [self](Exchange& ex) { self->explain(ex); });
    router.add("POST", "/api/v1/policies/reload",
               [self](Exchange& ex) { self->reloadPolicies(ex); });
  }

 private:
  void showPolicies(Exchange& ex) {
    auto inForce = policies_.read(ex.subject);
    if (!inForce.ok()) return ex.sendProblem(inForce.error());
    const auto& set = inForce.value().engine->policies();
    Object::Ptr body = new Object;
    body->set("folder", set.folder);
    body->set("digest", inForce.value().digest);
    Object::Ptr roles = new Object;
    for (const auto& [code, role] : set.roles) {
      Object::Ptr item = new Object;
      item->set("name", role.name);
      item->set("unit_bound", role.unit_bound);
      item->set("permissions", stringArray(role.permissions));
      roles->set(code, item);
    }
    body->set("roles", roles);
    Array::Ptr rules = new Array;
    for (const auto& rule : set.visibility) {
      Object::Ptr item = new Object;
      item->set("roles", stringArray(rule.roles));
      item->set("scopes", stringArray(rule.scopes));
      item->set("statuses", stringArray(rule.statuses));
      item->set("units", rule.units_own ? "own" : "any");
      rules->add(item);
    }
    body->set("visibility", rules);
    body->set("categories", categoriesJson(set.categories.all()));
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
    timeLimits->set("refusal_reasons", stringArray(limits.refusal_reasons));
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
    auto explained = users_.explain(ex.subject, ex.queryValue("username").value_or(""), permission);
    if (!explained.ok()) return ex.sendProblem(explained.error());
    Object::Ptr body = new Object;
    body->set("username", explained.value().username);
    body->set("permission", permission);
    body->set("allowed", explained.value().allowed);
    body->set("explanation", explained.value().text);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void reloadPolicies(Exchange& ex) {
    auto reloaded = policies_.reload(ex.subject);
    if (!reloaded.ok()) return ex.sendProblem(reloaded.error());
    Object::Ptr body = new Object;
    body->set("status", "reloaded");
    body->set("digest", reloaded.value());
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  service::PolicyService& policies_;
  service::UserService& users_;
};

}  // namespace

void addPolicyRoutes(Router& router, service::PolicyService& policies,
                     service::UserService& users) {
  PolicyRoutes::addTo(std::make_shared<PolicyRoutes>(policies, users), router);
}

}  // namespace gongkai::server::http
