// The two kinds of case over HTTP: feedback (/api/v1/feedback) and applications for disclosure
// on request (/api/v1/disclosure-requests). Both follow one flow: public submission with a
// receipt code, following a case by that code without an account, a list and the handling
// steps for those the service lets in. They differ only in what their Kind below says;
// applications also have the public log of decisions (no applicant).
#include <algorithm>
#include <array>
#include <string_view>

#include "gongkai/server/http/case_json.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

// A submission is a few paragraphs; anything much larger is not one.
constexpr std::int64_t kMaxBodyBytes = 64 * 1024;

struct FeedbackKind {
  using Service = service::FeedbackService;
  using View = FeedbackView;
  static constexpr const char* kBase = "/api/v1/feedback";
  static constexpr const char* kListKey = "feedback";
  static constexpr std::array<std::string_view, 5> kSteps{"assign", "start", "answer", "close",
                                                          "extend"};
  static constexpr auto parseSubmission = parseFeedbackSubmission;
  static constexpr auto parseStep = parseFeedbackStep;
  static constexpr auto parseQuery = service::parseFeedbackQuery;
  static constexpr auto render = feedbackJson;
  // What the answer to a submission says besides its receipt.
  static void setFiled(const Object::Ptr& out, const core::FeedbackRecord& r) {
    json::set(out, {"status"_f = core::toString(r.status), "deadline"_f = r.deadline,
                    "message"_f = "已收到您的意见，请保存回执码以查询办理进度和答复 "
                                  "(received: keep the receipt code to follow your case "
                                  "and read the answer)"});
  }
};

struct ApplicationKind {
  using Service = service::RequestService;
  using View = ApplicationView;
  static constexpr const char* kBase = "/api/v1/disclosure-requests";
  static constexpr const char* kListKey = "requests";
  static constexpr std::array<std::string_view, 3> kSteps{"acknowledge", "extend", "decision"};
  static constexpr auto parseSubmission = parseApplicationSubmission;
  static constexpr auto parseStep = parseApplicationStep;
  static constexpr auto parseQuery = service::parseApplicationQuery;
  static constexpr auto render = applicationJson;
  static void setFiled(const Object::Ptr& out, const core::DisclosureRequest& r) {
    json::set(out, {"acknowledge_by"_f = r.acknowledge_by, "decide_by"_f = r.decide_by,
                    "message"_f = "已收到您的公开申请，请保存回执码以查询办理进度和决定 "
                                  "(received: keep the receipt code to follow the "
                                  "application)"});
  }
};

// Shows a case in `view`, with where it stands against its deadline today.
template <typename Kind>
auto shown(const typename Kind::Service& cases, typename Kind::View view) {
  return [&cases, view](const auto& record) {
    return Kind::render(record, cases.timeliness(record), view);
  };
}

// POST base (submit), GET base/receipt/{code}, GET base (list), GET base/{id} and
// POST base/{id}/{step}.
template <typename Kind>
void addCaseRoutes(Router& router, typename Kind::Service& cases) {
  using View = typename Kind::View;
  const std::string base = Kind::kBase;
  router.add("POST", base, [&cases, base](Exchange& ex) {
    auto submission = ex.readJson(kMaxBodyBytes, Kind::parseSubmission);
    if (!submission.ok()) return ex.sendProblem(submission.error());
    auto made = cases.submit(ex.subject, submission.value());
    if (!made.ok()) return ex.sendProblem(made.error());
    // 201: the receipt code, shown this once, and where to follow the case with it.
    const std::string url = base + "/receipt/" + made.value().receipt;
    ex.response.set("Location", url);
    auto out = json::object({"id"_f = made.value().record.id, "receipt"_f = made.value().receipt,
                             "receipt_url"_f = url});
    Kind::setFiled(out, made.value().record);
    ex.sendJson(HTTPResponse::HTTP_CREATED, out);
  });
  // Anyone holding the code may follow the case: the code is the credential, never cached.
  router.add("GET", base + "/receipt/{code}", [&cases](Exchange& ex) {
    auto found = cases.byReceipt(ex.params.at("code"));
    if (found.ok()) ex.response.set("Cache-Control", "no-store");
    ex.reply(found, shown<Kind>(cases, View::kReceipt));
  });
  router.add("GET", base, [&cases](Exchange& ex) {
    auto query = Kind::parseQuery(ex.query);
    if (!query.ok()) return ex.sendProblem(query.error());
    const service::PageRequest page{query.value().offset / query.value().limit + 1,
                                    query.value().limit};
    sendPage(ex, Kind::kListKey, cases.list(ex.subject, query.value()), page,
             shown<Kind>(cases, View::kHandler));
  });
  router.add("GET", base + "/{id}", [&cases](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(cases.get(ex.subject, id.value()), shown<Kind>(cases, View::kHandler));
  });
  // A step's body may be left out (a step without fields, as `curl -X POST` sends it).
  router.add("POST", base + "/{id}/{step}", [&cases](Exchange& ex) {
    const std::string& name = ex.params.at("step");
    if (std::find(Kind::kSteps.begin(), Kind::kSteps.end(), name) == Kind::kSteps.end()) {
      return ex.sendProblem(ex.noSuchResource());
    }
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto body = ex.readOptionalJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto step = Kind::parseStep(name, body.value());
    if (!step.ok()) return ex.sendProblem(step.error());
    ex.reply(cases.step(ex.subject, id.value(), step.value()), shown<Kind>(cases, View::kHandler));
  });
}

}  // namespace

void addFeedbackRoutes(Router& router, service::FeedbackService& feedback) {
  addCaseRoutes<FeedbackKind>(router, feedback);
}

void addRequestRoutes(Router& router, service::RequestService& requests) {
  // Public: the log of decisions carries no applicant. Before {id}, which "log" would match.
  router.add("GET", std::string(ApplicationKind::kBase) + "/log", [&requests](Exchange& ex) {
    auto page = service::pageParameters(ex.query);
    if (!page.ok()) return ex.sendProblem(page.error());
    sendPage(ex, "requests", requests.decisionLog(page.value().per_page, page.value().offset()),
             page.value(), shown<ApplicationKind>(requests, ApplicationView::kLog));
  });
  addCaseRoutes<ApplicationKind>(router, requests);
}

}  // namespace gongkai::server::http
