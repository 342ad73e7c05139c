#include "gongkai/policies/case_flow.h"

namespace gongkai::policies {

using core::Error;
using core::ErrorCode;

core::Date workingDaysAfter(core::TimePoint receivedAt, int days, const WorkingCalendar& calendar) {
  return calendar.addWorkingDays(core::chinaDate(receivedAt), days);
}

Timeliness timelinessAgainst(const core::Date& deadline, bool finished,
                             const std::optional<core::Step>& answered, const core::Date& today,
                             const TimeLimits& limits, const WorkingCalendar& calendar) {
  Timeliness t;
  t.finished = finished;
  if (t.finished) {
    t.answered_on_time = answered && core::chinaDate(answered->at) <= deadline;
    return t;
  }
  t.working_days_left = calendar.workingDaysBetween(today, deadline);
  t.overdue = today > deadline;
  t.due_soon = !t.overdue && t.working_days_left <= limits.due_soon_working_days;
  return t;
}

core::Status extendOnce(core::Case& c, core::Date& deadline, const Extension& extension,
                        const core::Step& by, const WorkingCalendar& calendar) {
  const std::string term(extension.deadline_term);
  if (c.extended) {
    return Error::make(ErrorCode::kConflict, "already_extended",
                       term + "只能延长一次 (the deadline can be extended only once)");
  }
  if (core::chinaDate(by.at) > deadline) {
    return Error::make(ErrorCode::kConflict, "deadline_passed",
                       term + "已过，不能再延期 (the deadline has passed; it cannot be extended)");
  }
  if (extension.working_days <= 0) {
    return Error::make(ErrorCode::kConflict, "extension_not_allowed",
                       "政策不允许延长" + term + " (the policy allows no extension)");
  }
  if (extension.why.empty()) {
    return invalidStep(extension.why_field, "required", extension.why_required);
  }
  deadline = calendar.addWorkingDays(deadline, extension.working_days);
  c.extended = by;
  return core::okStatus();
}

Error invalidTransition(std::string_view status, const std::string& step) {
  return Error::make(ErrorCode::kConflict, "invalid_transition",
                     "当前状态 " + std::string(status) + " 下不能执行 " + step +
                         " (step not allowed in this state)");
}

Error unknownStep(const std::string& step) {
  return Error::make(ErrorCode::kNotFound, "unknown_step",
                     "没有该办理步骤 (no such step): " + step);
}

Error invalidStep(const std::string& field, const std::string& code, const std::string& message) {
  return Error{ErrorCode::kInvalidArgument, "invalid_step", message, {{field, code, message}}};
}

}  // namespace gongkai::policies
