#include "gongkai/policies/request_flow.h"

#include <algorithm>

namespace gongkai::policies {

using core::Error;
using core::ErrorCode;
using core::RequestStatus;

namespace {

Error invalidTransition(const core::DisclosureRequest& request, const std::string& step) {
  return policies::invalidTransition(core::toString(request.status), step);
}

}  // namespace

void setRequestDeadlines(core::DisclosureRequest& request, const TimeLimits& limits,
                         const WorkingCalendar& calendar) {
  request.acknowledge_by =
      workingDaysAfter(request.received_at, limits.request_acknowledge_working_days, calendar);
  request.decide_by = workingDaysAfter(request.received_at, limits.request_working_days, calendar);
}

core::Result<core::DisclosureRequest> applyRequestStep(
    core::DisclosureRequest request, const RequestStep& step, const std::string& actor,
    core::TimePoint now, const TimeLimits& limits, const WorkingCalendar& calendar) {
  const core::Step by{actor, now};
  if (step.name == "acknowledge") {
    if (request.status != RequestStatus::kReceived) return invalidTransition(request, step.name);
    request.status = RequestStatus::kAcknowledged;
    request.acknowledged = by;
    if (!step.org_unit.empty()) request.org_unit = step.org_unit;
  } else if (step.name == "extend") {
    if (request.status == RequestStatus::kDecided) return invalidTransition(request, step.name);
    const Extension extension{"答复期限", limits.request_extension_working_days, "notice",
                              step.notice, "延期须告知申请人理由 (notice is required)"};
    if (auto ok = extendOnce(request, request.decide_by, extension, by, calendar); !ok.ok())
      return ok.error();
    request.extension_notice = step.notice;
  } else if (step.name == "decision") {
    if (request.status == RequestStatus::kDecided) return invalidTransition(request, step.name);
    if (!core::isRequestOutcome(step.outcome)) {
      return invalidStep(
          "outcome", "invalid_value",
          "决定须为 disclosed、partly_disclosed、not_disclosed、does_not_exist、not_held "
          "或 repeat (unknown outcome)");
    }
    const auto& reasons = limits.refusal_reasons;
    if (core::outcomeWithholds(step.outcome) &&
        std::find(reasons.begin(), reasons.end(), step.reason) == reasons.end()) {
      return invalidStep("reason", step.reason.empty() ? "required" : "invalid_value",
                         "不予公开须从政策所列理由中选择 (a withholding decision needs one of the "
                         "policy's reasons)");
    }
    if (!core::outcomeWithholds(step.outcome) && !step.reason.empty() &&
        std::find(reasons.begin(), reasons.end(), step.reason) == reasons.end()) {
      return invalidStep("reason", "invalid_value",
                         "理由须为政策所列之一 (not one of the policy's reasons)");
    }
    if (core::outcomeReleases(step.outcome) && step.document_ids.empty()) {
      return invalidStep("document_ids", "required",
                         "公开或部分公开须附所公开的文件 (name the documents released)");
    }
    if (!core::outcomeReleases(step.outcome) && !step.document_ids.empty()) {
      return invalidStep("document_ids", "not_allowed",
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
    return unknownStep(step.name);
  }
  if (!step.category.empty() && step.name != "extend") request.category = step.category;
  request.change = "request." + step.name;
  return request;
}

Timeliness timelinessOf(const core::DisclosureRequest& request, const core::Date& today,
                        const TimeLimits& limits, const WorkingCalendar& calendar) {
  return timelinessAgainst(request.decide_by, request.status == RequestStatus::kDecided,
                           request.decided, today, limits, calendar);
}

}  // namespace gongkai::policies
