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

core::Error invalidParameter(const std::string& name, const std::string& allowed) {
  const std::string message = "查询参数 " + name + " 须为 " + allowed + " (invalid " + name + ")";
  return core::Error{
      core::ErrorCode::kMalformed, "invalid_query", message, {{name, "invalid_value", message}}};
}

core::Result<std::optional<int>> yearParameter(const QueryParameters& query) {
  auto year = integerParameter(query, "year", 1900, 2999);
  if (!year.ok()) return year.error();
  if (!year.value()) return std::optional<int>();
  return std::optional<int>(static_cast<int>(*year.value()));
}

core::Result<std::optional<bool>> booleanParameter(const QueryParameters& query,
                                                   const std::string& name) {
  const auto text = firstValue(query, name);
  if (!text) return std::optional<bool>();
  if (*text != "true" && *text != "false") return invalidParameter(name, "true 或 false");
  return std::optional<bool>(*text == "true");
}

core::Result<PageRequest> pageParameters(const QueryParameters& query, std::int64_t maxPerPage,
                                         std::int64_t maxPage) {
  auto page = integerParameter(query, "page", 1, maxPage);
  if (!page.ok()) return page.error();
  auto perPage = integerParameter(query, "per_page", 1, maxPerPage);
  if (!perPage.ok()) return perPage.error();
  return PageRequest{page.value().value_or(1), perPage.value().value_or(20)};
}

}  // namespace gongkai::server::service
