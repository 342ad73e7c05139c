#include "gongkai/policies/feedback_flow.h"

#include <algorithm>

namespace gongkai::policies {

using core::Error;
using core::ErrorCode;
using core::FeedbackStatus;

namespace {

constexpr std::size_t kMaxAnswerBytes = 20000;
constexpr std::size_t kMaxReasonBytes = 2000;

Error invalidTransition(const core::FeedbackRecord& record, const std::string& step) {
  return policies::invalidTransition(core::toString(record.status), step);
}

Error missing(const std::string& field, const std::string& message) {
  return invalidStep(field, "required", message);
}

bool oneOf(FeedbackStatus status, std::initializer_list<FeedbackStatus> allowed) {
  return std::find(allowed.begin(), allowed.end(), status) != allowed.end();
}

}  // namespace

core::Date feedbackDeadline(core::TimePoint receivedAt, const TimeLimits& limits,
                            const WorkingCalendar& calendar) {
  return workingDaysAfter(receivedAt, limits.feedback_working_days, calendar);
}

core::Result<core::FeedbackRecord> applyFeedbackStep(core::FeedbackRecord record,
                                                     const FeedbackStep& step,
                                                     const std::string& actor, core::TimePoint now,
                                                     const TimeLimits& limits,
                                                     const WorkingCalendar& calendar) {
  const core::Step by{actor, now};
  if (step.name == "assign") {
    if (!oneOf(record.status, {FeedbackStatus::kReceived, FeedbackStatus::kAssigned,
                               FeedbackStatus::kInProgress})) {
      return invalidTransition(record, step.name);
    }
    if (step.org_unit.empty()) return missing("org_unit", "须指定承办单位 (org_unit is required)");
    if (step.handler.empty()) return missing("handler", "须指定承办人 (handler is required)");
    record.org_unit = step.org_unit;
    record.handler = step.handler;
    if (!step.category.empty()) record.category = step.category;
    record.status = FeedbackStatus::kAssigned;
    record.assigned = by;
    record.started.reset();
  } else if (step.name == "start") {
    if (record.status != FeedbackStatus::kAssigned) return invalidTransition(record, step.name);
    record.status = FeedbackStatus::kInProgress;
    record.started = by;
  } else if (step.name == "answer") {
    if (!oneOf(record.status, {FeedbackStatus::kAssigned, FeedbackStatus::kInProgress})) {
      return invalidTransition(record, step.name);
    }
    if (step.answer.empty()) return missing("answer", "须填写答复 (answer is required)");
    if (step.answer.size() > kMaxAnswerBytes || step.rectification.size() > kMaxAnswerBytes) {
      return Error{ErrorCode::kInvalidArgument,
                   "invalid_step",
                   "答复过长 (answer too long)",
                   {{"answer", "too_long", "答复不超过 20000 字节 (at most 20000 bytes)"}}};
    }
    record.answer = step.answer;
    record.rectification = step.rectification;
    record.status = FeedbackStatus::kAnswered;
    record.answered = by;
  } else if (step.name == "close") {
    if (record.status != FeedbackStatus::kAnswered) return invalidTransition(record, step.name);
    if (!step.satisfaction.empty() &&
        std::find(core::kSatisfaction.begin(), core::kSatisfaction.end(), step.satisfaction) ==
            core::kSatisfaction.end()) {
      return Error{ErrorCode::kInvalidArgument,
                   "invalid_step",
                   "满意度须为 satisfied、basically_satisfied 或 dissatisfied",
                   {{"satisfaction", "invalid_value",
                     "满意度无效 (satisfaction must be satisfied, basically_satisfied or "
                     "dissatisfied)"}}};
    }
    record.satisfaction = step.satisfaction;
    record.status = FeedbackStatus::kClosed;
    record.closed = by;
  } else if (step.name == "extend") {
    if (!oneOf(record.status, {FeedbackStatus::kReceived, FeedbackStatus::kAssigned,
                               FeedbackStatus::kInProgress})) {
      return invalidTransition(record, step.name);
    }
    const Extension extension{"办理期限", limits.feedback_extension_working_days, "reason",
                              step.reason, "延期须说明理由 (reason is required)"};
    if (auto ok = extendOnce(record, record.deadline, extension, by, calendar); !ok.ok())
      return ok.error();
    if (step.reason.size() > kMaxReasonBytes) {
      return Error{ErrorCode::kInvalidArgument,
                   "invalid_step",
                   "理由过长 (reason too long)",
                   {{"reason", "too_long", "理由不超过 2000 字节 (at most 2000 bytes)"}}};
    }
    record.extension_reason = step.reason;
  } else {
    return unknownStep(step.name);
  }
  record.change = "feedback." + step.name;
  return record;
}

Timeliness timelinessOf(const core::FeedbackRecord& record, const core::Date& today,
                        const TimeLimits& limits, const WorkingCalendar& calendar) {
  const bool finished =
      record.status == FeedbackStatus::kAnswered || record.status == FeedbackStatus::kClosed;
  return timelinessAgainst(record.deadline, finished, record.answered, today, limits, calendar);
}

}  // namespace gongkai::policies
