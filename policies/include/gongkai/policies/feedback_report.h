#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gongkai/core/time.h"
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

// What the store counted of one kind of case received in the report's year: no more than the
// report shows, whatever the number of cases.
struct HandlingCounts {
  std::map<std::string, int> by_status;
  std::map<std::string, int> by_kind;  // cases with no kind are left out
  // The finished cases that carry when they were finished, by the China dates received and
  // finished (their working days apart is the handling time).
  struct Finished {
    core::Date received, finished;
    int count = 0;
    int on_time = 0;  // finished on or before the deadline
  };
  std::vector<Finished> finished;
  std::vector<std::int64_t> overdue;  // still open past their deadline, oldest first
};

// The report of `year` from the counts the caller made of the unit's cases; `orgUnit` only names
// it in the report.
FeedbackReport buildFeedbackReport(const HandlingCounts& feedback, const HandlingCounts& requests,
                                   int year, const std::string& orgUnit,
                                   const WorkingCalendar& calendar);

}  // namespace gongkai::policies
