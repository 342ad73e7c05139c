#include "feedback_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <set>

#include "gongkai/core/text.h"
#include "gongkai/policies/feedback_report.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using service::FeedbackService;

// A submission is a few paragraphs; anything much larger is not one.
constexpr std::int64_t kMaxBodyBytes = 64 * 1024;
constexpr std::string_view kSteps[] = {"assign", "start", "answer", "close", "extend"};

Error notFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "feedback_not_found",
                     "意见记录不存在 (no such feedback): " + std::to_string(id));
}

Error unknownSubject(const std::string& field) {
  const std::string message = "所涉文件或目录条目不存在 (no such document or catalogue item)";
  return Error{ErrorCode::kInvalidArgument,
               "invalid_feedback",
               message,
               {{field, "unknown_" + field, message}}};
}

class FeedbackRoutes {
 public:
  FeedbackRoutes(FeedbackService& feedback, service::RequestService& requests,
                 service::DocumentService& documents, service::CatalogueService& catalogue,
                 service::AccountService& accounts, const Access& access)
      : feedback_(feedback),
        requests_(requests),
        documents_(documents),
        catalogue_(catalogue),
        accounts_(accounts),
        access_(access) {}

  static void addTo(const std::shared_ptr<FeedbackRoutes>& self, Router& router,
                    const Access& access) {
    router.add("POST", "/api/v1/feedback",
               access.guarded("feedback.submit", [self](Exchange& ex) { self->submit(ex); }));
    // Anyone holding the code may follow the case: the code is the credential.
    router.add("GET", "/api/v1/feedback/receipt/{code}",
               [self](Exchange& ex) { self->receipt(ex); });
    router.add("GET", "/api/v1/feedback", [self](Exchange& ex) { self->list(ex); });
    router.add("GET", "/api/v1/feedback/{id}", [self](Exchange& ex) { self->get(ex); });
    router.add("POST", "/api/v1/feedback/{id}/{step}", [self](Exchange& ex) { self->step(ex); });
    router.add("GET", "/api/v1/reports/feedback",
               access.guarded("reports.read", [self](Exchange& ex) { self->report(ex); }));
  }

 private:
  bool mayRead(const Exchange& ex, const core::FeedbackRecord& record) const {
    return mayReadCase(access_, ex, record.org_unit);
  }

