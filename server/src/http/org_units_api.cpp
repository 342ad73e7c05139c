// The organisation units, over HTTP.

#include "account_form.h"
#include "json_build.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

Object::Ptr unitJson(const service::Unit& unit) {
  return json::object({"code"_f = unit.code, "name"_f = unit.name,
                       "parent"_f = json::textOrNull(unit.parent_code),
                       "created_at"_f = unit.created_at, "etag"_f = revisionEtag(unit.revision)});
}

}  // namespace

void addUnitRoutes(Router& router, service::UnitService& units) {
  const std::string base = "/api/v1/org-units";
  router.add("GET", base, [&units](Exchange& ex) {
    ex.reply(units.units(), [](const auto& all) {
      return json::object({"org_units"_f = json::array(all, unitJson)});
    });
  });
  router.add("POST", base, [&units](Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = units.createUnit(ex.subject, readNewUnit(body.value()));
    if (made.ok()) ex.response.set("Location", "/api/v1/org-units/" + made.value().code);
    ex.reply(made, unitJson, HTTPResponse::HTTP_CREATED);
  });
  router.add("PATCH", base + "/{code}", [&units](Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto change = readUnitChange(body.value());
    change.expected_revision = ex.ifMatch().tag;
    ex.replyTagged(
        units.updateUnit(ex.subject, ex.params["code"], change),
        [](const auto& unit) { return revisionEtag(unit.revision); }, unitJson);
  });
}

}  // namespace gongkai::server::http
