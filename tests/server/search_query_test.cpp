// A search's query parameters as the search service reads them (service/search_query.h), and
// the notice it writes above the hits: both without HTTP.
#include "gongkai/server/service/search_query.h"

#include <gtest/gtest.h>

namespace gongkai::server::service {
namespace {

bool knownCategory(const std::string& code) { return code == "ZZ" || code == "CW"; }

core::Result<indexer::SearchRequest> parse(QueryParameters query) {
  return parseSearchQuery(query, knownCategory);
}

// The refusal as "reason field code", or "accepted".
std::string refusal(QueryParameters query) {
  auto parsed = parse(std::move(query));
  if (parsed.ok()) return "accepted";
  const auto& e = parsed.error();
  return e.reason + " " + e.fields.at(0).field + " " + e.fields.at(0).code;
}

TEST(SearchQuery, ReadsEveryFilterRepeatedOrCommaSeparated) {
  auto parsed = parse({{"q", "预算 公开"},
                       {"category", "ZZ,CW"},
                       {"year", "2022"},
                       {"year", "2023"},
                       {"scope", "public"},
                       {"type", "document,feedback"},
                       {"org_unit", "dw"},
                       {"from", "2023-01-01"},
                       {"to", "2023-12-31"},
                       {"sort", "date"},
                       {"history", "true"},
                       {"page", "3"},
                       {"per_page", "10"}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& r = parsed.value();
  EXPECT_EQ(r.query, "预算 公开");
  EXPECT_EQ(r.categories, (std::vector<std::string>{"ZZ", "CW"}));
  EXPECT_EQ(r.years, (std::vector<int>{2022, 2023}));
  EXPECT_EQ(r.scopes, std::vector<std::string>{"public"});
  EXPECT_EQ(r.types, (std::vector<std::string>{"document", "feedback"}));
  EXPECT_EQ(r.org_units, std::vector<std::string>{"dw"});
  ASSERT_TRUE(r.from && r.to);
  EXPECT_EQ(r.from->toString(), "2023-01-01");
  EXPECT_TRUE(r.sort_by_date);
  EXPECT_TRUE(r.history);
  EXPECT_EQ(r.limit, 10);
  EXPECT_EQ(r.offset, 20);
}

TEST(SearchQuery, DefaultsToTheFirstPageOfTwentyByRelevance) {
  auto parsed = parse({});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().query, "");
  EXPECT_FALSE(parsed.value().sort_by_date);
  EXPECT_FALSE(parsed.value().history);
  EXPECT_EQ(parsed.value().limit, 20);
  EXPECT_EQ(parsed.value().offset, 0);
}

TEST(SearchQuery, RefusesWhatItCannotSearchNamingTheParameter) {
  EXPECT_EQ(refusal({{"q", std::string(1001, 'x')}}), "invalid_search q query_too_long");
  EXPECT_EQ(refusal({{"q", "\xff"}}), "invalid_search q invalid_utf8");
  EXPECT_EQ(refusal({{"category", "XX"}}), "invalid_search category unknown_value");
  EXPECT_EQ(refusal({{"scope", "everyone"}}), "invalid_search scope unknown_value");
  EXPECT_EQ(refusal({{"type", "memo"}}), "invalid_search type unknown_value");
  EXPECT_EQ(refusal({{"year", "1899"}}), "invalid_search year unknown_value");
  EXPECT_EQ(refusal({{"year", "20a3"}}), "invalid_search year unknown_value");
  std::string many;
  for (int i = 0; i < 51; ++i) many += "dw" + std::to_string(i) + ",";
  EXPECT_EQ(refusal({{"org_unit", many}}), "invalid_search org_unit too_many_values");
  EXPECT_EQ(refusal({{"from", "2023-13-01"}}), "invalid_search from invalid_date");
  EXPECT_EQ(refusal({{"from", "2023-02-01"}, {"to", "2023-01-01"}}),
            "invalid_search from empty_range");
  EXPECT_EQ(refusal({{"sort", "title"}}), "invalid_search sort unknown_sort");
  EXPECT_EQ(refusal({{"history", "yes"}}), "invalid_search history not_boolean");
  EXPECT_EQ(refusal({{"page", "1001"}}), "invalid_query page invalid_value");
  EXPECT_EQ(refusal({{"per_page", "0"}}), "invalid_query per_page invalid_value");
}

TEST(SearchNotice, SaysWhatWasSearchedAndWhichWordsPartialHitsLack) {
  indexer::SearchResult none;
  EXPECT_EQ(searchNotice(none, false, "  "), "");
  EXPECT_EQ(searchNotice(none, false, "预算"), "没有找到匹配的文档 (no matching documents)");
  EXPECT_EQ(searchNotice(none, true, "预算").rfind("历史版本仅供", 0), 0u);
  indexer::SearchResult fallback;
  fallback.total = 1;
  fallback.fallback_query = true;
  EXPECT_EQ(searchNotice(fallback, false, "a AND").rfind("搜索语法无法解析", 0), 0u);

  indexer::SearchResult partial;
  partial.total = 130;
  partial.total_all_words = 30;
  partial.total_partial = 100;
  partial.total_partial_exact = false;
  partial.missing_terms = {"预算", "决算"};
  EXPECT_EQ(searchNotice(partial, false, "预算 决算 公开"),
            "以下约 100 条结果仅包含部分检索词：缺少「预算」或「决算」 (results after the "
            "all-words matches lack some words: 预算, 决算)");
  partial.total_all_words = 0;
  EXPECT_EQ(searchNotice(partial, false, "预算 决算 公开"),
            "没有同时包含全部检索词的文档。结果仅包含部分检索词：缺少「预算」或「决算」 (results "
            "after the all-words matches lack some words: 预算, 决算)");
}

}  // namespace
}  // namespace gongkai::server::service
