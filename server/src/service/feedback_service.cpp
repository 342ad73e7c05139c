#include "gongkai/server/service/feedback_service.h"

#include "gongkai/server/service/case_limits.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/document_service.h"

namespace gongkai::server::service {

using core::FeedbackRecord;

namespace {

namespace limit = case_limits;

// A submission's text against the case limits and the list of channels: judged before anything
// else, as a body is, so what is refused does not depend on who asks.
core::Status checkTexts(const FeedbackSubmission& s) {
  FieldErrors errors;
  errors.checkText("channel", s.channel, limit::kWord, true);
  if (!s.channel.empty() && !core::isFeedbackChannel(s.channel)) {
    errors.add("channel", "invalid_value",
               "渠道须为 hotline、suggestion_box、letter、reception_day、meeting 或 online "
               "(unknown channel)");
  }
  limit::checkTexts(errors, {{"content", s.content, limit::kContent, true},
                             {"name", s.name, limit::kPerson},
                             {"contact", s.contact, limit::kPerson}});
  if (s.received_at) errors.checkText("received_at", *s.received_at, limit::kTime);
  return errors.result("invalid_feedback", "意见内容有误 (invalid feedback)");
}

// What a submission names but the submitter may not see is no such thing.
core::Error unknownConcern(const std::string& field) {
  const std::string message = "所涉文件或目录条目不存在 (no such document or catalogue item)";
  return core::Error{core::ErrorCode::kInvalidArgument,
                     "invalid_feedback",
                     message,
                     {{field, "unknown_" + field, message}}};
}

core::Status checkTexts(const policies::FeedbackStep& step) {
  FieldErrors errors;
  limit::checkTexts(errors, {{"org_unit", step.org_unit, limit::kUnit},
                             {"handler", step.handler, limit::kUser},
                             {"category", step.category, limit::kCategory},
                             {"answer", step.answer, limit::kAnswer},
                             {"rectification", step.rectification, limit::kAnswer},
                             {"satisfaction", step.satisfaction, limit::kWord},
                             {"reason", step.reason, limit::kNote}});
  return errors.result("invalid_step", "办理内容有误 (invalid step)");
}

}  // namespace

FeedbackService::FeedbackService(store::Store& store, PolicyService& policies,
                                 AuthorizerSource authorizer, NameCheck unitExists,
                                 NameCheck userExists, SubmissionLimiter& limiter, Clock clock,
                                 ConcernLookup concerns)
    : flow_(store, policies, std::move(authorizer), std::move(unitExists), limiter,
            std::move(clock)),
      userExists_(std::move(userExists)),
      concerns_(std::move(concerns)) {}

core::Result<FeedbackService::Submitted> FeedbackService::submit(const Subject& subject,
                                                                 FeedbackSubmission s) {
  if (s.concerns.document_id || s.concerns.catalogue_item) {
    if (!concerns_)
      return unknownConcern(s.concerns.document_id ? "document_id" : "catalogue_item");
    if (auto found = concerns_(subject, s.concerns); !found.ok()) return found.error();
  }
  if (auto ok = checkTexts(s); !ok.ok()) return ok.error();
  if (auto allowed = flow_.access().requireSubmitter(subject); !allowed.ok())
    return allowed.error();
  const bool onBehalf = flow_.access().handles(subject, s.concerns.org_unit);
  FeedbackRecord record;
  record.channel = s.channel;
  record.content = s.content;
  record.name = s.name;
  record.contact = s.contact;
  record.received_at = flow_.now();
  FieldErrors errors;
  if (s.received_at) {
    const auto stated = core::parseRfc3339(*s.received_at);
    if (!onBehalf) {
      errors.add("received_at", "not_allowed",
                 "只有承办人登记来信来电时才能填写收到时间 (only handlers entering a letter or "
                 "call may set received_at)");
    } else if (!stated || *stated > record.received_at) {
      errors.add("received_at", "invalid_value",
                 "收到时间须为不晚于现在的 RFC 3339 时间 (must be an RFC 3339 time not in the "
                 "future)");
    } else {
      record.received_at = *stated;
    }
  }
  if (auto ok = errors.result("invalid_feedback", "意见内容有误 (invalid feedback)"); !ok.ok()) {
    return ok.error();
  }
  const auto engine = flow_.engine();
  record.document_id = s.concerns.document_id;
  record.catalogue_item = s.concerns.catalogue_item;
  record.category = s.concerns.category;
  record.org_unit = s.concerns.org_unit;
  record.deadline = policies::feedbackDeadline(record.received_at, engine->policies().time_limits,
                                               engine->policies().calendar);
  record.status = core::FeedbackStatus::kReceived;
  record.change = "feedback.submit";
  return flow_.file(subject, std::move(record), onBehalf);
}

core::Result<FeedbackRecord> FeedbackService::get(const Subject& subject, std::int64_t id) {
  return flow_.get(subject, id);
}

core::Result<std::vector<FeedbackRecord>> FeedbackService::versions(const Subject& subject,
                                                                    std::int64_t id) {
  return flow_.versions(subject, id);
}

core::Result<FeedbackRecord> FeedbackService::byReceipt(const std::string& code) {
  return flow_.byReceipt(code);
}

core::Result<Page<FeedbackRecord>> FeedbackService::list(const Subject& subject,
                                                         const CaseQuery& query) {
  return flow_.list(subject, query);
}

core::Result<FeedbackRecord> FeedbackService::step(const Subject& subject, std::int64_t id,
                                                   const policies::FeedbackStep& step) {
  if (auto ok = checkTexts(step); !ok.ok()) return ok.error();
  const CaseAccess& access = flow_.access();
  if (auto allowed = access.requireHandler(subject); !allowed.ok()) return allowed.error();
  // A case the handler may not read is not found, before anything is said about the step.
  auto before = flow_.get(subject, id);
  if (!before.ok()) return before.error();
  if (auto allowed = access.requireHandlerOf(subject, before.value().org_unit); !allowed.ok())
    return allowed.error();
  // Handing a case to another unit needs the right to handle cases there too.
  const std::string handTo = step.name == "assign" ? step.org_unit : "";
  if (!handTo.empty()) {
    if (auto allowed = access.requireHandlerOf(subject, handTo); !allowed.ok())
      return allowed.error();
  }
  FieldErrors errors;
  flow_.checkUnit(errors, step.org_unit);
  if (!step.handler.empty() && !userExists_(step.handler)) {
    errors.add("handler", "unknown_user", "没有该用户 (no such user)");
  }
  flow_.checkCategory(errors, step.category);
  if (auto ok = errors.result("invalid_step", "办理内容有误 (invalid step)"); !ok.ok()) {
    return ok.error();
  }
  return flow_.update(subject, id, handTo,
                      [&](const FeedbackRecord& current, const policies::PolicySet& policy) {
                        return policies::applyFeedbackStep(current, step, subject.id, flow_.now(),
                                                           policy.time_limits, policy.calendar);
                      });
}

FeedbackService::ConcernLookup concernsAmong(DocumentService& documents,
                                             CatalogueService& catalogue) {
  return [&documents, &catalogue](const Subject& subject, FeedbackSubject& concerns) {
    if (concerns.document_id) {
      auto document = documents.get(subject, *concerns.document_id);
      if (!document.ok()) return core::Status(unknownConcern("document_id"));
      concerns.category = document.value().metadata.category;
      concerns.org_unit = document.value().metadata.org_unit;
    }
    if (concerns.catalogue_item) {
      auto item = catalogue.get(subject, *concerns.catalogue_item);
      if (!item.ok()) return core::Status(unknownConcern("catalogue_item"));
      if (concerns.category.empty()) concerns.category = item.value().category;
      if (concerns.org_unit.empty()) concerns.org_unit = item.value().org_unit;
    }
    return core::okStatus();
  };
}

}  // namespace gongkai::server::service
