#pragma once

#include <optional>
#include <string_view>

#include "gongkai/core/time.h"

// Retention periods (保管期限) of DA/T 22: 永久 Y is kept for ever, 定期30年 D30 and 定期10年 D10
// for that many years, counted as archives count them: from the end of the record's year.
namespace gongkai::core {

// Every retention code, permanent first.
inline constexpr std::string_view kRetentions[] = {"Y", "D30", "D10"};

// The years a record is kept: 30 for D30, 10 for D10; nullopt for Y and for an unknown code,
// which are never due.
std::optional<int> retentionYears(std::string_view retention);

// The first day a record of `year` kept for `retention` may be disposed of: 1 January after its
// period ends (a 2014 D10 record is due on 2025-01-01). nullopt when it never is.
std::optional<Date> disposalDueDate(int year, std::string_view retention);

// The latest record year of `retention` that is due on `today`; nullopt for one never due.
std::optional<int> lastDueYear(std::string_view retention, const Date& today);

}  // namespace gongkai::core
