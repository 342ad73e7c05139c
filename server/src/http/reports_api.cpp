// The reports under /api/v1/reports and the public board /api/v1/board: each asks the report
// service, which decides who may read it, and renders the answer as JSON (or CSV).
#include "reports_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>

#include "document_json.h"
#include "gongkai/core/text.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

bool wantsCsv(const Exchange& ex) {
  return ex.queryValue("format").value_or("") == "csv" ||
         ex.request.get("Accept", "").find("text/csv") != std::string::npos;
}

class ReportRoutes {
 public:
  ReportRoutes(service::ReportService& reports, const policies::CategoryCatalogue& categories)
      : reports_(reports), categories_(categories) {}

  static void addTo(const std::shared_ptr<ReportRoutes>& self, Router& router) {
    router.add("GET", "/api/v1/board", [self](Exchange& ex) { self->board(ex); });
    router.add("GET", "/api/v1/reports/compliance", [self](Exchange& ex) { self->compliance(ex); });
    router.add("GET", "/api/v1/reports/feedback", [self](Exchange& ex) { self->feedback(ex); });
  }

 private:
  void board(Exchange& ex) {
    auto found = reports_.board(ex.subject, ex.queryValue("org_unit"));
    if (!found.ok()) return ex.sendProblem(found.error());
    Array::Ptr categories = new Array;
    for (const auto& category : found.value().categories) {
      Array::Ptr items = new Array;
      for (const auto& v : category.documents) items->add(documentJson(v));
      Object::Ptr item = new Object;
      item->set("code", category.code);
      item->set("name", category.name);
      item->set("documents", items);
      categories->add(item);
    }
    Object::Ptr body = new Object;
    body->set("total", static_cast<Poco::Int64>(found.value().total));
    body->set("categories", categories);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void compliance(Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    const std::optional<int> reportYear = year.value();
    auto found =
        reports_.compliance(ex.subject, ex.queryValue("org_unit").value_or(""), reportYear);
    if (!found.ok()) return ex.sendProblem(found.error());
    const auto& report = found.value().items;
    const auto& summary = found.value().summary;
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
    body->set("org_unit", found.value().org_unit);
    body->set("year", found.value().year);
    body->set("as_of", found.value().as_of.toString());
    body->set("items", itemsJson);
    body->set("summary", summaryJson);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  // Per unit (and the units under it) and year: feedback by channel and status, applications by
  // status and outcome, on-time rate, average working days, and the overdue list.
  void feedback(Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    const std::optional<int> reportYear = year.value();
    const std::string unit = ex.queryValue("org_unit").value_or("");
    auto found = reports_.feedback(ex.subject, unit, reportYear);
    if (!found.ok()) return ex.sendProblem(found.error());
    const auto& report = found.value();
    if (wantsCsv(ex)) return sendReportCsv(ex, report);
    Object::Ptr out = new Object;
    out->set("year", report.year);
    out->set("org_unit", unit.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(unit));
    out->set("feedback", figuresJson(report.feedback, "by_channel"));
    out->set("requests", figuresJson(report.requests, "by_outcome"));
    ex.sendJson(HTTPResponse::HTTP_OK, out);
  }

  static Object::Ptr figuresJson(const policies::HandlingFigures& f, const std::string& kindName) {
    Object::Ptr out = new Object;
    out->set("total", f.total);
    Object::Ptr byStatus = new Object, byKind = new Object;
    for (const auto& [status, n] : f.by_status) byStatus->set(status, n);
    for (const auto& [kind, n] : f.by_kind) byKind->set(kind, n);
    out->set("by_status", byStatus);
    out->set(kindName, byKind);
    out->set("finished", f.finished);
    out->set("on_time", f.on_time);
    out->set("on_time_rate", f.on_time_rate);
    out->set("average_working_days", f.average_working_days);
    Array::Ptr overdue = new Array;
    for (std::int64_t id : f.overdue) overdue->add(static_cast<Poco::Int64>(id));
    out->set("overdue", overdue);
    return out;
  }

  static void sendReportCsv(Exchange& ex, const policies::FeedbackReport& report) {
    // One row per figure (section, measure, key, value), with a byte-order mark for spreadsheets.
    std::string csv = "\xEF\xBB\xBFsection,measure,key,value\r\n";
    const auto row = [&](const std::string& section, const std::string& measure,
                         const std::string& key, const std::string& value) {
      csv += core::csvCell(section) + "," + core::csvCell(measure) + "," + core::csvCell(key) +
             "," + core::csvCell(value) + "\r\n";
    };
    const auto figures = [&](const std::string& section, const policies::HandlingFigures& f,
                             const std::string& kindName) {
      row(section, "total", "", std::to_string(f.total));
      for (const auto& [status, n] : f.by_status)
        row(section, "by_status", status, std::to_string(n));
      for (const auto& [kind, n] : f.by_kind) row(section, kindName, kind, std::to_string(n));
      row(section, "finished", "", std::to_string(f.finished));
      row(section, "on_time", "", std::to_string(f.on_time));
      char number[32];
      std::snprintf(number, sizeof number, "%.4f", f.on_time_rate);
      row(section, "on_time_rate", "", number);
      std::snprintf(number, sizeof number, "%.2f", f.average_working_days);
      row(section, "average_working_days", "", number);
      for (std::int64_t id : f.overdue) row(section, "overdue", std::to_string(id), "");
    };
    figures("feedback", report.feedback, "by_channel");
    figures("requests", report.requests, "by_outcome");
    ex.response.setStatus(HTTPResponse::HTTP_OK);
    ex.response.setContentType("text/csv; charset=utf-8");
    ex.response.set("Content-Disposition",
                    "attachment; filename=\"feedback-" + std::to_string(report.year) + ".csv\"");
    sendBody(ex.request, ex.response, csv);
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

  service::ReportService& reports_;
  const policies::CategoryCatalogue& categories_;
};

}  // namespace

void addReportRoutes(Router& router, service::ReportService& reports,
                     const policies::CategoryCatalogue& categories) {
  auto routes = std::make_shared<ReportRoutes>(reports, categories);
  ReportRoutes::addTo(routes, router);
  router.keepAlive(routes);
}

}  // namespace gongkai::server::http
