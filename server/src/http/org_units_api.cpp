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

class UnitRoutes {
 public:
  explicit UnitRoutes(service::UnitService& units) : units_(units) {}

  static void addTo(const std::shared_ptr<UnitRoutes>& self, Router& router) {
    const std::string units = "/api/v1/org-units";
    router.add("GET", units, [self](Exchange& ex) { self->listUnits(ex); });
    router.add("POST", units, [self](Exchange& ex) { self->createUnit(ex); });
    router.add("PATCH", units + "/{code}", [self](Exchange& ex) { self->patchUnit(ex); });
  }

 private:
  void listUnits(Exchange& ex) {
    ex.reply(units_.units(), [](const auto& all) {
      return json::object({"org_units"_f = json::array(all, unitJson)});
    });
  }

  void createUnit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = units_.createUnit(ex.subject, readNewUnit(body.value()));
    if (made.ok()) ex.response.set("Location", "/api/v1/org-units/" + made.value().code);
    ex.reply(made, unitJson, HTTPResponse::HTTP_CREATED);
  }

  void patchUnit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto change = readUnitChange(body.value());
    change.expected_revision = ex.ifMatch().tag;
    auto updated = units_.updateUnit(ex.subject, ex.params["code"], change);
    if (updated.ok()) ex.response.set("ETag", revisionEtag(updated.value().revision));
    ex.reply(updated, unitJson);
  }

  service::UnitService& units_;
};

}  // namespace

void addUnitRoutes(Router& router, service::UnitService& units) {
  UnitRoutes::addTo(std::make_shared<UnitRoutes>(units), router);
}

}  // namespace gongkai::server::http
