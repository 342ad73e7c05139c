// The organisation units, over HTTP.

#include <Poco/JSON/Object.h>

#include "account_form.h"
#include "accounts_api.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

Object::Ptr unitJson(const service::Unit& unit) {
  Object::Ptr out = new Object;
  out->set("code", unit.code);
  out->set("name", unit.name);
  if (unit.parent_code.empty()) {
    out->set("parent", Poco::Dynamic::Var());
  } else {
    out->set("parent", unit.parent_code);
  }
  out->set("created_at", unit.created_at);
  out->set("etag", revisionEtag(unit.revision));
  return out;
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
    auto units = units_.units();
    if (!units.ok()) return ex.sendProblem(units.error());
    Object::Ptr body = new Object;
    body->set("org_units", jsonArrayOf(units.value(), &unitJson));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void createUnit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = units_.createUnit(ex.subject, readNewUnit(body.value()));
    if (!made.ok()) return ex.sendProblem(made.error());
    ex.response.set("Location", "/api/v1/org-units/" + made.value().code);
    ex.sendJson(HTTPResponse::HTTP_CREATED, unitJson(made.value()));
  }

  void patchUnit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxAccountBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto change = readUnitChange(body.value());
    change.expected_revision = ex.ifMatch().tag;
    auto updated = units_.updateUnit(ex.subject, ex.params["code"], change);
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.response.set("ETag", revisionEtag(updated.value().revision));
    ex.sendJson(HTTPResponse::HTTP_OK, unitJson(updated.value()));
  }

  service::UnitService& units_;
};

}  // namespace

void addUnitRoutes(Router& router, service::UnitService& units) {
  UnitRoutes::addTo(std::make_shared<UnitRoutes>(units), router);
}

}  // namespace gongkai::server::http
