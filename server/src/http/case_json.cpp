#include "gongkai/server/http/case_json.h"

#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// Text fields are read as given: their limits are the services' (service/case_limits.h).
constexpr std::size_t kMaxReleasedDocuments = 100;
constexpr const char* kInvalidStep = "办理内容有误 (invalid step)";

Var timeOf(const std::optional<core::Step>& step) { return step ? json::toVar(step->at) : Var(); }

// A result only a finished case has, null before.
Var onceFinished(const service::Timeliness& t, const Var& value) {
  return t.finished ? value : Var();
}

// What every view of a case shows alike.
Object::Ptr caseJson(const core::Case& c) {
  return json::object(
      {"id"_f = c.id, "received_at"_f = c.received_at, "extended"_f = c.extended.has_value()});
}

void setDeadlineState(Object::Ptr out, const service::Timeliness& t) {
  json::set(out, {"due_soon"_f = t.due_soon, "overdue"_f = t.overdue});
}

void setWhoChanged(Object::Ptr out, const core::Case& c) {
  json::set(
      out, {"version"_f = c.version, "updated_by"_f = c.updated_by, "updated_at"_f = c.updated_at});
}

}  // namespace

core::Result<service::FeedbackSubmission> parseFeedbackSubmission(const Object::Ptr& body) {
  BodyReader read(body, {"channel", "content", "name", "contact", "document_id", "catalogue_item",
                         "received_at"});
  service::FeedbackSubmission s;
  s.channel = read.anyText("channel");
  s.content = read.anyText("content", true);
  s.name = read.anyText("name");
  s.contact = read.anyText("contact");
  s.concerns.document_id = read.id("document_id");
  s.concerns.catalogue_item = read.id("catalogue_item");
  if (read.has("received_at")) s.received_at = read.anyText("received_at");
  if (auto ok = read.result("invalid_feedback", "意见内容有误 (invalid feedback)"); !ok.ok()) {
    return ok.error();
  }
  return s;
}

core::Result<service::FeedbackStep> parseFeedbackStep(const std::string& name,
                                                      const Object::Ptr& body) {
  BodyReader read(body, {"org_unit", "handler", "category", "answer", "rectification",
                         "satisfaction", "reason"});
  service::FeedbackStep step;
  step.name = name;
  step.org_unit = read.anyText("org_unit");
  step.handler = read.anyText("handler");
  step.category = read.anyText("category");
  step.answer = read.anyText("answer", true);
  step.rectification = read.anyText("rectification", true);
  step.satisfaction = read.anyText("satisfaction");
  step.reason = read.anyText("reason", true);
  if (auto ok = read.result("invalid_step", kInvalidStep); !ok.ok()) return ok.error();
  return step;
}

core::Result<service::ApplicationSubmission> parseApplicationSubmission(const Object::Ptr& body) {
  BodyReader read(body, {"applicant", "content", "purpose", "contact", "org_unit"});
  service::ApplicationSubmission s;
  s.applicant = read.anyText("applicant");
  s.content = read.anyText("content", true);
  s.purpose = read.anyText("purpose", true);
  s.contact = read.anyText("contact");
  s.org_unit = read.anyText("org_unit");
  if (auto ok = read.result("invalid_request", "申请内容有误 (invalid application)"); !ok.ok()) {
    return ok.error();
  }
  return s;
}

core::Result<service::RequestStep> parseApplicationStep(const std::string& name,
                                                        const Object::Ptr& body) {
  BodyReader read(body, {"notice", "outcome", "reason", "answer", "document_ids", "category",
                         "public_summary", "org_unit"});
  service::RequestStep step;
  step.name = name;
  step.notice = read.anyText("notice", true);
  step.outcome = read.anyText("outcome");
  step.reason = read.anyText("reason");
  step.answer = read.anyText("answer", true);
  step.document_ids = read.ids("document_ids", kMaxReleasedDocuments);
  step.category = read.anyText("category");
  step.public_summary = read.anyText("public_summary", true);
  // Only acknowledging takes a unit: the service refuses it on any other step.
  step.org_unit = read.anyText("org_unit");
  if (auto ok = read.result("invalid_step", kInvalidStep); !ok.ok()) return ok.error();
  return step;
}

Object::Ptr feedbackJson(const core::FeedbackRecord& r, const service::Timeliness& t,
                         FeedbackView view) {
  using json::textOrNull;
  Object::Ptr out = caseJson(r);
  json::set(
      out,
      {"channel"_f = r.channel, "content"_f = r.content, "status"_f = core::toString(r.status),
       "deadline"_f = r.deadline,
       "working_days_left"_f = t.finished ? Var() : Var(t.working_days_left),
       "answered_on_time"_f = onceFinished(t, t.answered_on_time),
       "extension_reason"_f = textOrNull(r.extension_reason), "answer"_f = textOrNull(r.answer),
       "rectification"_f = textOrNull(r.rectification), "answered_at"_f = timeOf(r.answered),
       "closed_at"_f = timeOf(r.closed), "satisfaction"_f = textOrNull(r.satisfaction)});
  setDeadlineState(out, t);
  if (view == FeedbackView::kReceipt) return out;
  setWhoChanged(out, r);
  json::set(out, {"name"_f = textOrNull(r.name), "contact"_f = textOrNull(r.contact),
                  "document_id"_f = r.document_id, "catalogue_item"_f = r.catalogue_item,
                  "category"_f = textOrNull(r.category), "org_unit"_f = textOrNull(r.org_unit),
                  "handler"_f = textOrNull(r.handler), "created_by"_f = r.created_by});
  return out;
}

Object::Ptr applicationJson(const core::DisclosureRequest& r, const service::Timeliness& t,
                            ApplicationView view) {
  using json::textOrNull;
  Object::Ptr out = caseJson(r);
  // The public log shows only what a handler released, the summary (null without one): the
  // application's text and the answer to it may name the applicant.
  json::set(
      out,
      {"content"_f = view == ApplicationView::kLog ? textOrNull(r.public_summary) : Var(r.content),
       "status"_f = core::toString(r.status), "category"_f = textOrNull(r.category),
       "org_unit"_f = textOrNull(r.org_unit), "decide_by"_f = r.decide_by,
       "extension_notice"_f = textOrNull(r.extension_notice), "outcome"_f = textOrNull(r.outcome),
       "reason"_f = textOrNull(r.reason), "document_ids"_f = json::array(r.document_ids),
       "decided_at"_f = timeOf(r.decided),
       "decided_on_time"_f = onceFinished(t, t.answered_on_time)});
  if (view == ApplicationView::kLog) return out;
  json::set(out, {"answer"_f = textOrNull(r.answer), "acknowledge_by"_f = r.acknowledge_by,
                  "acknowledged_at"_f = timeOf(r.acknowledged)});
  setDeadlineState(out, t);
  if (view == ApplicationView::kReceipt) return out;
  setWhoChanged(out, r);
  json::set(out, {"public_summary"_f = textOrNull(r.public_summary), "applicant"_f = r.applicant,
                  "contact"_f = r.contact, "purpose"_f = textOrNull(r.purpose)});
  return out;
}

}  // namespace gongkai::server::http
