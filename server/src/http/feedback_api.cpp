#include <Poco/JSON/Object.h>

#include <functional>

#include "case_routes.h"
#include "gongkai/server/http/case_json.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using service::FeedbackService;

const std::string kBase = "/api/v1/feedback";

bool isFeedbackStatus(std::string_view text) { return core::parseFeedbackStatus(text).has_value(); }

// The routes case_routes::addCaseRoutes adds for feedback.
class FeedbackRoutes {
 public:
  explicit FeedbackRoutes(FeedbackService& feedback) : feedback_(feedback) {}

  void submit(Exchange& ex) {
    auto body = ex.readJsonObject(case_routes::kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto submission = parseFeedbackSubmission(body.value());
    if (!submission.ok()) return ex.sendProblem(submission.error());
    auto made = feedback_.submit(ex.subject, submission.value());
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
    case_routes::sendByReceipt(ex, feedback_.byReceipt(ex.params.at("code")),
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
    sendPage(ex, "feedback", feedback_.list(ex.subject, query), page.value(),
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
  // Shows a record in `view`, with where it stands against its deadline today.
  std::function<Object::Ptr(const core::FeedbackRecord&)> render(FeedbackView view) const {
    return [this, view](const core::FeedbackRecord& record) {
      return feedbackJson(record, feedback_.timeliness(record), view);
    };
  }

  FeedbackService& feedback_;
};

}  // namespace

void addFeedbackRoutes(Router& router, FeedbackService& feedback) {
  case_routes::addCaseRoutes(router, kBase, std::make_shared<FeedbackRoutes>(feedback));
}

}  // namespace gongkai::server::http
