// The policy in force, over HTTP.

#include "catalogue_json.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

Object::Ptr policyJson(const service::PolicyInForce& inForce) {
  const auto& set = inForce.engine->policies();
  Object::Ptr roles = new Object;
  for (const auto& [code, role] : set.roles) {
    roles->set(code, json::object({"name"_f = role.name, "unit_bound"_f = role.unit_bound,
                                   "permissions"_f = json::array(role.permissions)}));
  }
  const auto rule = [](const auto& rule) {
    return json::object({"roles"_f = json::array(rule.roles), "scopes"_f = json::array(rule.scopes),
                         "statuses"_f = json::array(rule.statuses),
                         "units"_f = rule.units_own ? "own" : "any"});
  };
  const auto& archive = set.archive;
  const auto& limits = set.time_limits;
  return json::object(
      {"folder"_f = set.folder, "digest"_f = inForce.digest, "roles"_f = roles,
       "visibility"_f = json::array(set.visibility, rule),
       "categories"_f = categoriesJson(set.categories.all()),
       "archive"_f = json::object({"fonds_code"_f = archive.fonds_code,
                                   "organization"_f = archive.organization,
                                   "receiving_organization"_f = archive.receiving_organization,
                                   "reference_code_pattern"_f = archive.reference_code_pattern,
                                   "bundle_contents"_f = archive.bundle_contents}),
       "time_limits"_f = json::object(
           {"feedback_working_days"_f = limits.feedback_working_days,
            "feedback_extension_working_days"_f = limits.feedback_extension_working_days,
            "request_acknowledge_working_days"_f = limits.request_acknowledge_working_days,
            "request_working_days"_f = limits.request_working_days,
            "request_extension_working_days"_f = limits.request_extension_working_days,
            "due_soon_working_days"_f = limits.due_soon_working_days,
            "refusal_reasons"_f = json::array(limits.refusal_reasons)}),
       "calendar"_f = json::object(
           {"first_year"_f = set.calendar.firstYear(), "last_year"_f = set.calendar.lastYear()})});
}

}  // namespace

void addPolicyRoutes(Router& router, service::PolicyService& policies,
                     service::UserService& users) {
  router.add("GET", "/api/v1/policies",
             [&policies](Exchange& ex) { ex.reply(policies.read(ex.subject), policyJson); });
  // Why the caller (or, for users.manage, ?username=) may or may not do ?permission=: the roles
  // consulted and which of them grant it.
  router.add("GET", "/api/v1/policies/explain", [&users](Exchange& ex) {
    const std::string permission = ex.queryValue("permission").value_or("");
    ex.reply(
        users.explain(ex.subject, ex.queryValue("username").value_or(""), permission),
        [&](const auto& explained) {
          return json::object({"username"_f = explained.username, "permission"_f = permission,
                               "allowed"_f = explained.allowed, "explanation"_f = explained.text});
        });
  });
  router.add("POST", "/api/v1/policies/reload", [&policies](Exchange& ex) {
    ex.reply(policies.reload(ex.subject), [](const auto& digest) {
      return json::object({"status"_f = "reloaded", "digest"_f = digest});
    });
  });
}

}  // namespace gongkai::server::http
