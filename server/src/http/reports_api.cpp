// The reports under /api/v1/reports and the public board /api/v1/board: each asks the report
// service, which decides who may read it, and renders the answer as JSON (or CSV).
#include <cstdio>

#include "document_json.h"
#include "gongkai/core/text.h"
#include "json_build.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::Dynamic::Var;
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
    ex.reply(reports_.board(ex.subject, ex.queryValue("org_unit")), [](const auto& board) {
      const auto category = [](const auto& c) {
        return json::object({"code"_f = c.code, "name"_f = c.name,
                             "documents"_f = json::array(
                                 c.documents, [](const auto& v) { return documentJson(v); })});
      };
      return json::object(
          {"total"_f = board.total, "categories"_f = json::array(board.categories, category)});
    });
  }

  void compliance(Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    auto found =
        reports_.compliance(ex.subject, ex.queryValue("org_unit").value_or(""), year.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const auto& report = found.value();
    if (ex.request.get("Accept", "").find("text/csv") != std::string::npos)
      return sendCsv(ex, report.items);
    ex.sendJson(
        HTTPResponse::HTTP_OK,
        json::object({"org_unit"_f = report.org_unit, "year"_f = report.year,
                      "as_of"_f = report.as_of, "items"_f = json::array(report.items, itemJson),
                      "summary"_f = json::array(
                          report.summary, [this](const auto& c) { return summaryJson(c); })}));
  }

  static Object::Ptr itemJson(const policies::ItemCompliance& item) {
    const auto window = [](const auto& w) {
      auto out = json::object({"label"_f = w.label, "start"_f = w.start, "end"_f = w.end,
                               "due"_f = w.due, "outcome"_f = policies::toString(w.outcome),
                               "working_days_late"_f = w.working_days_late});
      if (const auto& p = w.publication; p && p->document_id != 0) {
        json::set(out, {"document_id"_f = p->document_id, "title"_f = p->title,
                        "published"_f = p->published});
      }
      return out;
    };
    const auto& i = item.item;
    return json::object(
        {"item_id"_f = i.id, "category"_f = i.category, "content"_f = i.content,
         "period"_f = i.period,
         "rhythm"_f = i.rhythm ? Var(std::string(policies::toString(*i.rhythm))) : Var(),
         "windows"_f = json::array(item.windows, window)});
  }

  Object::Ptr summaryJson(const policies::CategorySummary& c) const {
    auto out = json::object(
        {"category"_f = c.category, "disclosed_by_quarter"_f = json::array(c.disclosed_by_quarter),
         "windows_due"_f = c.windows_due, "on_time"_f = c.on_time,
         "on_time_rate"_f =
             c.windows_due == 0 ? Var() : Var(static_cast<double>(c.on_time) / c.windows_due)});
    if (const auto* known = categories_.find(c.category)) out->set("name", known->name);
    return out;
  }

  // Per unit (and the units under it) and year: feedback by channel and status, applications by
  // status and outcome, on-time rate, average working days, and the overdue list.
  void feedback(Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    const std::string unit = ex.queryValue("org_unit").value_or("");
    auto found = reports_.feedback(ex.subject, unit, year.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const auto& report = found.value();
    if (wantsCsv(ex)) return sendReportCsv(ex, report);
    ex.sendJson(HTTPResponse::HTTP_OK,
                json::object({"year"_f = report.year, "org_unit"_f = json::textOrNull(unit),
                              "feedback"_f = figuresJson(report.feedback, "by_channel"),
                              "requests"_f = figuresJson(report.requests, "by_outcome")}));
  }

  static Object::Ptr figuresJson(const policies::HandlingFigures& f, const std::string& kindName) {
    Object::Ptr byStatus = new Object, byKind = new Object;
    for (const auto& [status, n] : f.by_status) byStatus->set(status, n);
    for (const auto& [kind, n] : f.by_kind) byKind->set(kind, n);
    auto out = json::object(
        {"total"_f = f.total, "by_status"_f = byStatus, "finished"_f = f.finished,
         "on_time"_f = f.on_time, "on_time_rate"_f = f.on_time_rate,
         "average_working_days"_f = f.average_working_days, "overdue"_f = json::array(f.overdue)});
    out->set(kindName, byKind);
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
  ReportRoutes::addTo(std::make_shared<ReportRoutes>(reports, categories), router);
}

}  // namespace gongkai::server::http
