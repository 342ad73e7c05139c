// The organisation units, over HTTP.

#include "account_json.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {

using Poco::Net::HTTPResponse;

void addUnitRoutes(Router& router, service::UnitService& units) {
  const std::string base = "/api/v1/org-units";
  router.add("GET", base, [&units](Exchange& ex) {
    ex.reply(units.units(), [](const auto& all) {
      return json::object({"org_units"_f = json::array(all, unitJson)});
    });
  });
  router.add("POST", base, [&units](Exchange& ex) {
    auto unit = ex.readJson(kMaxAccountBodyBytes, readNewUnit);
    if (!unit.ok()) return ex.sendProblem(unit.error());
    auto made = units.createUnit(ex.subject, unit.value());
    if (made.ok()) ex.response.set("Location", "/api/v1/org-units/" + made.value().code);
    ex.reply(made, unitJson, HTTPResponse::HTTP_CREATED);
  });
  router.add("PATCH", base + "/{code}", [&units](Exchange& ex) {
    auto change = ex.readJson(kMaxAccountBodyBytes, readUnitChange);
    if (!change.ok()) return ex.sendProblem(change.error());
    change.value().expected_revision = ex.ifMatch().tag;
    ex.replyTagged(
        units.updateUnit(ex.subject, ex.params["code"], change.value()),
        [](const auto& unit) { return revisionEtag(unit.revision); }, unitJson);
  });
}

}  // namespace gongkai::server::http
