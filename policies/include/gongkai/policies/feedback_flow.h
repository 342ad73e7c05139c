#pragma once

#include <string>

#include "gongkai/core/feedback.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/policy_set.h"

namespace gongkai::policies {

// One step of the feedback flow as asked for: which step, and what it carries.
struct FeedbackStep {
  std::string name;           // assign, start, answer, close, extend
  std::string org_unit;       // assign: the unit that handles it
  std::string handler;        // assign: the username that handles it
  std::string category;       // assign: sets (or changes) the category when given
  std::string answer;         // answer
  std::string rectification;  // answer, optional
  std::string satisfaction;   // close, optional: satisfied, basically_satisfied, dissatisfied
  std::string reason;         // extend
};

// The day an answer is due: the policy's working days after the day it was received (China
// time; that day itself does not count), across weekends, holidays and adjusted working days.
core::Date feedbackDeadline(core::TimePoint receivedAt, const TimeLimits& limits,
                            const WorkingCalendar& calendar);

// Applies `step` to `record` as `actor` at `now`: kConflict ("invalid_transition",
// "already_extended", "extension_not_allowed", "deadline_passed") when the flow does not allow
// it now,
// kInvalidArgument with field errors when what it carries is missing or wrong. The caller checks
// who may take it and that units, handlers and categories exist.
core::Result<core::FeedbackRecord> applyFeedbackStep(core::FeedbackRecord record,
                                                     const FeedbackStep& step,
                                                     const std::string& actor, core::TimePoint now,
                                                     const TimeLimits& limits,
                                                     const WorkingCalendar& calendar);

// Where a case stands against its deadline on `today` (China time).
struct Timeliness {
  bool finished = false;          // answered or closed
  bool overdue = false;           // not finished and the deadline has passed
  bool due_soon = false;          // not finished, not overdue, and few working days are left
  int working_days_left = 0;      // after today up to the deadline; negative once overdue
  bool answered_on_time = false;  // finished: answered on or before the deadline
};
Timeliness timelinessOf(const core::FeedbackRecord& record, const core::Date& today,
                        const TimeLimits& limits, const WorkingCalendar& calendar);

}  // namespace gongkai::policies
