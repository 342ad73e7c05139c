#include "gongkai/server/service/query_parameters.h"

#include <charconv>

namespace gongkai::server::service {

std::optional<std::string> firstValue(const QueryParameters& query, const std::string& name) {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

core::Result<std::optional<std::int64_t>> integerParameter(const QueryParameters& query,
                                                           const std::string& name,
                                                           std::int64_t min, std::int64_t max) {
  const auto text = firstValue(query, name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    core::Error error =
        core::Error::make(core::ErrorCode::kMalformed, "invalid_query",
                          "查询参数 " + name + " 必须是 " + std::to_string(min) + " 到 " +
                              std::to_string(max) + " 之间的整数 (must be an integer in range)");
    error.fields.push_back({name, "invalid_value", error.message});
    return error;
  }
  return std::optional<std::int64_t>(value);
}

}  // namespace gongkai::server::service
