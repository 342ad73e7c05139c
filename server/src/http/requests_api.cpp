#include "requests_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "gongkai/core/workflow.h"
#include "paging.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using service::RequestService;

constexpr std::int64_t kMaxBodyBytes = 64 * 1024;
constexpr std::string_view kSteps[] = {"acknowledge", "extend", "decision"};

class RequestRoutes {
 public:
  RequestRoutes(RequestService& requests, service::DocumentService& documents)
      : requests_(requests), documents_(documents) {}

  static void addTo(const std::shared_ptr<RequestRoutes>& self, Router& router) {
    const std::string base = "/api/v1/disclosure-requests";
    router.add("POST", base, [self](Exchange& ex) { self->submit(ex); });
    // Public: the log of decisions carries no applicant; the receipt code is its own credential.
    router.add("GET", base + "/log", [self](Exchange& ex) { self->log(ex); });
    router.add("GET", base + "/receipt/{code}", [self](Exchange& ex) { self->receipt(ex); });
    router.add("GET", base, [self](Exchange& ex) { self->list(ex); });
    router.add("GET", base + "/{id}", [self](Exchange& ex) { self->get(ex); });
    router.add("POST", base + "/{id}/{step}", [self](Exchange& ex) { self->step(ex); });
  }

 private:
  void submit(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto made = requests_.submit(ex.subject, body.value());
    if (!made.ok()) return ex.sendProblem(made.error());
    const auto& r = made.value().request;
    const std::string url = "/api/v1/disclosure-requests/receipt/" + made.value().receipt;
    ex.response.set("Location", url);
    Object::Ptr out = new Object;
    out->set("id", static_cast<Poco::Int64>(r.id));
    out->set("receipt", made.value().receipt);
    out->set("receipt_url", url);
    out->set("acknowledge_by", r.acknowledge_by.toString());
    out->set("decide_by", r.decide_by.toString());
    out->set("message",
             "已收到您的公开申请，请保存回执码以查询办理进度和决定 (received: keep the "
             "receipt code to follow the application)");
    ex.sendJson(HTTPResponse::HTTP_CREATED, out);
  }

  void log(Exchange& ex) {
    auto page = pageQuery(ex);
    if (!page.ok()) return ex.sendProblem(page.error());
    auto decided = requests_.decisionLog(page.value().per_page, page.value().offset());
    if (!decided.ok()) return ex.sendProblem(decided.error());
    Array::Ptr items = new Array;
    for (const auto& r : decided.value().items) {
      items->add(requests_.toJson(r, RequestService::View::kLog));
    }
    sendPage(ex, "requests", decided.value().total, page.value(), items);
  }

  void receipt(Exchange& ex) {
    auto found = requests_.byReceipt(ex.params.at("code"));
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(HTTPResponse::HTTP_OK,
                requests_.toJson(found.value(), RequestService::View::kReceipt));
  }

  void list(Exchange& ex) {
    store::RequestFilter filter;
    filter.status = ex.queryValue("status");
    if (filter.status && !core::parseRequestStatus(*filter.status)) {
      const std::string message =
          "查询参数 status 须为 received、acknowledged 或 decided (invalid status)";
      return ex.sendProblem(Error{
          ErrorCode::kMalformed, "invalid_query", message, {{"status", "invalid_value", message}}});
    }
    auto page = pageQuery(ex);
    if (!page.ok()) return ex.sendProblem(page.error());
    filter.limit = page.value().per_page;
    filter.offset = page.value().offset();
    auto found = requests_.list(ex.subject, filter);
    if (!found.ok()) return ex.sendProblem(found.error());
    Array::Ptr items = new Array;
    for (const auto& r : found.value().items)
      items->add(requests_.toJson(r, RequestService::View::kHandler));
    sendPage(ex, "requests", found.value().total, page.value(), items);
  }

  void get(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = requests_.get(ex.subject, id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.sendJson(HTTPResponse::HTTP_OK,
                requests_.toJson(found.value(), RequestService::View::kHandler));
  }

  void step(Exchange& ex) {
    const std::string name = ex.params.at("step");
    if (std::find(std::begin(kSteps), std::end(kSteps), name) == std::end(kSteps)) {
      return ex.sendProblem(Error::make(ErrorCode::kNotFound, "not_found",
                                        "资源不存在 (no such resource): " + ex.path));
    }
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    Object::Ptr body = new Object;
    if (ex.request.getContentLength64() > 0 || ex.request.getChunkedTransferEncoding()) {
      auto read = ex.readJsonObject(kMaxBodyBytes);
      if (!read.ok()) return ex.sendProblem(read.error());
      body = read.value();
    }
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
    auto updated = requests_.step(ex.subject, id.value(), name, body, releasable);
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.sendJson(HTTPResponse::HTTP_OK,
                requests_.toJson(updated.value(), RequestService::View::kHandler));
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
