// The disclosure catalogue and the compliance calendar over HTTP.
#include "procedure_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <map>
#include <set>

#include "gongkai/core/text.h"
#include "gongkai/policies/compliance.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 64 * 1024;
class ProcedureRoutes {
 public:
  ProcedureRoutes(service::CatalogueService& catalogue, service::DocumentService& documents,
                  service::PolicyService& policies, const policies::CategoryCatalogue& categories,
                  const Access& access)
      : catalogue_(catalogue),
        documents_(documents),
        policies_(policies),
        categories_(categories),
        access_(access) {}

  static void addTo(const std::shared_ptr<ProcedureRoutes>& self, Router& router) {
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
    Array::Ptr items = new Array;
    for (const auto& category : categories_.all()) {
      Object::Ptr item = new Object;
      item->set("code", category.code);
      item->set("name", category.name);
      item->set("default_retention", category.default_retention);
      Array::Ptr subItems = new Array;
      for (const auto& text : category.items) subItems->add(text);
      item->set("items", subItems);
      items->add(item);
    }
    Object::Ptr body = new Object;
    body->set("categories", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  bool maySee(const Exchange& ex, const core::CatalogueItem& item) const {
    return access_.maySee(ex, item);
  }

  // The item the path names, if the caller may see it; 404 alike when it does not exist.
  core::Result<core::CatalogueItem> visibleItem(const Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return id.error();
    auto item = catalogue_.get(id.value());
    if (!item.ok() || !maySee(ex, item.value())) {
      return Error::make(ErrorCode::kNotFound, "catalogue_item_not_found",
                         "目录条目不存在 (no such catalogue item)");
    }
    return item;
  }

  void list(Exchange& ex) {
    auto year = ex.intQuery("year", 1900, 2999);
    if (!year.ok()) return ex.sendProblem(year.error());
    std::optional<int> wanted;
    if (year.value()) wanted = static_cast<int>(*year.value());
    auto items = catalogue_.list(ex.queryValue("org_unit"), wanted);
    if (!items.ok()) return ex.sendProblem(items.error());
    Array::Ptr out = new Array;
    for (const auto& item : items.value()) {
      if (maySee(ex, item)) out->add(service::CatalogueService::toJson(item));
    }
    Object::Ptr body = new Object;
    body->set("total", static_cast<Poco::Int64>(out->size()));
    body->set("items", out);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void get(Exchange& ex) {
    auto item = visibleItem(ex);
    if (!item.ok()) return ex.sendProblem(item.error());
    ex.response.set("ETag", "\"v" + std::to_string(item.value().version) + "\"");
    ex.sendJson(HTTPResponse::HTTP_OK, service::CatalogueService::toJson(item.value()));
  }

  void versions(Exchange& ex) {
    auto current = visibleItem(ex);
    if (!current.ok()) return ex.sendProblem(current.error());
    auto all = catalogue_.versions(current.value().id);
    if (!all.ok()) return ex.sendProblem(all.error());
    // Each version is judged by its own unit and scope, as document versions are: an item that
    // was restricted once keeps that version to those who may see it.
    Array::Ptr items = new Array;
    for (const auto& version : all.value()) {
      if (maySee(ex, version)) items->add(service::CatalogueService::toJson(version));
    }
    Object::Ptr body = new Object;
    body->set("id", static_cast<Poco::Int64>(current.value().id));
    body->set("versions", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void create(Exchange& ex) {
    if (auto allowed = access_.require(ex, "documents.create"); !allowed.ok())
      return ex.sendProblem(allowed.error());
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    const auto& json = body.value();
    const std::string unit = json->has("org_unit") && json->get("org_unit").isString()
                                 ? json->getValue<std::string>("org_unit")
                                 : "";
    // Without a unit the validation below refuses it (422).
    if (auto allowed = access_.requireForUnit(ex, "documents.create", unit, "public");
        !allowed.ok() && !unit.empty()) {
      return ex.sendProblem(allowed.error());
    }
    auto made = catalogue_.create(ex.subject, json);
    if (!made.ok()) return ex.sendProblem(made.error());
    ex.response.set("Location", "/api/v1/catalogue/" + std::to_string(made.value().id));
    ex.response.set("ETag", "\"v1\"");
    ex.sendJson(HTTPResponse::HTTP_CREATED, service::CatalogueService::toJson(made.value()));
  }

  void patch(Exchange& ex) {
    auto current = visibleItem(ex);
    if (!current.ok()) return ex.sendProblem(current.error());
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    std::set<std::string> units{current.value().org_unit};
    if (body.value()->has("org_unit") && body.value()->get("org_unit").isString()) {
      units.insert(body.value()->getValue<std::string>("org_unit"));
    }
    for (const auto& unit : units) {
      if (auto allowed = access_.requireForUnit(ex, "documents.update", unit, "public");
          !allowed.ok()) {
        return ex.sendProblem(allowed.error());
      }
    }
    // An item documents already answer keeps its unit and year: the answers would lose it.
    const auto& patch = body.value();
    if (patch->has("org_unit") || patch->has("year")) {
      auto inUse = catalogue_.answered(current.value().id);
      if (!inUse.ok()) return ex.sendProblem(inUse.error());
      const bool unitChanges = patch->has("org_unit") && patch->get("org_unit").isString() &&
                               patch->getValue<std::string>("org_unit") != current.value().org_unit;
      bool yearChanges = patch->has("year");
      try {
        if (patch->get("year").isInteger()) {
          yearChanges = patch->get("year").convert<Poco::Int64>() != current.value().year;
        }
      } catch (const Poco::Exception&) {
        // beyond 64 bits: a change, and the validation below refuses it anyway
      }
      if (inUse.value() && (unitChanges || yearChanges)) {
        return ex.sendProblem(Error::make(ErrorCode::kConflict, "catalogue_item_in_use",
                                          "已有文件回应该目录条目，不能改变其单位或年份 "
                                          "(documents answer this item; its unit and year stay)"));
      }
    }
    auto updated =
        catalogue_.update(ex.subject, current.value().id,
                          ex.ifMatch().version.value_or(current.value().version), body.value());
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.response.set("ETag", "\"v" + std::to_string(updated.value().version) + "\"");
    ex.sendJson(HTTPResponse::HTTP_OK, service::CatalogueService::toJson(updated.value()));
  }

  service::CatalogueService& catalogue_;
  service::DocumentService& documents_;
  service::PolicyService& policies_;
  const policies::CategoryCatalogue& categories_;
  const Access& access_;
};

}  // namespace

void addProcedureRoutes(Router& router, service::CatalogueService& catalogue,
                        service::DocumentService& documents, service::PolicyService& policies,
                        const policies::CategoryCatalogue& categories, const Access& access) {
  ProcedureRoutes::addTo(
      std::make_shared<ProcedureRoutes>(catalogue, documents, policies, categories, access),
      router);
}

}  // namespace gongkai::server::http
