#include "gongkai/server/http/case_json.h"

#include <Poco/JSON/Array.h>

#include "body_reader.h"

namespace gongkai::server::http {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// Text fields are read as given: their limits are the services' (service/case_limits.h).
constexpr std::size_t kMaxReleasedDocuments = 100;
constexpr const char* kInvalidStep = "办理内容有误 (invalid step)";

Var orNull(const std::string& text) { return text.empty() ? Var() : Var(text); }

Var idOrNull(const std::optional<std::int64_t>& id) {
  return id ? Var(static_cast<Poco::Int64>(*id)) : Var();
}

Var timeOf(const std::optional<core::Step>& step) {
  return step ? Var(core::formatRfc3339(step->at)) : Var();
}

// A result only a finished case has, null before.
Var onceFinished(const policies::Timeliness& t, const Var& value) {
  return t.finished ? value : Var();
}

// What every view of a case shows alike.
Object::Ptr caseJson(const core::Case& c) {
  Object::Ptr out = new Object;
  out->set("id", static_cast<Poco::Int64>(c.id));
  out->set("received_at", core::formatRfc3339(c.received_at));
  out->set("extended", c.extended.has_value());
  return out;
}

void setDeadlineState(Object::Ptr out, const policies::Timeliness& t) {
  out->set("due_soon", t.due_soon);
  out->set("overdue", t.overdue);
}

void setWhoChanged(Object::Ptr out, const core::Case& c) {
  out->set("version", static_cast<Poco::Int64>(c.version));
  out->set("updated_by", c.updated_by);
  out->set("updated_at", core::formatRfc3339(c.updated_at));
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

core::Result<policies::FeedbackStep> parseFeedbackStep(const std::string& name,
                                                       const Object::Ptr& body) {
  BodyReader read(body, {"org_unit", "handler", "category", "answer", "rectification",
                         "satisfaction", "reason"});
  policies::FeedbackStep step;
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

core::Result<policies::RequestStep> parseApplicationStep(const std::string& name,
                                                         const Object::Ptr& body) {
  BodyReader read(body, {"notice", "outcome", "reason", "answer", "document_ids", "category",
                         "public_summary", "org_unit"});
  policies::RequestStep step;
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

Object::Ptr feedbackJson(const core::FeedbackRecord& r, const policies::Timeliness& t,
                         FeedbackView view) {
  Object::Ptr out = caseJson(r);
  out->set("channel", r.channel);
  out->set("content", r.content);
  out->set("status", std::string(core::toString(r.status)));
  out->set("deadline", r.deadline.toString());
  setDeadlineState(out, t);
  out->set("working_days_left", t.finished ? Var() : Var(t.working_days_left));
  out->set("answered_on_time", onceFinished(t, t.answered_on_time));
  out->set("extension_reason", orNull(r.extension_reason));
  out->set("answer", orNull(r.answer));
  out->set("rectification", orNull(r.rectification));
  out->set("answered_at", timeOf(r.answered));
  out->set("closed_at", timeOf(r.closed));
  out->set("satisfaction", orNull(r.satisfaction));
  if (view == FeedbackView::kReceipt) return out;
  setWhoChanged(out, r);
  out->set("name", orNull(r.name));
  out->set("contact", orNull(r.contact));
  out->set("document_id", idOrNull(r.document_id));
  out->set("catalogue_item", idOrNull(r.catalogue_item));
  out->set("category", orNull(r.category));
  out->set("org_unit", orNull(r.org_unit));
  out->set("handler", orNull(r.handler));
  out->set("created_by", r.created_by);
  return out;
}

Object::Ptr applicationJson(const core::DisclosureRequest& r, const policies::Timeliness& t,
                            ApplicationView view) {
  Object::Ptr out = caseJson(r);
  // The public log shows only what a handler released, the summary (null without one): the
  // application's text and the answer to it may name the applicant.
  out->set("content", view == ApplicationView::kLog ? orNull(r.public_summary) : Var(r.content));
  out->set("status", std::string(core::toString(r.status)));
  out->set("category", orNull(r.category));
  out->set("org_unit", orNull(r.org_unit));
  out->set("decide_by", r.decide_by.toString());
  out->set("extension_notice", orNull(r.extension_notice));
  out->set("outcome", orNull(r.outcome));
  out->set("reason", orNull(r.reason));
  if (view != ApplicationView::kLog) out->set("answer", orNull(r.answer));
  Poco::JSON::Array::Ptr documents = new Poco::JSON::Array;
  for (std::int64_t id : r.document_ids) documents->add(static_cast<Poco::Int64>(id));
  out->set("document_ids", documents);
  out->set("decided_at", timeOf(r.decided));
  out->set("decided_on_time", onceFinished(t, t.answered_on_time));
  if (view == ApplicationView::kLog) return out;
  out->set("acknowledge_by", r.acknowledge_by.toString());
  out->set("acknowledged_at", timeOf(r.acknowledged));
  setDeadlineState(out, t);
  if (view == ApplicationView::kReceipt) return out;
  out->set("public_summary", orNull(r.public_summary));
  setWhoChanged(out, r);
  out->set("applicant", r.applicant);
  out->set("contact", r.contact);
  out->set("purpose", orNull(r.purpose));
  return out;
}

}  // namespace gongkai::server::http
