#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/time.h"
#include "gongkai/policies/policy_set.h"

// The compliance calendar (公开时限): for each catalogue item of a unit and year, the windows in
// which it had to be disclosed, against what was actually published. Pure: the caller supplies
// the items, the publications and "today".
namespace gongkai::policies {

// How often a periodic item is due.
enum class Rhythm { kMonthly, kQuarterly, kHalfYearly, kYearly };
std::optional<Rhythm> parseRhythm(std::string_view text);
std::string_view toString(Rhythm rhythm);

struct CatalogueEntry {
  std::int64_t id = 0;
  std::string category;
  std::string content;
  std::string period;               // standing, periodic, staged or immediate
  std::optional<Rhythm> rhythm;     // periodic only
  int time_limit_working_days = 0;  // periodic: after each period ends; immediate: after approval
};

// One published document answering an item.
struct Publication {
  std::int64_t document_id = 0;
  std::string title;
  core::Date published;
  std::optional<core::Date> approved;
};

enum class Outcome { kOnTime, kLate, kMissing, kUpcoming };
std::string_view toString(Outcome outcome);

struct Window {
  std::string label;  // e.g. 2025-Q3, 2025-07, 2025-H2, 2025, or the document for immediate items
  core::Date start, end, due;
  Outcome outcome = Outcome::kUpcoming;
  int working_days_late = 0;
  std::optional<Publication> publication;
};

struct ItemCompliance {
  CatalogueEntry item;
  std::vector<Window> windows;
  std::vector<Publication> publications;  // all of the item's, whether a window took them or not
};

// Evaluates `items` for `year`. `publications[i]` are the publications answering items[i].
// Periodic items get one window per period (due `time_limit_working_days` working days after it
// ends, by `calendar`); each publication fills the earliest open window it falls in or after.
// Immediate items get one window per approved publication (due that many working days after
// approval). Standing and staged items get one window for the year. A window past its due date
// with nothing published is missing; one not yet due is upcoming.
std::vector<ItemCompliance> evaluateCompliance(
    const std::vector<CatalogueEntry>& items,
    const std::vector<std::vector<Publication>>& publications, int year,
    const WorkingCalendar& calendar, const core::Date& today);

// Per category: the report year's publications counted by the quarter they went out in (every
// one, whether a window took it or not), and the windows that are due and were met on time.
struct CategorySummary {
  std::string category;
  int disclosed_by_quarter[4] = {0, 0, 0, 0};
  int windows_due = 0;
  int on_time = 0;
};
std::vector<CategorySummary> summarise(const std::vector<ItemCompliance>& report, int year);

}  // namespace gongkai::policies
