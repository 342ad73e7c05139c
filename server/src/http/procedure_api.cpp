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
    router.add("GET", "/api/v1/catalogue", [self](Exchange& ex) { self->list(ex); });
    router.add("POST", "/api/v1/catalogue", [self](Exchange& ex) { self->create(ex); });
    router.add("GET", "/api/v1/catalogue/{id}", [self](Exchange& ex) { self->get(ex); });
    router.add("PATCH", "/api/v1/catalogue/{id}", [self](Exchange& ex) { self->patch(ex); });
    router.add("GET", "/api/v1/catalogue/{id}/versions",
               [self](Exchange& ex) { self->versions(ex); });
    router.add("GET", "/api/v1/reports/compliance", [self](Exchange& ex) { self->compliance(ex); });
  }

 private:
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

  // True when a document answers item `id` (documents name items of their own unit only).
  core::Result<bool> answered(const core::CatalogueItem& item) {
    store::DocumentFilter filter;
    filter.org_unit = item.org_unit;
    filter.limit = 1000000;
    auto documents = documents_.list(filter);
    if (!documents.ok()) return documents.error();
    for (const auto& v : documents.value().documents) {
      if (v.metadata.catalogue_item == item.id) return true;
    }
    return false;
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
      auto inUse = answered(current.value());
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

  void compliance(Exchange& ex) {
    if (auto allowed = access_.require(ex, "reports.read"); !allowed.ok())
      return ex.sendProblem(allowed.error());
    const std::string unit = ex.queryValue("org_unit").value_or("");
    auto year = ex.intQuery("year", 1900, 2999);
    if (!year.ok()) return ex.sendProblem(year.error());
    if (unit.empty() || !year.value()) {
      Error error = Error::make(ErrorCode::kInvalidArgument, "missing_parameter",
                                "须指定 org_unit 和 year (org_unit and year are required)");
      if (unit.empty())
        error.fields.push_back({"org_unit", "missing_field", "缺少单位 (org_unit missing)"});
      if (!year.value())
        error.fields.push_back({"year", "missing_field", "缺少年份 (year missing)"});
      return ex.sendProblem(error);
    }
    if (auto allowed = access_.requireForUnit(ex, "reports.read", unit, "public"); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    const int reportYear = static_cast<int>(*year.value());
    auto items = catalogue_.list(unit, reportYear);
    if (!items.ok()) return ex.sendProblem(items.error());
    std::map<std::int64_t, std::size_t> indexOf;
    std::vector<policies::CatalogueEntry> entries;
    for (const auto& item : items.value()) {
      if (!maySee(ex, item)) continue;  // the report shows no more of the catalogue than GET does
      indexOf[item.id] = entries.size();
      entries.push_back({item.id, item.category, item.content,
                         std::string(core::toString(item.period)),
                         policies::parseRhythm(item.rhythm), item.time_limit_working_days});
    }
    // Only the documents that disclose these items are read (an index on the item), not every
    // document of the unit.
    store::DocumentFilter filter;
    filter.org_unit = unit;
    filter.catalogue_items.emplace();
    for (const auto& [id, at] : indexOf) filter.catalogue_items->push_back(id);
    filter.limit = INT64_MAX;
    auto documents = documents_.list(filter);
    if (!documents.ok()) return ex.sendProblem(documents.error());

    std::vector<std::vector<policies::Publication>> publications(entries.size());
    for (const auto& v : documents.value().documents) {
      // A withdrawn publication no longer counts as disclosed.
      if (!v.metadata.catalogue_item || !v.disclosure.published || v.disclosure.withdrawn) continue;
      const auto at = indexOf.find(*v.metadata.catalogue_item);
      if (at == indexOf.end()) continue;
      // Counted for everyone; named only to those who may see the document.
      const bool visible = access_.maySee(ex, v);
      policies::Publication publication{visible ? v.document_id : 0,
                                        visible ? v.metadata.title : "",
                                        core::chinaDate(v.disclosure.published->at), std::nullopt};
      if (v.disclosure.reviewed && v.disclosure.confidentiality_reviewed) {
        publication.approved = core::chinaDate(v.disclosure.reviewed->at);
      }
      publications[at->second].push_back(publication);
    }
    const core::Date today = core::chinaDate(core::nowUtc());
    const auto engine = policies_.engine();
    const auto report = policies::evaluateCompliance(entries, publications, reportYear,
                                                     engine->policies().calendar, today);
    const auto summary = policies::summarise(report, reportYear);

    if (ex.request.get("Accept", "").find("text/csv") != std::string::npos)
      return sendCsv(ex, report);
    Array::Ptr itemsJson = new Array;
    for (const auto& item : report) {
      Object::Ptr entry = new Object;
      entry->set("item_id", static_cast<Poco::Int64>(item.item.id));
      entry->set("category", item.item.category);
      entry->set("content", item.item.content);
      entry->set("period", item.item.period);
      entry->set("rhythm",
                 item.item.rhythm
                     ? Poco::Dynamic::Var(std::string(policies::toString(*item.item.rhythm)))
                     : Poco::Dynamic::Var());
      Array::Ptr windows = new Array;
      for (const auto& window : item.windows) {
        Object::Ptr w = new Object;
        w->set("label", window.label);
        w->set("start", window.start.toString());
        w->set("end", window.end.toString());
        w->set("due", window.due.toString());
        w->set("outcome", std::string(policies::toString(window.outcome)));
        w->set("working_days_late", window.working_days_late);
        if (window.publication && window.publication->document_id != 0) {
          w->set("document_id", static_cast<Poco::Int64>(window.publication->document_id));
          w->set("title", window.publication->title);
          w->set("published", window.publication->published.toString());
        }
        windows->add(w);
      }
      entry->set("windows", windows);
      itemsJson->add(entry);
    }
    Array::Ptr summaryJson = new Array;
    for (const auto& category : summary) {
      Object::Ptr s = new Object;
      s->set("category", category.category);
      if (const auto* known = categories_.find(category.category)) s->set("name", known->name);
      Array::Ptr quarters = new Array;
      for (int count : category.disclosed_by_quarter) quarters->add(count);
      s->set("disclosed_by_quarter", quarters);
      s->set("windows_due", category.windows_due);
      s->set("on_time", category.on_time);
      s->set("on_time_rate", category.windows_due == 0
                                 ? Poco::Dynamic::Var()
                                 : Poco::Dynamic::Var(static_cast<double>(category.on_time) /
                                                      category.windows_due));
      summaryJson->add(s);
    }
    Object::Ptr body = new Object;
    body->set("org_unit", unit);
    body->set("year", reportYear);
    body->set("as_of", today.toString());
    body->set("items", itemsJson);
    body->set("summary", summaryJson);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void sendCsv(Exchange& ex, const std::vector<policies::ItemCompliance>& report) {
    // With a byte-order mark, so spreadsheet programs read the Chinese as UTF-8.
    std::string csv =
        "\xEF\xBB\xBFitem_id,category,content,window,start,end,due,outcome,working_days_late,"
        "document_id,title,published\r\n";
    for (const auto& item : report) {
      for (const auto& window : item.windows) {
        csv += std::to_string(item.item.id) + "," + core::csvCell(item.item.category) + "," +
               core::csvCell(item.item.content) + "," + core::csvCell(window.label) + "," +
               window.start.toString() + "," + window.end.toString() + "," + window.due.toString() +
               "," + std::string(policies::toString(window.outcome)) + "," +
               std::to_string(window.working_days_late) + "," +
               (window.publication ? (window.publication->document_id
                                          ? std::to_string(window.publication->document_id)
                                          : "") +
                                         "," + core::csvCell(window.publication->title) + "," +
                                         window.publication->published.toString()
                                   : std::string(",,")) +
               "\r\n";
      }
    }
    ex.response.setStatus(HTTPResponse::HTTP_OK);
    ex.response.setContentType("text/csv; charset=utf-8");
    ex.response.set("Content-Disposition", "attachment; filename=\"compliance.csv\"");
    sendBody(ex.request, ex.response, csv);
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
