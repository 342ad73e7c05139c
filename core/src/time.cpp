#include "gongkai/core/time.h"

#include <cstdio>
#include <ctime>

namespace gongkai::core {
namespace {

bool isLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

bool readDigits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

}  // namespace

TimePoint nowUtc() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

Date chinaDate(TimePoint time) {
  const std::chrono::year_month_day day{
      std::chrono::floor<std::chrono::days>(time + std::chrono::hours(8))};
  return Date{static_cast<int>(day.year()), static_cast<int>(static_cast<unsigned>(day.month())),
              static_cast<int>(static_cast<unsigned>(day.day()))};
}

std::string formatRfc3339(TimePoint time) {
  // Calendar arithmetic by hand (days to civil date, proleptic Gregorian): gmtime_r and
  // snprintf cost more than hashing the audit entry this time goes into.
  const auto millis = time.time_since_epoch().count();
  std::int64_t days = millis / 86'400'000;
  std::int64_t rest = millis % 86'400'000;
  if (rest < 0) {
    rest += 86'400'000;
    --days;
  }
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  const int year = static_cast<int>(date.year());
  const unsigned month = static_cast<unsigned>(date.month()),
                 day = static_cast<unsigned>(date.day());
  char buffer[24];
  auto put = [&](int at, int width, std::int64_t value) {
    for (int i = width - 1; i >= 0; --i) {
      buffer[at + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, 4, year);
  buffer[4] = '-';
  put(5, 2, month);
  buffer[7] = '-';
  put(8, 2, day);
  buffer[10] = 'T';
  put(11, 2, rest / 3'600'000);
  buffer[13] = ':';
  put(14, 2, rest / 60'000 % 60);
  buffer[16] = ':';
  put(17, 2, rest / 1000 % 60);
  buffer[19] = '.';
  put(20, 3, rest % 1000);
  buffer[23] = 'Z';
  return std::string(buffer, 24);
}

std::optional<TimePoint> parseRfc3339(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !readDigits(text, 0, 4, year) || text[4] != '-' ||
      !readDigits(text, 5, 2, month) || text[7] != '-' || !readDigits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !readDigits(text, 11, 2, hour) || text[13] != ':' ||
      !readDigits(text, 14, 2, minute) || text[16] != ':' || !readDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t at = 19;
  long millis = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int scale = 100;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      millis += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return std::nullopt;
  }
  long offsetMinutes = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int oh, om;
    if (!readDigits(text, at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !readDigits(text, at + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offsetMinutes = (oh * 60 + om) * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const std::chrono::sys_days date{std::chrono::year{year} / month / day};
  const long long seconds = static_cast<long long>(date.time_since_epoch().count()) * 86400 +
                            hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return TimePoint(std::chrono::milliseconds(seconds * 1000 + millis));
}

std::string Date::toString() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

std::optional<Date> parseDate(std::string_view text) {
  Date date;
  if (text.size() != 10 || !readDigits(text, 0, 4, date.year) || text[4] != '-' ||
      !readDigits(text, 5, 2, date.month) || text[7] != '-' || !readDigits(text, 8, 2, date.day)) {
    return std::nullopt;
  }
  if (date.year < 1900 || date.year > 2999 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > daysInMonth(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
}

int yearOf(TimePoint time) {
  const std::time_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return parts.tm_year + 1900;
}

}  // namespace gongkai::core
