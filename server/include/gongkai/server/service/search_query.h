#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "gongkai/core/result.h"
#include "gongkai/indexer/search_index.h"
#include "gongkai/server/service/query_parameters.h"

// What a search asks, read from its query parameters, and what the searcher is told about the
// answer: both are the search's own rules, apart from how they travel.
namespace gongkai::server::service {

inline constexpr std::size_t kMaxSearchQueryBytes = 1000;
inline constexpr std::int64_t kMaxSearchPerPage = 100;
inline constexpr std::int64_t kMaxSearchPage = 1000;
inline constexpr std::size_t kMaxSearchFilterValues = 50;

// ?q= (at most 1000 bytes of UTF-8), the filters category, scope, status, mode, period,
// org_unit, type and year (each repeated or comma-separated, at most 50 values, every one
// known: a category when `isCategory` says so), from/to (YYYY-MM-DD, from not after to),
// sort (relevance or date), history (true or false), page (1-1000) and per_page (1-100, 20).
// A bad value is kInvalidArgument "invalid_search" naming its parameter (kMalformed
// "invalid_query" for page and per_page).
core::Result<indexer::SearchRequest> parseSearchQuery(
    const QueryParameters& query, const std::function<bool(const std::string&)>& isCategory);

// The sentence shown above the hits, "" when there is nothing to say: history refused, a query
// that could not be parsed and was searched word by word, nothing found; then, when partial
// hits follow, which words they lack. Chinese first, English in parentheses.
std::string searchNotice(const indexer::SearchResult& result, bool historyRefused,
                         std::string_view query);

}  // namespace gongkai::server::service
