#include "gongkai/policies/compliance.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

namespace gongkai::policies {
namespace {

core::Date lastDayOf(int year, int month) {
  using namespace std::chrono;
  const year_month_day_last last{std::chrono::year{year} /
                                 std::chrono::month{static_cast<unsigned>(month)} /
                                 std::chrono::last};
  return core::Date{year, month, static_cast<int>(static_cast<unsigned>(last.day()))};
}

std::string twoDigits(int value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d", value);
  return text;
}

// The periods of `rhythm` in `year`: label, first month, months long.
struct Period {
  std::string label;
  int first_month;
  int months;
};

std::vector<Period> periodsOf(Rhythm rhythm, int year) {
  std::vector<Period> out;
  const std::string y = std::to_string(year);
  switch (rhythm) {
    case Rhythm::kMonthly:
      for (int m = 1; m <= 12; ++m) out.push_back({y + "-" + twoDigits(m), m, 1});
      break;
    case Rhythm::kQuarterly:
      for (int q = 0; q < 4; ++q) out.push_back({y + "-Q" + std::to_string(q + 1), q * 3 + 1, 3});
      break;
    case Rhythm::kHalfYearly:
      out.push_back({y + "-H1", 1, 6});
      out.push_back({y + "-H2", 7, 6});
      break;
    case Rhythm::kYearly:
      out.push_back({y, 1, 12});
      break;
  }
  return out;
}

void judge(Window& window, const WorkingCalendar& calendar, const core::Date& today) {
  if (window.publication) {
    if (window.publication->published <= window.due) {
      window.outcome = Outcome::kOnTime;
    } else {
      window.outcome = Outcome::kLate;
      // At least one: a Saturday after a Friday due date is late, though no working day passed.
      window.working_days_late =
          std::max(1, calendar.workingDaysBetween(window.due, window.publication->published));
    }
  } else {
    window.outcome = today > window.due ? Outcome::kMissing : Outcome::kUpcoming;
  }
}

}  // namespace

std::optional<Rhythm> parseRhythm(std::string_view text) {
  if (text == "monthly") return Rhythm::kMonthly;
  if (text == "quarterly") return Rhythm::kQuarterly;
  if (text == "half_yearly") return Rhythm::kHalfYearly;
  if (text == "yearly") return Rhythm::kYearly;
  return std::nullopt;
}

std::string_view toString(Rhythm rhythm) {
  switch (rhythm) {
    case Rhythm::kMonthly:
      return "monthly";
    case Rhythm::kQuarterly:
      return "quarterly";
    case Rhythm::kHalfYearly:
      return "half_yearly";
    case Rhythm::kYearly:
      return "yearly";
  }
  return "";
}

std::string_view toString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOnTime:
      return "on_time";
    case Outcome::kLate:
      return "late";
    case Outcome::kMissing:
      return "missing";
    case Outcome::kUpcoming:
      return "upcoming";
  }
  return "";
}

std::vector<ItemCompliance> evaluateCompliance(
    const std::vector<CatalogueEntry>& items,
    const std::vector<std::vector<Publication>>& publications, int year,
    const WorkingCalendar& calendar, const core::Date& today) {
  std::vector<ItemCompliance> report;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const CatalogueEntry& item = items[i];
    std::vector<Publication> published =
        i < publications.size() ? publications[i] : std::vector<Publication>{};
    std::sort(published.begin(), published.end(),
              [](const Publication& a, const Publication& b) { return a.published < b.published; });
    ItemCompliance out{item, {}, published};
    if (item.period == "periodic" && item.rhythm) {
      const std::vector<Period> periods = periodsOf(*item.rhythm, year);
      std::size_t next = 0;  // publications are used in date order, each once
      for (std::size_t p = 0; p < periods.size(); ++p) {
        Window window;
        window.label = periods[p].label;
        window.start = core::Date{year, periods[p].first_month, 1};
        window.end = lastDayOf(year, periods[p].first_month + periods[p].months - 1);
        window.due = calendar.addWorkingDays(window.end, item.time_limit_working_days);
        // Publications from before this period answered an earlier one, or none.
        while (next < published.size() && published[next].published < window.start) ++next;
        if (next < published.size()) {
          // On time up to the due date; late while the next period has not ended yet (a report
          // on a period comes after it); anything later is left for the later periods.
          const bool last = p + 1 == periods.size();
          const core::Date lateUntil =
              last ? core::Date{9999, 12, 31}
                   : lastDayOf(year, periods[p + 1].first_month + periods[p + 1].months - 1);
          if (published[next].published <= window.due || published[next].published <= lateUntil) {
            window.publication = published[next++];
          }
        }
        judge(window, calendar, today);
        out.windows.push_back(std::move(window));
      }
    } else if (item.period == "immediate") {
      for (const Publication& publication : published) {
        Window window;
        window.label = "#" + std::to_string(publication.document_id);
        window.start = publication.approved.value_or(publication.published);
        window.end = window.start;
        window.due = calendar.addWorkingDays(window.start, item.time_limit_working_days);
        window.publication = publication;
        judge(window, calendar, today);
        out.windows.push_back(std::move(window));
      }
    } else {
      Window window;
      window.label = std::to_string(year);
      window.start = core::Date{year, 1, 1};
      window.end = core::Date{year, 12, 31};
      window.due = window.end;
      if (!published.empty()) window.publication = published.front();
      judge(window, calendar, today);
      out.windows.push_back(std::move(window));
    }
    report.push_back(std::move(out));
  }
  return report;
}

std::vector<CategorySummary> summarise(const std::vector<ItemCompliance>& report, int year) {
  std::map<std::string, CategorySummary> byCategory;
  for (const auto& item : report) {
    CategorySummary& summary = byCategory[item.item.category];
    summary.category = item.item.category;
    for (const auto& publication : item.publications) {
      if (publication.published.year == year)
        ++summary.disclosed_by_quarter[(publication.published.month - 1) / 3];
    }
    for (const auto& window : item.windows) {
      if (window.outcome == Outcome::kUpcoming) continue;
      ++summary.windows_due;
      if (window.outcome == Outcome::kOnTime) ++summary.on_time;
    }
  }
  std::vector<CategorySummary> out;
  for (auto& [code, summary] : byCategory) out.push_back(summary);
  return out;
}

}  // namespace gongkai::policies
