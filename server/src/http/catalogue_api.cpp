// The disclosure catalogue (公开目录) and the categories of disclosure over HTTP; the catalogue
// service decides who may see and change what.
#include "catalogue_json.h"
#include "document_json.h"
#include "json_build.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 64 * 1024;

// An item as `result` holds it, with its version as the ETag; or the problem.
void sendItem(Exchange& ex, const core::Result<core::CatalogueItem>& result,
              HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_OK) {
  ex.reply(
      result,
      [&](const core::CatalogueItem& item) {
        ex.response.set("ETag", versionEtag(item.version));
        return catalogueItemJson(item);
      },
      status);
}

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
    ex.sendJson(HTTPResponse::HTTP_OK,
                json::object({"categories"_f = categoriesJson(catalogue_.categories())}));
  }

  void list(Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    ex.reply(catalogue_.list(ex.subject, ex.queryValue("org_unit"), year.value()),
             [](const auto& items) {
               return json::object(
                   {"total"_f = items.size(), "items"_f = json::array(items, catalogueItemJson)});
             });
  }

  void get(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    sendItem(ex, catalogue_.get(ex.subject, id.value()));
  }

  void versions(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(catalogue_.versions(ex.subject, id.value()), [&](const auto& all) {
      return json::object(
          {"id"_f = id.value(), "versions"_f = json::array(all, catalogueItemJson)});
    });
  }

  void create(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = catalogue_.create(ex.subject, readCatalogueItemFields(body.value()));
    if (made.ok())
      ex.response.set("Location", "/api/v1/catalogue/" + std::to_string(made.value().id));
    sendItem(ex, made, HTTPResponse::HTTP_CREATED);
  }

  void patch(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    sendItem(ex, catalogue_.update(ex.subject, id.value(), ex.ifMatch().version,
                                   readCatalogueItemFields(body.value())));
  }

  service::CatalogueService& catalogue_;
};

}  // namespace

void addCatalogueRoutes(Router& router, service::CatalogueService& catalogue) {
  CatalogueRoutes::addTo(std::make_shared<CatalogueRoutes>(catalogue), router);
}

}  // namespace gongkai::server::http
