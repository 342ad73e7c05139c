#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/feedback.h"
#include "gongkai/policies/policy_set.h"

namespace gongkai::policies {

// How a unit handled what it was asked in a year (counted by the day received, China time):
// feedback by channel and status, applications by status and outcome, how many were answered
// on time, the average handling time in working days, and what is overdue now.
struct HandlingFigures {
  int total = 0;
  std::map<std::string, int> by_status;
  std::map<std::string, int> by_kind;  // feedback: by channel; applications: by outcome
  int finished = 0;                    // answered/closed, or decided
  int on_time = 0;
  double on_time_rate = 0;            // on_time / finished, 0 when none finished
  double average_working_days = 0;    // received to answered/decided, over the finished
  std::vector<std::int64_t> overdue;  // ids still open past their deadline, oldest first
};

struct FeedbackReport {
  int year = 0;
  std::string org_unit;  // "" for the whole organisation
  HandlingFigures feedback;
  HandlingFigures requests;  // applications have no unit: counted only for the whole organisation
};

// Counts the cases of `year` (by their China date) among those given: the caller chooses the
// unit's cases; `orgUnit` only names it in the report.
FeedbackReport buildFeedbackReport(const std::vector<core::FeedbackRecord>& feedback,
                                   const std::vector<core::DisclosureRequest>& requests, int year,
                                   const std::string& orgUnit, const core::Date& today,
                                   const TimeLimits& limits, const WorkingCalendar& calendar);

}  // namespace gongkai::policies
