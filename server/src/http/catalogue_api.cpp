// The disclosure catalogue (公开目录) and the categories of disclosure over HTTP; the catalogue
// service decides who may see and change what.
#include "catalogue_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "catalogue_json.h"
#include "document_json.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 64 * 1024;
class CatalogueRoutes {
 public:
  explicit CatalogueRoutes(service::CatalogueService& catalogue) : catalogue_(catalogue) {}

  static void addTo(const std::shared_ptr<CatalogueRoutes>& self, Router& router) {
    router.add("GET", "/api/v1/categories", [self](Exchange& ex) { self->listCategories(ex); });
    router.add("GET", "/api/v1/catalogue", [self](Exchange& ex) { self->list(ex); });
    router.add("POST", "/api/v1/catalogue", [self](Exchange& ex) { self->create(ex); });
    router.add("GET", "/api/v1/catalogue/{id}", [self](Exchange& ex) { self->get(ex); });
    router.add("PATCH", "/api/v1/catalogue/{id}", [self](Exchange& ex) { self->patch(ex); });
    router.add("GET", "/api/v1/catalogue/{id}/versions",
               [self](Exchange& ex) { self->versions(ex); });
  }

 private:
  // The categories of disclosure (policies/categories.json) with their standing items.
  void listCategories(Exchange& ex) {
    Object::Ptr body = new Object;
    body->set("categories", categoriesJson(catalogue_.categories()));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void list(Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    auto items = catalogue_.list(ex.subject, ex.queryValue("org_unit"), year.value());
    if (!items.ok()) return ex.sendProblem(items.error());
    Array::Ptr out = new Array;
    for (const auto& item : items.value()) out->add(catalogueItemJson(item));
    Object::Ptr body = new Object;
    body->set("total", static_cast<Poco::Int64>(out->size()));
    body->set("items", out);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void get(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto item = catalogue_.get(ex.subject, id.value());
    if (!item.ok()) return ex.sendProblem(item.error());
    ex.response.set("ETag", versionEtag(item.value().version));
    ex.sendJson(HTTPResponse::HTTP_OK, catalogueItemJson(item.value()));
  }

  void versions(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto all = catalogue_.versions(ex.subject, id.value());
    if (!all.ok()) return ex.sendProblem(all.error());
    Array::Ptr items = new Array;
    for (const auto& version : all.value()) items->add(catalogueItemJson(version));
    Object::Ptr body = new Object;
    body->set("id", static_cast<Poco::Int64>(id.value()));
    body->set("versions", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void create(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = catalogue_.create(ex.subject, readCatalogueItemFields(body.value()));
    if (!made.ok()) return ex.sendProblem(made.error());
    ex.response.set("Location", "/api/v1/catalogue/" + std::to_string(made.value().id));
    ex.response.set("ETag", versionEtag(made.value().version));
    ex.sendJson(HTTPResponse::HTTP_CREATED, catalogueItemJson(made.value()));
  }

  void patch(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto updated = catalogue_.update(ex.subject, id.value(), ex.ifMatch().version,
                                     readCatalogueItemFields(body.value()));
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.response.set("ETag", versionEtag(updated.value().version));
    ex.sendJson(HTTPResponse::HTTP_OK, catalogueItemJson(updated.value()));
  }

  service::CatalogueService& catalogue_;
};

}  // namespace

void addCatalogueRoutes(Router& router, service::CatalogueService& catalogue) {
  CatalogueRoutes::addTo(std::make_shared<CatalogueRoutes>(catalogue), router);
}

}  // namespace gongkai::server::http
