#include <Poco/JSON/Object.h>

#include <functional>

#include "case_routes.h"
#include "gongkai/server/http/case_json.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Object;
using service::FeedbackService;

const std::string kBase = "/api/v1/feedback";

Error unknownSubject(const std::string& field) {
  const std::string message = "所涉文件或目录条目不存在 (no such document or catalogue item)";
  return Error{ErrorCode::kInvalidArgument,
               "invalid_feedback",
               message,
               {{field, "unknown_" + field, message}}};
}

bool isFeedbackStatus(std::string_view text) { return core::parseFeedbackStatus(text).has_value(); }

// The routes case_routes::addCaseRoutes adds for feedback.
class FeedbackRoutes {
 public:
  FeedbackRoutes(FeedbackService& feedback, service::DocumentService& documents,
                 service::CatalogueService& catalogue)
      : feedback_(feedback), documents_(documents), catalogue_(catalogue) {}

  void submit(Exchange& ex) {
    auto body = case_routes::readSubmission(ex);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto submission = parseFeedbackSubmission(body.value());
    if (!submission.ok()) return ex.sendProblem(submission.error());
    auto& s = submission.value();
    if (auto resolved = resolveConcerns(ex, s.concerns); !resolved.ok()) {
      return ex.sendProblem(resolved.error());
    }
    auto made = feedback_.submit(ex.subject, s);
    if (!made.ok()) return ex.sendProblem(made.error());
    const auto& record = made.value().record;
    case_routes::sendFiled(
        ex, kBase, record.id, made.value().receipt,
        {"status"_f = core::toString(record.status), "deadline"_f = record.deadline,
         "message"_f = "已收到您的意见，请保存回执码以查询办理进度和答复 "
                       "(received: keep the receipt code to follow your case "
                       "and read the answer)"});
  }

  void receipt(Exchange& ex) {
    case_routes::sendByReceipt(
        ex, [this](const std::string& code) { return feedback_.byReceipt(code); },
        render(FeedbackView::kReceipt));
  }

  void list(Exchange& ex) {
    service::CaseQuery query;
    auto page = case_routes::listQuery(ex, query, isFeedbackStatus,
                                       "received、assigned、in_progress、answered 或 closed");
    if (!page.ok()) return ex.sendProblem(page.error());
    query.org_unit = ex.queryValue("org_unit");
    query.channel = ex.queryValue("channel");
    if (query.channel && !core::isFeedbackChannel(*query.channel)) {
      return ex.sendProblem(case_routes::badQuery(
          "channel", "hotline、suggestion_box、letter、reception_day、meeting 或 online"));
    }
    if (const auto overdue = ex.queryValue("overdue")) {
      if (*overdue != "true" && *overdue != "false")
        return ex.sendProblem(case_routes::badQuery("overdue", "true 或 false"));
      query.overdue = *overdue == "true";
    }
    case_routes::sendCases(ex, "feedback", feedback_.list(ex.subject, query), page.value(),
                           render(FeedbackView::kHandler));
  }

  void get(Exchange& ex) {
    case_routes::sendById(
        ex, [&](std::int64_t id) { return feedback_.get(ex.subject, id); },
        render(FeedbackView::kHandler));
  }

  void step(Exchange& ex) {
    auto call = case_routes::readStep(ex, {"assign", "start", "answer", "close", "extend"});
    if (!call.ok()) return ex.sendProblem(call.error());
    auto step = parseFeedbackStep(call.value().name, call.value().body);
    if (!step.ok()) return ex.sendProblem(step.error());
    ex.reply(feedback_.step(ex.subject, call.value().id, step.value()),
             render(FeedbackView::kHandler));
  }

 private:
  // What a submission concerns must be something the submitter may see; otherwise it is "no
  // such". The category and unit of what it concerns become the case's.
  core::Status resolveConcerns(Exchange& ex, service::FeedbackSubject& concerns) {
    if (concerns.document_id) {
      auto document = documents_.get(ex.subject, *concerns.document_id);
      if (!document.ok()) return unknownSubject("document_id");
      concerns.category = document.value().metadata.category;
      concerns.org_unit = document.value().metadata.org_unit;
    }
    if (concerns.catalogue_item) {
      auto item = catalogue_.get(ex.subject, *concerns.catalogue_item);
      if (!item.ok()) return unknownSubject("catalogue_item");
      if (concerns.category.empty()) concerns.category = item.value().category;
      if (concerns.org_unit.empty()) concerns.org_unit = item.value().org_unit;
    }
    return core::okStatus();
  }

  // Shows a record in `view`, with where it stands against its deadline today.
  std::function<Object::Ptr(const core::FeedbackRecord&)> render(FeedbackView view) const {
    return [this, view](const core::FeedbackRecord& record) {
      return feedbackJson(record, feedback_.timeliness(record), view);
    };
  }

  FeedbackService& feedback_;
  service::DocumentService& documents_;
  service::CatalogueService& catalogue_;
};

}  // namespace

void addFeedbackRoutes(Router& router, FeedbackService& feedback,
                       service::DocumentService& documents, service::CatalogueService& catalogue) {
  case_routes::addCaseRoutes(router, kBase,
                             std::make_shared<FeedbackRoutes>(feedback, documents, catalogue));
}

}  // namespace gongkai::server::http
