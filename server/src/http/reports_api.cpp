// The reports under /api/v1/reports and the public board /api/v1/board: each asks the report
// service, which decides who may read it, and renders the answer as JSON (or CSV).
#include <cstdio>

#include "document_json.h"
#include "gongkai/core/text.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

bool acceptsCsv(const Exchange& ex) {
  return ex.request.get("Accept", "").find("text/csv") != std::string::npos;
}

// `csv` as a download named `filename`.
void sendCsv(Exchange& ex, const std::string& filename, const std::string& csv) {
  ex.response.set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  ex.sendText("text/csv; charset=utf-8", csv);
}

std::string decimal(const char* format, double value) {
  char number[32];
  std::snprintf(number, sizeof number, format, value);
  return number;
}

Object::Ptr itemJson(const service::ItemCompliance& item) {
  const auto window = [](const auto& w) {
    auto out = json::object({"label"_f = w.label, "start"_f = w.start, "end"_f = w.end,
                             "due"_f = w.due, "outcome"_f = toString(w.outcome),
                             "working_days_late"_f = w.working_days_late});
    if (const auto& p = w.publication; p && p->document_id != 0) {
      json::set(out, {"document_id"_f = p->document_id, "title"_f = p->title,
                      "published"_f = p->published});
    }
    return out;
  };
  const auto& i = item.item;
  return json::object({"item_id"_f = i.id, "category"_f = i.category, "content"_f = i.content,
                       "period"_f = i.period,
                       "rhythm"_f = i.rhythm ? Var(std::string(toString(*i.rhythm))) : Var(),
                       "windows"_f = json::array(item.windows, window)});
}

Object::Ptr summaryJson(const service::CategoryLine& c) {
  auto out = json::object(
      {"category"_f = c.category, "disclosed_by_quarter"_f = json::array(c.disclosed_by_quarter),
       "windows_due"_f = c.windows_due, "on_time"_f = c.on_time,
       "on_time_rate"_f =
           c.windows_due == 0 ? Var() : Var(static_cast<double>(c.on_time) / c.windows_due)});
  if (!c.name.empty()) out->set("name", c.name);
  return out;
}

// One row per window of every item.
std::string complianceCsv(const std::vector<service::ItemCompliance>& items) {
  std::string csv(core::kUtf8ByteOrderMark);
  csv += core::csvRecord({"item_id", "category", "content", "window", "start", "end", "due",
                          "outcome", "working_days_late", "document_id", "title", "published"});
  for (const auto& item : items) {
    for (const auto& w : item.windows) {
      const auto& p = w.publication;
      csv += core::csvRecord({std::to_string(item.item.id), item.item.category, item.item.content,
                              w.label, w.start.toString(), w.end.toString(), w.due.toString(),
                              toString(w.outcome), std::to_string(w.working_days_late),
                              p && p->document_id ? std::to_string(p->document_id) : "",
                              p ? p->title : "", p ? p->published.toString() : ""});
    }
  }
  return csv;
}

Object::Ptr figuresJson(const service::HandlingFigures& f, const std::string& kindName) {
  Object::Ptr byStatus = new Object, byKind = new Object;
  for (const auto& [status, n] : f.by_status) byStatus->set(status, n);
  for (const auto& [kind, n] : f.by_kind) byKind->set(kind, n);
  auto out = json::object({"total"_f = f.total, "by_status"_f = byStatus, "finished"_f = f.finished,
                           "on_time"_f = f.on_time, "on_time_rate"_f = f.on_time_rate,
                           "average_working_days"_f = f.average_working_days,
                           "overdue"_f = json::array(f.overdue)});
  out->set(kindName, byKind);
  return out;
}

// One row per figure (section, measure, key, value).
std::string feedbackCsv(const service::FeedbackReport& report) {
  std::string csv(core::kUtf8ByteOrderMark);
  csv += core::csvRecord({"section", "measure", "key", "value"});
  const auto figures = [&](const std::string& section, const service::HandlingFigures& f,
                           const std::string& kindName) {
    const auto row = [&](const std::string& measure, const std::string& key,
                         const std::string& value) {
      csv += core::csvRecord({section, measure, key, value});
    };
    row("total", "", std::to_string(f.total));
    for (const auto& [status, n] : f.by_status) row("by_status", status, std::to_string(n));
    for (const auto& [kind, n] : f.by_kind) row(kindName, kind, std::to_string(n));
    row("finished", "", std::to_string(f.finished));
    row("on_time", "", std::to_string(f.on_time));
    row("on_time_rate", "", decimal("%.4f", f.on_time_rate));
    row("average_working_days", "", decimal("%.2f", f.average_working_days));
    for (std::int64_t id : f.overdue) row("overdue", std::to_string(id), "");
  };
  figures("feedback", report.feedback, "by_channel");
  figures("requests", report.requests, "by_outcome");
  return csv;
}

}  // namespace

void addReportRoutes(Router& router, service::ReportService& reports) {
  router.add("GET", "/api/v1/board", [&reports](Exchange& ex) {
    ex.reply(reports.board(ex.subject, ex.queryValue("org_unit")), [](const auto& board) {
      const auto category = [](const auto& c) {
        return json::object({"code"_f = c.code, "name"_f = c.name,
                             "documents"_f = json::array(
                                 c.documents, [](const auto& v) { return documentJson(v); })});
      };
      return json::object(
          {"total"_f = board.total, "categories"_f = json::array(board.categories, category)});
    });
  });
  router.add("GET", "/api/v1/reports/compliance", [&reports](Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    auto found =
        reports.compliance(ex.subject, ex.queryValue("org_unit").value_or(""), year.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const auto& report = found.value();
    if (acceptsCsv(ex)) return sendCsv(ex, "compliance.csv", complianceCsv(report.items));
    ex.sendJson(
        HTTPResponse::HTTP_OK,
        json::object({"org_unit"_f = report.org_unit, "year"_f = report.year,
                      "as_of"_f = report.as_of, "items"_f = json::array(report.items, itemJson),
                      "summary"_f = json::array(report.summary, summaryJson)}));
  });
  // Per unit (and the units under it) and year: feedback by channel and status, applications by
  // status and outcome, on-time rate, average working days, and the overdue list.
  router.add("GET", "/api/v1/reports/feedback", [&reports](Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    const std::string unit = ex.queryValue("org_unit").value_or("");
    auto found = reports.feedback(ex.subject, unit, year.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const auto& report = found.value();
    if (ex.queryValue("format") == "csv" || acceptsCsv(ex)) {
      return sendCsv(ex, "feedback-" + std::to_string(report.year) + ".csv", feedbackCsv(report));
    }
    ex.sendJson(HTTPResponse::HTTP_OK,
                json::object({"year"_f = report.year, "org_unit"_f = json::textOrNull(unit),
                              "feedback"_f = figuresJson(report.feedback, "by_channel"),
                              "requests"_f = figuresJson(report.requests, "by_outcome")}));
  });
}

}  // namespace gongkai::server::http
