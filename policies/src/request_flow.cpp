#include "gongkai/policies/request_flow.h"

#include <algorithm>

namespace gongkai::policies {

using core::Error;
using core::ErrorCode;
using core::RequestStatus;

namespace {

Error invalid(const std::string& field, const std::string& code, const std::string& message) {
  return Error{ErrorCode::kInvalidArgument, "invalid_step", message, {{field, code, message}}};
}

Error invalidTransition(const core::DisclosureRequest& request, const std::string& step) {
  return Error::make(ErrorCode::kConflict, "invalid_transition",
                     "当前状态 " + std::string(core::toString(request.status)) + " 下不能执行 " +
                         step + " (step not allowed in this state)");
}

}  // namespace

void setRequestDeadlines(core::DisclosureRequest& request, const TimeLimits& limits,
                         const WorkingCalendar& calendar) {
  const core::Date received = core::chinaDate(request.received_at);
  request.acknowledge_by =
      calendar.addWorkingDays(received, limits.request_acknowledge_working_days);
  request.decide_by = calendar.addWorkingDays(received, limits.request_working_days);
}

core::Result<core::DisclosureRequest> applyRequestStep(
    core::DisclosureRequest request, const RequestStep& step, const std::string& actor,
    core::TimePoint now, const TimeLimits& limits, const WorkingCalendar& calendar) {
  const core::Step by{actor, now};
  if (step.name == "acknowledge") {
    if (request.status != RequestStatus::kReceived) return invalidTransition(request, step.name);
    request.status = RequestStatus::kAcknowledged;
    request.acknowledged = by;
  } else if (step.name == "extend") {
    if (request.status == RequestStatus::kDecided) return invalidTransition(request, step.name);
    if (request.extended) {
      return Error::make(ErrorCode::kConflict, "already_extended",
                         "答复期限只能延长一次 (the deadline can be extended only once)");
    }
    if (core::chinaDate(now) > request.decide_by) {
      return Error::make(
          ErrorCode::kConflict, "deadline_passed",
          "答复期限已过，不能再延期 (the deadline has passed; it cannot be extended)");
    }
    if (limits.request_extension_working_days <= 0) {
      return Error::make(ErrorCode::kConflict, "extension_not_allowed",
                         "政策不允许延长答复期限 (the policy allows no extension)");
    }
    if (step.notice.empty()) {
      return invalid("notice", "required", "延期须告知申请人理由 (notice is required)");
    }
    request.decide_by =
        calendar.addWorkingDays(request.decide_by, limits.request_extension_working_days);
    request.extended = by;
    request.extension_notice = step.notice;
  } else if (step.name == "decision") {
    if (request.status == RequestStatus::kDecided) return invalidTransition(request, step.name);
    if (!core::isRequestOutcome(step.outcome)) {
      return invalid(
          "outcome", "invalid_value",
          "决定须为 disclosed、partly_disclosed、not_disclosed、does_not_exist、not_held "
          "或 repeat (unknown outcome)");
    }
    const auto& reasons = limits.refusal_reasons;
    if (core::outcomeWithholds(step.outcome) &&
        std::find(reasons.begin(), reasons.end(), step.reason) == reasons.end()) {
      return invalid("reason", step.reason.empty() ? "required" : "invalid_value",
                     "不予公开须从政策所列理由中选择 (a withholding decision needs one of the "
                     "policy's reasons)");
    }
    if (!core::outcomeWithholds(step.outcome) && !step.reason.empty() &&
        std::find(reasons.begin(), reasons.end(), step.reason) == reasons.end()) {
      return invalid("reason", "invalid_value",
                     "理由须为政策所列之一 (not one of the policy's reasons)");
    }
    if (core::outcomeReleases(step.outcome) && step.document_ids.empty()) {
      return invalid("document_ids", "required",
                     "公开或部分公开须附所公开的文件 (name the documents released)");
    }
    if (!core::outcomeReleases(step.outcome) && !step.document_ids.empty()) {
      return invalid("document_ids", "not_allowed",
                     "未公开的决定不附文件 (only a release names documents)");
    }
    request.status = RequestStatus::kDecided;
    request.decided = by;
    request.outcome = step.outcome;
    request.reason = step.reason;
    request.answer = step.answer;
    request.public_summary = step.public_summary;
    request.document_ids = step.document_ids;
  } else {
    return Error::make(ErrorCode::kNotFound, "unknown_step",
                       "没有该办理步骤 (no such step): " + step.name);
  }
  if (!step.category.empty() && step.name != "extend") request.category = step.category;
  request.change = "request." + step.name;
  return request;
}

Timeliness timelinessOf(const core::DisclosureRequest& request, const core::Date& today,
                        const TimeLimits& limits, const WorkingCalendar& calendar) {
  Timeliness t;
  t.finished = request.status == RequestStatus::kDecided;
  if (t.finished) {
    t.answered_on_time =
        request.decided && core::chinaDate(request.decided->at) <= request.decide_by;
    return t;
  }
  t.working_days_left = calendar.workingDaysBetween(today, request.decide_by);
  t.overdue = today > request.decide_by;
  t.due_soon = !t.overdue && t.working_days_left <= limits.due_soon_working_days;
  return t;
}

}  // namespace gongkai::policies
