#include "gongkai/server/service/search_query.h"

#include <algorithm>

#include "gongkai/core/document.h"
#include "gongkai/core/text.h"

namespace gongkai::server::service {
namespace {

core::Error badParameter(const std::string& field, const std::string& code,
                         const std::string& message) {
  core::Error error = core::Error::make(core::ErrorCode::kInvalidArgument, "invalid_search",
                                        "搜索参数有误 (invalid search parameter): " + field);
  error.fields.push_back({field, code, message});
  return error;
}

// Every value of a filter parameter, given repeated (?year=2022&year=2023) or comma-separated.
std::vector<std::string> valuesOf(const QueryParameters& query, const std::string& name) {
  std::vector<std::string> out;
  auto [first, last] = query.equal_range(name);
  for (auto it = first; it != last; ++it) {
    std::size_t at = 0;
    const std::string& text = it->second;
    while (at <= text.size()) {
      const std::size_t comma = std::min(text.find(',', at), text.size());
      if (comma > at) out.push_back(text.substr(at, comma - at));
      at = comma + 1;
    }
  }
  return out;
}

using Valid = std::function<bool(const std::string&)>;

// The filter's values into `into`, each one `valid`.
core::Status readFilter(const QueryParameters& query, const std::string& name, const Valid& valid,
                        std::vector<std::string>& into) {
  into = valuesOf(query, name);
  if (into.size() > kMaxSearchFilterValues) {
    return badParameter(name, "too_many_values", "筛选值太多 (too many filter values)");
  }
  for (const auto& value : into) {
    if (!valid(value))
      return badParameter(name, "unknown_value", "无效的筛选值 (unknown value): " + value);
  }
  return core::okStatus();
}

bool isYear(const std::string& v) {
  return v.size() == 4 &&
         std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         v >= "1900" && v <= "2999";
}

// Says that the hits after the all-words ones lack some words, and which.
std::string partialNotice(const indexer::SearchResult& result) {
  std::string words, typed;
  for (const auto& missing : result.missing_terms) {
    words += (words.empty() ? "「" : "」或「") + missing;
    typed += (typed.empty() ? "" : ", ") + missing;
  }
  if (!words.empty()) words += "」";
  const std::string lead = result.total_all_words == 0
                               ? "没有同时包含全部检索词的文档。"
                               : "以下" + std::string(result.total_partial_exact ? " " : "约 ") +
                                     std::to_string(result.total_partial) + " 条";
  return lead + "结果仅包含部分检索词：缺少" + words +
         " (results after the all-words matches lack some words: " + typed + ")";
}

}  // namespace

core::Result<indexer::SearchRequest> parseSearchQuery(const QueryParameters& query,
                                                      const Valid& isCategory) {
  indexer::SearchRequest request;
  request.query = firstValue(query, "q").value_or("");
  if (request.query.size() > kMaxSearchQueryBytes) {
    return badParameter("q", "query_too_long",
                        "搜索词太长，最多 1000 字节 (query longer than 1000 bytes)");
  }
  if (!core::isValidUtf8(request.query)) {
    return badParameter("q", "invalid_utf8", "搜索词不是有效的 UTF-8 (query is not valid UTF-8)");
  }
  const auto any = [](const std::string& v) {
    return !v.empty() && v.size() <= 200 && core::isValidUtf8(v);
  };
  const auto isType = [](const std::string& v) {
    return v == indexer::kTypeDocument || v == indexer::kTypeFeedback || v == indexer::kTypeRequest;
  };
  std::vector<std::string> years;
  const std::tuple<const char*, Valid, std::vector<std::string>*> filters[] = {
      {"category", isCategory, &request.categories},
      {"scope", [](const std::string& v) { return core::parseScope(v).has_value(); },
       &request.scopes},
      {"status", [](const std::string& v) { return core::parseStatus(v).has_value(); },
       &request.statuses},
      {"mode", [](const std::string& v) { return core::parseMode(v).has_value(); }, &request.modes},
      {"period", [](const std::string& v) { return core::parsePeriod(v).has_value(); },
       &request.periods},
      {"org_unit", any, &request.org_units},
      {"type", isType, &request.types},
      {"year", isYear, &years}};
  for (const auto& [name, valid, into] : filters) {
    if (auto read = readFilter(query, name, valid, *into); !read.ok()) return read.error();
  }
  for (const auto& year : years) request.years.push_back(std::stoi(year));
  for (auto [name, into] : {std::pair{"from", &request.from}, std::pair{"to", &request.to}}) {
    if (auto text = firstValue(query, name)) {
      *into = core::parseDate(*text);
      if (!*into) {
        return badParameter(name, "invalid_date", "日期应为 YYYY-MM-DD (date must be YYYY-MM-DD)");
      }
    }
  }
  if (request.from && request.to && *request.from > *request.to) {
    return badParameter("from", "empty_range", "起始日期晚于结束日期 (from is after to)");
  }
  const std::string sort = firstValue(query, "sort").value_or("relevance");
  if (sort != "relevance" && sort != "date") {
    return badParameter("sort", "unknown_sort",
                        "排序只能是 relevance 或 date (sort must be relevance or date)");
  }
  request.sort_by_date = sort == "date";
  const std::string history = firstValue(query, "history").value_or("false");
  if (history != "true" && history != "false") {
    return badParameter("history", "not_boolean",
                        "history 只能是 true 或 false (history must be true or false)");
  }
  request.history = history == "true";
  auto page = integerParameter(query, "page", 1, kMaxSearchPage);
  if (!page.ok()) return page.error();
  auto perPage = integerParameter(query, "per_page", 1, kMaxSearchPerPage);
  if (!perPage.ok()) return perPage.error();
  request.limit = static_cast<int>(perPage.value().value_or(20));
  request.offset = static_cast<int>((page.value().value_or(1) - 1) * request.limit);
  return request;
}

std::string searchNotice(const indexer::SearchResult& result, bool historyRefused,
                         std::string_view query) {
  std::string notice;
  if (historyRefused) {
    notice =
        "历史版本仅供可查看全部文件的角色检索，以下只含当前版本 "
        "(history is searched only for roles that see everything; current versions only)";
  } else if (result.fallback_query) {
    notice =
        "搜索语法无法解析，已按普通词语搜索 (the query syntax could not be parsed; "
        "searched word by word)";
  } else if (result.total == 0 && query.find_first_not_of(" \t") != std::string_view::npos) {
    notice = "没有找到匹配的文档 (no matching documents)";
  }
  if (result.total_partial > 0) notice += (notice.empty() ? "" : " ") + partialNotice(result);
  return notice;
}

}  // namespace gongkai::server::service