  void submit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    const auto& json = body.value();
    service::FeedbackSubject concerns;
    // What it concerns must be something the submitter may see; otherwise it is "no such".
    const auto positiveId = [&](const char* field) -> std::optional<std::int64_t> {
      if (!json->has(field) || json->isNull(field) || !json->get(field).isInteger())
        return std::nullopt;
      try {
        const auto id = json->get(field).convert<Poco::Int64>();
        return id > 0 ? std::optional<std::int64_t>(id) : std::nullopt;
      } catch (const std::exception&) {
        return std::nullopt;
      }
    };
    if (const auto id = positiveId("document_id")) {
      auto document = documents_.get(*id);
      if (!document.ok() || !access_.maySee(ex, document.value())) {
        return ex.sendProblem(unknownSubject("document_id"));
      }
      concerns.document_id = *id;
      concerns.category = document.value().metadata.category;
      concerns.org_unit = document.value().metadata.org_unit;
    }
    if (const auto id = positiveId("catalogue_item")) {
      auto item = catalogue_.get(*id);
      if (!item.ok() || !access_.maySee(ex, item.value())) {
        return ex.sendProblem(unknownSubject("catalogue_item"));
      }
      concerns.catalogue_item = *id;
      if (concerns.category.empty()) concerns.category = item.value().category;
      if (concerns.org_unit.empty()) concerns.org_unit = item.value().org_unit;
    }
    // Entering a letter or a call for someone (dated when it came in, not rate-limited) is for
    // the handlers of the unit the case will belong to.
    const bool onBehalf = access_.mayInUnit(ex, "feedback.handle", concerns.org_unit);
    auto made = feedback_.submit(ex.subject, json, concerns, onBehalf);
    if (!made.ok()) return ex.sendProblem(made.error());
    const auto& record = made.value().record;
    const std::string url = "/api/v1/feedback/receipt/" + made.value().receipt;
    ex.response.set("Location", url);
    Object::Ptr out = new Object;
    out->set("id", static_cast<Poco::Int64>(record.id));
    out->set("receipt", made.value().receipt);
    out->set("receipt_url", url);
    out->set("status", std::string(core::toString(record.status)));
    out->set("deadline", record.deadline.toString());
    out->set("message",
             "已收到您的意见，请保存回执码以查询办理进度和答复 (received: keep the receipt "
             "code to follow your case and read the answer)");
    ex.sendJson(HTTPResponse::HTTP_CREATED, out);
  }

  void receipt(Exchange& ex) {
    auto found = feedback_.byReceipt(ex.params.at("code"));
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(HTTPResponse::HTTP_OK,
                feedback_.toJson(found.value(), FeedbackService::View::kReceipt));
  }

  void list(Exchange& ex) {
    auto units = readableCaseUnits(access_, ex);
    if (!units.ok()) return ex.sendProblem(units.error());
    store::FeedbackFilter filter;
    filter.units = std::move(units).value();
    filter.status = ex.queryValue("status");
    filter.org_unit = ex.queryValue("org_unit");
    filter.channel = ex.queryValue("channel");
    if (filter.status && !core::parseFeedbackStatus(*filter.status)) {
      return ex.sendProblem(
          badQuery("status", "received、assigned、in_progress、answered 或 closed"));
    }
    if (filter.channel && !core::isFeedbackChannel(*filter.channel)) {
      return ex.sendProblem(
          badQuery("channel", "hotline、suggestion_box、letter、reception_day、meeting 或 online"));
    }
    if (const auto overdue = ex.queryValue("overdue")) {
      if (*overdue != "true" && *overdue != "false")
        return ex.sendProblem(badQuery("overdue", "true 或 false"));
      if (*overdue == "true") filter.overdue_on = feedback_.today().toString();
    }
    auto page = pageQuery(ex);
    if (!page.ok()) return ex.sendProblem(page.error());
    filter.limit = page.value().per_page;
    filter.offset = page.value().offset();
    auto found = feedback_.list(filter);
    if (!found.ok()) return ex.sendProblem(found.error());
    Array::Ptr items = new Array;
    for (const auto& record : found.value().items) {
      items->add(feedback_.toJson(record, FeedbackService::View::kHandler));
    }
    Object::Ptr out = new Object;
    out->set("total", static_cast<Poco::Int64>(found.value().total));
    out->set("page", static_cast<Poco::Int64>(page.value().page));
    out->set("per_page", static_cast<Poco::Int64>(page.value().per_page));
    out->set("feedback", items);
    ex.sendJson(HTTPResponse::HTTP_OK, out);
  }

  void get(Exchange& ex) {
    if (auto allowed = requireFeedbackReader(access_, ex); !allowed.ok())
      return ex.sendProblem(allowed.error());
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = feedback_.get(id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    if (!mayRead(ex, found.value())) return ex.sendProblem(notFound(id.value()));
    ex.sendJson(HTTPResponse::HTTP_OK,
                feedback_.toJson(found.value(), FeedbackService::View::kHandler));
  }

  void step(Exchange& ex) {
    const std::string name = ex.params.at("step");
    if (std::find(std::begin(kSteps), std::end(kSteps), name) == std::end(kSteps)) {
      return ex.sendProblem(Error::make(ErrorCode::kNotFound, "not_found",
                                        "资源不存在 (no such resource): " + ex.path));
    }
    if (auto allowed = access_.require(ex, "feedback.handle"); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto current = feedback_.get(id.value());
    if (!current.ok()) return ex.sendProblem(current.error());
    if (!mayRead(ex, current.value())) return ex.sendProblem(notFound(id.value()));
    if (!access_.mayInUnit(ex, "feedback.handle", current.value().org_unit)) {
      return ex.sendProblem(unitForbidden(current.value().org_unit));
    }
    Object::Ptr body = new Object;
    if (ex.request.getContentLength64() > 0 || ex.request.getChunkedTransferEncoding()) {
      auto read = ex.readJsonObject(kMaxBodyBytes);
      if (!read.ok()) return ex.sendProblem(read.error());
      body = read.value();
    }
    // Handing a case to another unit needs the right to handle cases there too.
    if (name == "assign" && body->has("org_unit") && body->get("org_unit").isString()) {
      const std::string unit = body->getValue<std::string>("org_unit");
      if (!unit.empty() && !access_.mayInUnit(ex, "feedback.handle", unit)) {
        return ex.sendProblem(unitForbidden(unit));
      }
    }
    auto updated = feedback_.step(ex.subject, id.value(), name, body, [&](const std::string& unit) {
      return access_.mayInUnit(ex, "feedback.handle", unit);
    });
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.sendJson(HTTPResponse::HTTP_OK,
                feedback_.toJson(updated.value(), FeedbackService::View::kHandler));
  }

  // Per unit (and the units under it) and year: feedback by channel and status, applications by
  // status and outcome, on-time rate, average working days, and the overdue list.
  void report(Exchange& ex) {
    const core::Date today = feedback_.today();
    auto year = ex.intQuery("year", 1900, 2999);
    if (!year.ok()) return ex.sendProblem(year.error());
    const int reportYear = static_cast<int>(year.value().value_or(today.year));
    const std::string unit = ex.queryValue("org_unit").value_or("");
    const auto tree = accounts_.unitTree();
    if (!unit.empty() && !tree->contains(unit)) {
      return ex.sendProblem(badQuery("org_unit", "已有的单位代码"));
    }
    // A role bound to units reports on those units (and the units under them) only.
    if (!unit.empty() && !access_.mayInUnit(ex, "reports.read", unit)) {
      return ex.sendProblem(Error::make(ErrorCode::kForbidden, "unit_forbidden",
                                        "您无权查看该单位的统计 (your roles do not cover this unit): " + unit));
    }
    std::optional<std::vector<std::string>> units = access_.unitsWhere(ex, "reports.read");
    if (!unit.empty()) {
      const auto subtree = tree->subtree(unit);
      units = std::vector<std::string>(subtree.begin(), subtree.end());
    }
    // The year's cases only, read in SQL; the bounds are a day wide of the China-time year on
    // either side, and the report counts each case by its China date.
    const std::string from = std::to_string(reportYear - 1) + "-12-31T00:00:00Z";
    const std::string before = std::to_string(reportYear + 1) + "-01-02T00:00:00Z";
    store::FeedbackFilter feedbackFilter;
    feedbackFilter.units = units;
    feedbackFilter.received_from = from;
    feedbackFilter.received_before = before;
    feedbackFilter.limit = INT64_MAX;
    auto feedback = feedback_.list(feedbackFilter);
    if (!feedback.ok()) return ex.sendProblem(feedback.error());
    store::RequestFilter requestFilter;
    requestFilter.units = units;
    requestFilter.received_from = from;
    requestFilter.received_before = before;
    requestFilter.limit = INT64_MAX;
    auto requests = requests_.list(requestFilter);
    if (!requests.ok()) return ex.sendProblem(requests.error());
    const auto engine = access_.engine();
    const auto report = policies::buildFeedbackReport(
        feedback.value().items, requests.value().items, reportYear, unit, today,
        engine->policies().time_limits, engine->policies().calendar);
    if (ex.queryValue("format").value_or("") == "csv" ||
        ex.request.get("Accept", "").find("text/csv") != std::string::npos) {
      return sendReportCsv(ex, report);
    }
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

  static Error badQuery(const std::string& name, const std::string& allowed) {
    const std::string message = "查询参数 " + name + " 须为 " + allowed + " (invalid " + name + ")";
    return Error{
        ErrorCode::kMalformed, "invalid_query", message, {{name, "invalid_value", message}}};
  }

  static Error unitForbidden(const std::string& unit) {
    return Error::make(ErrorCode::kForbidden, "unit_forbidden",
                       "您无权办理该单位的意见 (your roles do not cover this unit): " +
                           (unit.empty() ? std::string("（未分派 unassigned）") : unit));
  }

  FeedbackService& feedback_;
  service::RequestService& requests_;
  service::DocumentService& documents_;
  service::CatalogueService& catalogue_;
  service::AccountService& accounts_;
  const Access& access_;
};

}  // namespace

core::Status requireFeedbackReader(const Access& access, const Exchange& ex) {
  if (access.may(ex, "feedback.read")) return core::okStatus();
  return access.require(ex, "feedback.handle");
}

core::Result<std::optional<std::vector<std::string>>> readableCaseUnits(const Access& access,
                                                                        const Exchange& ex) {
  if (auto allowed = requireFeedbackReader(access, ex); !allowed.ok()) return allowed.error();
  if (access.may(ex, "feedback.read")) return std::optional<std::vector<std::string>>();
  return access.unitsWhere(ex, "feedback.handle");
}

bool mayReadCase(const Access& access, const Exchange& ex, const std::string& unit) {
  return access.may(ex, "feedback.read") || access.mayInUnit(ex, "feedback.handle", unit);
}

core::Result<PageQuery> pageQuery(Exchange& ex) {
  auto page = ex.intQuery("page", 1, 100000);
  if (!page.ok()) return page.error();
  auto perPage = ex.intQuery("per_page", 1, 100);
  if (!perPage.ok()) return perPage.error();
  return PageQuery{page.value().value_or(1), perPage.value().value_or(20)};
}

void addFeedbackRoutes(Router& router, FeedbackService& feedback, service::RequestService& requests,
                       service::DocumentService& documents, service::CatalogueService& catalogue,
                       service::AccountService& accounts, const Access& access) {
  auto routes =
      std::make_shared<FeedbackRoutes>(feedback, requests, documents, catalogue, accounts, access);
  FeedbackRoutes::addTo(routes, router, access);
  router.keepAlive(routes);
}

}  // namespace gongkai::server::http
