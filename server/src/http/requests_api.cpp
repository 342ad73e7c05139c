#include <Poco/JSON/Object.h>

#include <functional>

#include "case_routes.h"
#include "gongkai/server/http/case_json.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using service::RequestService;

const std::string kBase = "/api/v1/disclosure-requests";

bool isRequestStatus(std::string_view text) { return core::parseRequestStatus(text).has_value(); }

// The routes case_routes::addCaseRoutes adds for applications, and the public log.
class RequestRoutes {
 public:
  explicit RequestRoutes(RequestService& requests) : requests_(requests) {}

  void submit(Exchange& ex) {
    auto body = ex.readJsonObject(case_routes::kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto submission = parseApplicationSubmission(body.value());
    if (!submission.ok()) return ex.sendProblem(submission.error());
    auto made = requests_.submit(ex.subject, submission.value());
    if (!made.ok()) return ex.sendProblem(made.error());
    const auto& r = made.value().record;
    case_routes::sendFiled(ex, kBase, r.id, made.value().receipt,
                           {"acknowledge_by"_f = r.acknowledge_by, "decide_by"_f = r.decide_by,
                            "message"_f = "已收到您的公开申请，请保存回执码以查询办理进度和决定 "
                                          "(received: keep the receipt code to follow the "
                                          "application)"});
  }

  // Public: the log of decisions carries no applicant.
  void log(Exchange& ex) {
    auto page = pageQuery(ex);
    if (!page.ok()) return ex.sendProblem(page.error());
    sendPage(ex, "requests", requests_.decisionLog(page.value().per_page, page.value().offset()),
             page.value(), render(ApplicationView::kLog));
  }

  void receipt(Exchange& ex) {
    case_routes::sendByReceipt(ex, requests_.byReceipt(ex.params.at("code")),
                               render(ApplicationView::kReceipt));
  }

  void list(Exchange& ex) {
    service::CaseQuery query;
    auto page =
        case_routes::listQuery(ex, query, isRequestStatus, "received、acknowledged 或 decided");
    if (!page.ok()) return ex.sendProblem(page.error());
    sendPage(ex, "requests", requests_.list(ex.subject, query), page.value(),
             render(ApplicationView::kHandler));
  }

  void get(Exchange& ex) {
    case_routes::sendById(
        ex, [&](std::int64_t id) { return requests_.get(ex.subject, id); },
        render(ApplicationView::kHandler));
  }

  void step(Exchange& ex) {
    auto call = case_routes::readStep(ex, {"acknowledge", "extend", "decision"});
    if (!call.ok()) return ex.sendProblem(call.error());
    auto step = parseApplicationStep(call.value().name, call.value().body);
    if (!step.ok()) return ex.sendProblem(step.error());
    ex.reply(requests_.step(ex.subject, call.value().id, step.value()),
             render(ApplicationView::kHandler));
  }

 private:
  // Shows an application in `view`, with where it stands against its deadline today.
  std::function<Object::Ptr(const core::DisclosureRequest&)> render(ApplicationView view) const {
    return [this, view](const core::DisclosureRequest& request) {
      return applicationJson(request, requests_.timeliness(request), view);
    };
  }

  RequestService& requests_;
};

}  // namespace

void addRequestRoutes(Router& router, RequestService& requests) {
  auto routes = std::make_shared<RequestRoutes>(requests);
  router.add("GET", kBase + "/log", [routes](Exchange& ex) { routes->log(ex); });
  case_routes::addCaseRoutes(router, kBase, routes);
}

}  // namespace gongkai::server::http
