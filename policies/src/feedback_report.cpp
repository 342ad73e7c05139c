#include "gongkai/policies/feedback_report.h"

#include <algorithm>

namespace gongkai::policies {
namespace {

HandlingFigures figuresOf(const HandlingCounts& counts, const WorkingCalendar& calendar) {
  HandlingFigures figures;
  for (const auto& [status, count] : counts.by_status) {
    figures.by_status[status] = count;
    figures.total += count;
  }
  figures.by_kind = counts.by_kind;
  double totalDays = 0;
  for (const auto& finished : counts.finished) {
    figures.finished += finished.count;
    figures.on_time += finished.on_time;
    totalDays += static_cast<double>(finished.count) *
                 std::max(0, calendar.workingDaysBetween(finished.received, finished.finished));
  }
  figures.overdue = counts.overdue;
  if (figures.finished == 0) return figures;
  figures.on_time_rate = static_cast<double>(figures.on_time) / figures.finished;
  figures.average_working_days = totalDays / figures.finished;
  return figures;
}

}  // namespace

FeedbackReport buildFeedbackReport(const HandlingCounts& feedback, const HandlingCounts& requests,
                                   int year, const std::string& orgUnit,
                                   const WorkingCalendar& calendar) {
  FeedbackReport report;
  report.year = year;
  report.org_unit = orgUnit;
  report.feedback = figuresOf(feedback, calendar);
  report.requests = figuresOf(requests, calendar);
  return report;
}

}  // namespace gongkai::policies
