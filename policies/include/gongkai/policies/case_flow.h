#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gongkai/core/case.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/policy_set.h"

// The rules every kind of case (core/case.h) follows alike; each kind's flow (feedback_flow.h,
// request_flow.h) names its own steps and statuses around them.
namespace gongkai::policies {

// The day `days` working days after the day a case was received (China time; that day itself
// does not count), across weekends, holidays and adjusted working days.
core::Date workingDaysAfter(core::TimePoint receivedAt, int days, const WorkingCalendar& calendar);

// Where a case stands against its deadline on `today` (China time).
struct Timeliness {
  bool finished = false;          // answered (feedback) or decided (application)
  bool overdue = false;           // not finished and the deadline has passed
  bool due_soon = false;          // not finished, not overdue, and few working days are left
  int working_days_left = 0;      // after today up to the deadline; negative once overdue
  bool answered_on_time = false;  // finished: answered on or before the deadline
};
// `answered` is the step that finished the case, when it is finished.
Timeliness timelinessAgainst(const core::Date& deadline, bool finished,
                             const std::optional<core::Step>& answered, const core::Date& today,
                             const TimeLimits& limits, const WorkingCalendar& calendar);

// The one extension of a case's deadline, as a kind words and bounds it.
struct Extension {
  std::string_view deadline_term;  // how messages name the deadline: 办理期限, 答复期限
  int working_days = 0;            // the policy's extension (0: none allowed)
  std::string why_field;           // the step's field that says why: reason, notice
  std::string why;                 // what it says
  std::string why_required;        // the message when it says nothing
};
// Extends `deadline` of `c` by the policy's working days as `by`: once only ("already_extended"),
// not once the deadline has passed ("deadline_passed", which would rewrite lateness after the
// fact), only where the policy allows one ("extension_not_allowed"), and only with a reason
// (kInvalidArgument naming the field). The caller records the reason where its kind keeps it.
core::Status extendOnce(core::Case& c, core::Date& deadline, const Extension& extension,
                        const core::Step& by, const WorkingCalendar& calendar);

// kConflict "invalid_transition": the case's status does not allow the step.
core::Error invalidTransition(std::string_view status, const std::string& step);
// kNotFound "unknown_step".
core::Error unknownStep(const std::string& step);
// kInvalidArgument "invalid_step" with one field error.
core::Error invalidStep(const std::string& field, const std::string& code,
                        const std::string& message);

}  // namespace gongkai::policies
