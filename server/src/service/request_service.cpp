#include "gongkai/server/service/request_service.h"

#include "gongkai/core/workflow.h"
#include "gongkai/server/service/case_limits.h"
#include "gongkai/server/service/document_service.h"

namespace gongkai::server::service {

using core::DisclosureRequest;

namespace {

namespace limit = case_limits;

// An application's text against the case limits: judged before anything else, as a body is, so
// what is refused does not depend on who asks.
core::Status checkTexts(const ApplicationSubmission& s) {
  FieldErrors errors;
  limit::checkTexts(errors, {{"applicant", s.applicant, limit::kPerson, true},
                             {"content", s.content, limit::kContent, true},
                             {"purpose", s.purpose, limit::kNote},
                             {"contact", s.contact, limit::kPerson, true},
                             {"org_unit", s.org_unit, limit::kUnit}});
  return errors.result("invalid_request", "申请内容有误 (invalid application)");
}

core::Status checkTexts(const policies::RequestStep& step) {
  FieldErrors errors;
  limit::checkTexts(errors, {{"notice", step.notice, limit::kNote},
                             {"outcome", step.outcome, limit::kWord},
                             {"reason", step.reason, limit::kPerson},
                             {"answer", step.answer, limit::kAnswer},
                             {"category", step.category, limit::kCategory},
                             {"public_summary", step.public_summary, limit::kNote},
                             {"org_unit", step.org_unit, limit::kUnit}});
  // Handing the application to the unit that holds what is asked for is part of acknowledging;
  // any other step would check the unit and then ignore it.
  if (!step.org_unit.empty() && step.name != "acknowledge") {
    errors.add("org_unit", "unknown_field",
               "只能在受理时指定办理单位 (the unit is named on acknowledgement)");
  }
  return errors.result("invalid_step", "办理内容有误 (invalid step)");
}

}  // namespace

RequestService::RequestService(store::Store& store, PolicyService& policies,
                               AuthorizerSource authorizer, NameCheck unitExists,
                               SubmissionLimiter& limiter, Clock clock, DocumentCheck releasable)
    : flow_(store, policies, std::move(authorizer), std::move(unitExists), limiter,
            std::move(clock)),
      releasable_(std::move(releasable)) {}

core::Result<RequestService::Submitted> RequestService::submit(const Subject& subject,
                                                               const ApplicationSubmission& s) {
  if (auto ok = checkTexts(s); !ok.ok()) return ok.error();
  if (auto allowed = flow_.access().requireSubmitter(subject); !allowed.ok())
    return allowed.error();
  FieldErrors errors;
  flow_.checkUnit(errors, s.org_unit);
  if (auto ok = errors.result("invalid_request", "申请内容有误 (invalid application)"); !ok.ok()) {
    return ok.error();
  }
  DisclosureRequest r;
  r.applicant = s.applicant;
  r.content = s.content;
  r.purpose = s.purpose;
  r.contact = s.contact;
  r.org_unit = s.org_unit;
  r.received_at = flow_.now();
  const auto engine = flow_.engine();
  policies::setRequestDeadlines(r, engine->policies().time_limits, engine->policies().calendar);
  r.change = "request.submit";
  return flow_.file(subject, std::move(r), flow_.access().handlesAnywhere(subject));
}

core::Result<DisclosureRequest> RequestService::get(const Subject& subject, std::int64_t id) {
  return flow_.get(subject, id);
}

core::Result<DisclosureRequest> RequestService::byReceipt(const std::string& code) {
  return flow_.byReceipt(code);
}

core::Result<Page<DisclosureRequest>> RequestService::list(const Subject& subject,
                                                           const CaseQuery& query) {
  return flow_.list(subject, query);
}

core::Result<Page<DisclosureRequest>> RequestService::decisionLog(std::int64_t limit,
                                                                  std::int64_t offset) {
  return flow_.publicPage(core::toString(core::RequestStatus::kDecided), limit, offset);
}

core::Result<DisclosureRequest> RequestService::step(const Subject& subject, std::int64_t id,
                                                     RequestStep step) {
  if (auto ok = checkTexts(step); !ok.ok()) return ok.error();
  if (auto allowed = flow_.access().requireHandler(subject); !allowed.ok()) return allowed.error();
  FieldErrors errors;
  flow_.checkUnit(errors, step.org_unit);
  for (std::int64_t document : step.document_ids) {
    const auto category = releasable_ ? releasable_(document) : std::nullopt;
    if (!category) {
      errors.add("document_ids", "not_public",
                 "文件 " + std::to_string(document) +
                     " 不存在或尚未公开 (no such published public document)");
    } else if (step.category.empty()) {
      step.category = *category;
    }
  }
  flow_.checkCategory(errors, step.category);
  if (auto ok = errors.result("invalid_step", "办理内容有误 (invalid step)"); !ok.ok()) {
    return ok.error();
  }
  return flow_.update(subject, id, step.org_unit,
                      [&](const DisclosureRequest& current, const policies::PolicySet& policy) {
                        return policies::applyRequestStep(current, step, subject.id, flow_.now(),
                                                          policy.time_limits, policy.calendar);
                      });
}

RequestService::DocumentCheck publicDocuments(DocumentService& documents) {
  return [&documents](std::int64_t document) -> std::optional<std::string> {
    auto found = documents.get(Subject{}, document);  // as the public sees it
    if (!found.ok()) return std::nullopt;
    const auto& v = found.value();
    const std::string_view status = core::visibleStatus(v);
    if (v.metadata.scope != core::Scope::kPublic ||
        (status != "published" && status != "archived")) {
      return std::nullopt;
    }
    return v.metadata.category;
  };
}

}  // namespace gongkai::server::service
