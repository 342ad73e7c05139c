#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gongkai::core {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

TimePoint nowUtc();

// RFC 3339 in UTC with milliseconds, e.g. "2026-11-22T08:30:00.125Z".
std::string formatRfc3339(TimePoint time);

// Parses what formatRfc3339 writes (and the same without fraction or with an offset).
std::optional<TimePoint> parseRfc3339(std::string_view text);

// A calendar date, e.g. the day a disclosure document was issued.
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  std::string toString() const;  // "YYYY-MM-DD"
  auto operator<=>(const Date&) const = default;
};

// Accepts exactly "YYYY-MM-DD" naming a real day between years 1900 and 2999.
std::optional<Date> parseDate(std::string_view text);

// The calendar day in China Standard Time (UTC+8, no daylight saving): the day by which
// disclosure dates and working-day deadlines count (20:00 UTC is already the next day there).
Date chinaDate(TimePoint time);

// Year of a time point in UTC.
int yearOf(TimePoint time);

}  // namespace gongkai::core
