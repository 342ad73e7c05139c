#include "requests_api.h"

#include <Poco/JSON/Object.h>

#include "case_routes.h"
#include "gongkai/core/workflow.h"
#include "gongkai/server/http/case_json.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using service::RequestService;

const std::string kBase = "/api/v1/disclosure-requests";

bool isRequestStatus(std::string_view text) { return core::parseRequestStatus(text).has_value(); }

class RequestRoutes {
 public:
  RequestRoutes(RequestService& requests, service::DocumentService& documents)
      : requests_(requests), documents_(documents) {}

  static void addTo(const std::shared_ptr<RequestRoutes>& self, Router& router) {
    router.add("POST", kBase, [self](Exchange& ex) { self->submit(ex); });
    // Public: the log of decisions carries no applicant; the receipt code is its own credential.
    router.add("GET", kBase + "/log", [self](Exchange& ex) { self->log(ex); });
    router.add("GET", kBase + "/receipt/{code}", [self](Exchange& ex) { self->receipt(ex); });
    router.add("GET", kBase, [self](Exchange& ex) { self->list(ex); });
    router.add("GET", kBase + "/{id}", [self](Exchange& ex) { self->get(ex); });
    router.add("POST", kBase + "/{id}/{step}", [self](Exchange& ex) { self->step(ex); });
  }

 private:
  void submit(Exchange& ex) {
    auto body = case_routes::readSubmission(ex);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto submission = parseApplicationSubmission(body.value());
    if (!submission.ok()) return ex.sendProblem(submission.error());
    auto made = requests_.submit(ex.subject, submission.value());
    if (!made.ok()) return ex.sendProblem(made.error());
    const auto& r = made.value().record;
    Object::Ptr out = new Object;
    out->set("acknowledge_by", r.acknowledge_by.toString());
    out->set("decide_by", r.decide_by.toString());
    out->set("message",
             "已收到您的公开申请，请保存回执码以查询办理进度和决定 (received: keep the "
             "receipt code to follow the application)");
    case_routes::sendFiled(ex, kBase, r.id, made.value().receipt, out);
  }

  void log(Exchange& ex) {
    auto page = pageQuery(ex);
    if (!page.ok()) return ex.sendProblem(page.error());
    case_routes::sendCases(
        ex, "requests", requests_.decisionLog(page.value().per_page, page.value().offset()),
        page.value(),
        [this](const core::DisclosureRequest& r) { return render(r, ApplicationView::kLog); });
  }

  void receipt(Exchange& ex) {
    auto found = requests_.byReceipt(ex.params.at("code"));
    if (!found.ok()) return ex.sendProblem(found.error());
    case_routes::sendReceiptView(ex, render(found.value(), ApplicationView::kReceipt));
  }

  void list(Exchange& ex) {
    service::CaseQuery query;
    auto page =
        case_routes::listQuery(ex, query, isRequestStatus, "received、acknowledged 或 decided");
    if (!page.ok()) return ex.sendProblem(page.error());
    case_routes::sendCases(
        ex, "requests", requests_.list(ex.subject, query), page.value(),
        [this](const core::DisclosureRequest& r) { return render(r, ApplicationView::kHandler); });
  }

  void get(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = requests_.get(ex.subject, id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.sendJson(HTTPResponse::HTTP_OK, render(found.value(), ApplicationView::kHandler));
  }

  void step(Exchange& ex) {
    auto call = case_routes::readStep(ex, {"acknowledge", "extend", "decision"});
    if (!call.ok()) return ex.sendProblem(call.error());
    auto step = parseApplicationStep(call.value().name, call.value().body);
    if (!step.ok()) return ex.sendProblem(step.error());
    // Only what the public may already see can be released in answer to an application.
    const auto releasable = [this](std::int64_t document) -> std::optional<std::string> {
      auto found = documents_.get(service::Subject{}, document);  // as the public sees it
      if (!found.ok()) return std::nullopt;
      const auto& v = found.value();
      const std::string_view status = core::visibleStatus(v);
      if (v.metadata.scope != core::Scope::kPublic ||
          (status != "published" && status != "archived")) {
        return std::nullopt;
      }
      return v.metadata.category;
    };
    auto updated = requests_.step(ex.subject, call.value().id, step.value(), releasable);
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.sendJson(HTTPResponse::HTTP_OK, render(updated.value(), ApplicationView::kHandler));
  }

  Object::Ptr render(const core::DisclosureRequest& request, ApplicationView view) const {
    return applicationJson(request, requests_.timeliness(request), view);
  }

  RequestService& requests_;
  service::DocumentService& documents_;
};

}  // namespace

void addRequestRoutes(Router& router, RequestService& requests,
                      service::DocumentService& documents) {
  auto routes = std::make_shared<RequestRoutes>(requests, documents);
  RequestRoutes::addTo(routes, router);
  router.keepAlive(routes);
}

}  // namespace gongkai::server::http
