#include "gongkai/core/retention.h"

namespace gongkai::core {

std::optional<int> retentionYears(std::string_view retention) {
  if (retention == "D30") return 30;
  if (retention == "D10") return 10;
  return std::nullopt;
}

std::optional<Date> disposalDueDate(int year, std::string_view retention) {
  const auto years = retentionYears(retention);
  if (!years) return std::nullopt;
  return Date{year + *years + 1, 1, 1};
}

std::optional<int> lastDueYear(std::string_view retention, const Date& today) {
  const auto years = retentionYears(retention);
  if (!years) return std::nullopt;
  return today.year - *years - 1;
}

}  // namespace gongkai::core
