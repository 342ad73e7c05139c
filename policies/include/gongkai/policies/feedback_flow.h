#pragma once

#include <string>

#include "gongkai/core/feedback.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/case_flow.h"
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

// The day an answer is due: the policy's working days after the day it was received.
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

// Against the deadline: finished once answered or closed (on time: answered by then).
Timeliness timelinessOf(const core::FeedbackRecord& record, const core::Date& today,
                        const TimeLimits& limits, const WorkingCalendar& calendar);

}  // namespace gongkai::policies
