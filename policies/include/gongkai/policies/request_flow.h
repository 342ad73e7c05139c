#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/case_flow.h"
#include "gongkai/policies/policy_set.h"

namespace gongkai::policies {

// One step of an application for disclosure on request.
struct RequestStep {
  std::string name;     // acknowledge, extend, decision
  std::string notice;   // extend: why more time is needed, as the applicant is told
  std::string outcome;  // decision: one of core::kRequestOutcomes
  std::string reason;   // decision: one of the policy's refusal reasons where it withholds
  std::string answer;   // decision
  std::vector<std::int64_t> document_ids;  // decision: released documents
  std::string category;        // acknowledge or decision: the category it belongs to, if given
  std::string public_summary;  // decision: what the public log shows instead of the text
  std::string org_unit;        // acknowledge: the unit it is handed to, if given
};

// Sets the acknowledge-by and decide-by days (China time, working days from the policy).
void setRequestDeadlines(core::DisclosureRequest& request, const TimeLimits& limits,
                         const WorkingCalendar& calendar);

// Applies `step` as `actor` at `now`: acknowledge (received → acknowledged; handed to a unit
// when one is given), extend (once, with a
// notice, before the decision), decision (→ decided; a reason from the policy's list where the
// outcome withholds, documents where it releases). kConflict or kInvalidArgument as for feedback.
// The caller checks that the documents exist and are public.
core::Result<core::DisclosureRequest> applyRequestStep(
    core::DisclosureRequest request, const RequestStep& step, const std::string& actor,
    core::TimePoint now, const TimeLimits& limits, const WorkingCalendar& calendar);

// Against the decide-by day: finished once decided (answered_on_time: decided by then).
Timeliness timelinessOf(const core::DisclosureRequest& request, const core::Date& today,
                        const TimeLimits& limits, const WorkingCalendar& calendar);

}  // namespace gongkai::policies
