#include "feedback_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <set>

#include "gongkai/core/text.h"
#include "paging.h"

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

Error unknownSubject(const std::string& field) {
  const std::string message = "所涉文件或目录条目不存在 (no such document or catalogue item)";
  return Error{ErrorCode::kInvalidArgument,
               "invalid_feedback",
               message,
               {{field, "unknown_" + field, message}}};
}

class FeedbackRoutes {
 public:
  FeedbackRoutes(FeedbackService& feedback, service::DocumentService& documents,
                 service::CatalogueService& catalogue)
      : feedback_(feedback), documents_(documents), catalogue_(catalogue) {}

  static void addTo(const std::shared_ptr<FeedbackRoutes>& self, Router& router) {
    router.add("POST", "/api/v1/feedback", [self](Exchange& ex) { self->submit(ex); });
    // Anyone holding the code may follow the case: the code is the credential.
    router.add("GET", "/api/v1/feedback/receipt/{code}",
               [self](Exchange& ex) { self->receipt(ex); });
    router.add("GET", "/api/v1/feedback", [self](Exchange& ex) { self->list(ex); });
    router.add("GET", "/api/v1/feedback/{id}", [self](Exchange& ex) { self->get(ex); });
    router.add("POST", "/api/v1/feedback/{id}/{step}", [self](Exchange& ex) { self->step(ex); });
  }

 private:
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
      auto document = documents_.get(ex.subject, *id);
      if (!document.ok()) {
        return ex.sendProblem(unknownSubject("document_id"));
      }
      concerns.document_id = *id;
      concerns.category = document.value().metadata.category;
      concerns.org_unit = document.value().metadata.org_unit;
    }
    if (const auto id = positiveId("catalogue_item")) {
      auto item = catalogue_.get(ex.subject, *id);
      if (!item.ok()) {
        return ex.sendProblem(unknownSubject("catalogue_item"));
      }
      concerns.catalogue_item = *id;
      if (concerns.category.empty()) concerns.category = item.value().category;
      if (concerns.org_unit.empty()) concerns.org_unit = item.value().org_unit;
    }
    auto made = feedback_.submit(ex.subject, json, concerns);
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
    store::FeedbackFilter filter;
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
    auto found = feedback_.list(ex.subject, filter);
    if (!found.ok()) return ex.sendProblem(found.error());
    Array::Ptr items = new Array;
    for (const auto& record : found.value().items) {
      items->add(feedback_.toJson(record, FeedbackService::View::kHandler));
    }
    sendPage(ex, "feedback", found.value().total, page.value(), items);
  }

  void get(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = feedback_.get(ex.subject, id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.sendJson(HTTPResponse::HTTP_OK,
                feedback_.toJson(found.value(), FeedbackService::View::kHandler));
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
    auto updated = feedback_.step(ex.subject, id.value(), name, body);
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.sendJson(HTTPResponse::HTTP_OK,
                feedback_.toJson(updated.value(), FeedbackService::View::kHandler));
  }

  static Error badQuery(const std::string& name, const std::string& allowed) {
    const std::string message = "查询参数 " + name + " 须为 " + allowed + " (invalid " + name + ")";
    return Error{
        ErrorCode::kMalformed, "invalid_query", message, {{name, "invalid_value", message}}};
  }

  FeedbackService& feedback_;
  service::DocumentService& documents_;
  service::CatalogueService& catalogue_;
};

}  // namespace

void addFeedbackRoutes(Router& router, FeedbackService& feedback,
                       service::DocumentService& documents, service::CatalogueService& catalogue) {
  auto routes = std::make_shared<FeedbackRoutes>(feedback, documents, catalogue);
  FeedbackRoutes::addTo(routes, router);
  router.keepAlive(routes);
}

}  // namespace gongkai::server::http
