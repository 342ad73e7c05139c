#include "gongkai/policies/feedback_report.h"

#include "gongkai/policies/feedback_flow.h"
#include "gongkai/policies/request_flow.h"

namespace gongkai::policies {
namespace {

// Adds one case; `finishedAt` is when it was answered or decided, if it was.
void count(HandlingFigures& figures, std::int64_t id, const std::string& status,
           const std::string& kind, core::TimePoint receivedAt,
           const std::optional<core::TimePoint>& finishedAt, const Timeliness& timeliness,
           const WorkingCalendar& calendar, double& totalDays) {
  ++figures.total;
  ++figures.by_status[status];
  if (!kind.empty()) ++figures.by_kind[kind];
  if (timeliness.finished && finishedAt) {
    ++figures.finished;
    if (timeliness.answered_on_time) ++figures.on_time;
    totalDays += std::max(
        0, calendar.workingDaysBetween(core::chinaDate(receivedAt), core::chinaDate(*finishedAt)));
  }
  if (timeliness.overdue) figures.overdue.push_back(id);
}

void finish(HandlingFigures& figures, double totalDays) {
  if (figures.finished == 0) return;
  figures.on_time_rate = static_cast<double>(figures.on_time) / figures.finished;
  figures.average_working_days = totalDays / figures.finished;
}

std::optional<core::TimePoint> at(const std::optional<core::Step>& step) {
  return step ? std::optional<core::TimePoint>(step->at) : std::nullopt;
}

}  // namespace

FeedbackReport buildFeedbackReport(const std::vector<core::FeedbackRecord>& feedback,
                                   const std::vector<core::DisclosureRequest>& requests, int year,
                                   const std::string& orgUnit, const core::Date& today,
                                   const TimeLimits& limits, const WorkingCalendar& calendar) {
  FeedbackReport report;
  report.year = year;
  report.org_unit = orgUnit;
  double feedbackDays = 0, requestDays = 0;
  // Oldest first, so the overdue lists read in the order the cases came in.
  for (auto it = feedback.rbegin(); it != feedback.rend(); ++it) {
    const auto& r = *it;
    if (core::chinaDate(r.received_at).year != year) continue;
    count(report.feedback, r.id, std::string(core::toString(r.status)), r.channel, r.received_at,
          at(r.answered), timelinessOf(r, today, limits, calendar), calendar, feedbackDays);
  }
  for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
    const auto& r = *it;
    if (core::chinaDate(r.received_at).year != year) continue;
    count(report.requests, r.id, std::string(core::toString(r.status)), r.outcome, r.received_at,
          at(r.decided), timelinessOf(r, today, limits, calendar), calendar, requestDays);
  }
  finish(report.feedback, feedbackDays);
  finish(report.requests, requestDays);
  return report;
}

}  // namespace gongkai::policies
