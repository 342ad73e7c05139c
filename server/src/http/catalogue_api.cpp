// The disclosure catalogue (公开目录) and the categories of disclosure over HTTP; the catalogue
// service decides who may see and change what.
#include "catalogue_json.h"
#include "document_json.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 64 * 1024;

// An item as `result` holds it, with its version as the ETag; or the problem.
void sendItem(Exchange& ex, const core::Result<core::CatalogueItem>& result,
              HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_OK) {
  ex.replyTagged(
      result, [](const auto& item) { return versionEtag(item.version); }, catalogueItemJson,
      status);
}

}  // namespace

void addCatalogueRoutes(Router& router, service::CatalogueService& catalogue) {
  // The categories of disclosure (policies/categories.json) with their standing items.
  router.add("GET", "/api/v1/categories", [&catalogue](Exchange& ex) {
    ex.sendJson(HTTPResponse::HTTP_OK,
                json::object({"categories"_f = categoriesJson(catalogue.categories())}));
  });
  const std::string base = "/api/v1/catalogue";
  router.add("GET", base, [&catalogue](Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    ex.reply(catalogue.list(ex.subject, ex.queryValue("org_unit"), year.value()),
             [](const auto& items) {
               return json::object(
                   {"total"_f = items.size(), "items"_f = json::array(items, catalogueItemJson)});
             });
  });
  router.add("POST", base, [&catalogue](Exchange& ex) {
    auto fields = ex.readJson(kMaxBodyBytes, readCatalogueItemFields);
    if (!fields.ok()) return ex.sendProblem(fields.error());
    auto made = catalogue.create(ex.subject, fields.value());
    if (made.ok())
      ex.response.set("Location", "/api/v1/catalogue/" + std::to_string(made.value().id));
    sendItem(ex, made, HTTPResponse::HTTP_CREATED);
  });
  router.add("GET", base + "/{id}", [&catalogue](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    sendItem(ex, catalogue.get(ex.subject, id.value()));
  });
  router.add("PATCH", base + "/{id}", [&catalogue](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto fields = ex.readJson(kMaxBodyBytes, readCatalogueItemFields);
    if (!fields.ok()) return ex.sendProblem(fields.error());
    sendItem(ex, catalogue.update(ex.subject, id.value(), ex.ifMatch().version, fields.value()));
  });
  router.add("GET", base + "/{id}/versions", [&catalogue](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(catalogue.versions(ex.subject, id.value()), [&](const auto& all) {
      return json::object(
          {"id"_f = id.value(), "versions"_f = json::array(all, catalogueItemJson)});
    });
  });
}

}  // namespace gongkai::server::http
