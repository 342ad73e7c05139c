// The query builder on its own (indexer/src/search_query.h): which terms a query asks for, given
// what it knows of the index it will run on.
#include "search_query.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gongkai::indexer {
namespace {

std::set<std::string> termsOf(const Xapian::Query& query) {
  return {query.get_terms_begin(), query.get_terms_end()};
}

bool anyStartsWith(const std::set<std::string>& terms, const std::string& prefix) {
  for (const auto& term : terms) {
    if (term.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(SearchQueryTest, APlainWordIsLookedUpInOneFamilyWhereTheIndexHoldsEveryFieldThere) {
  const auto oneFamily = termsOf(buildTextQuery("党务公开").query);
  EXPECT_TRUE(oneFamily.count("党务") && oneFamily.count("务公") && oneFamily.count("公开"));
  for (const char* field : {"S", "A", "N"}) EXPECT_FALSE(anyStartsWith(oneFamily, field)) << field;

  const IndexTraits layoutFive{TextFamilies::kFieldByField, {}};
  const auto fieldByField = termsOf(buildTextQuery("党务公开", layoutFive).query);
  for (const char* term : {"党务", "S党务", "A党务", "N党务"}) {
    EXPECT_TRUE(fieldByField.count(term)) << term;
  }
  // A phrase needs positions, which stay per field, in either layout.
  for (const IndexTraits& traits : {IndexTraits{}, layoutFive}) {
    const auto phrase = termsOf(buildTextQuery("\"党务公开\"", traits).query);
    for (const char* term : {"党", "S党", "A党", "N党"}) EXPECT_TRUE(phrase.count(term)) << term;
  }
  // So does a field query.
  const auto field = termsOf(buildTextQuery("标题:党务").query);
  EXPECT_TRUE(field.count("S党务"));
  EXPECT_FALSE(field.count("党务"));
}

TEST(SearchQueryTest, DictionaryWordsInMoreThanHalfTheDocumentsAddNoBoost) {
  const std::string text = "党务公开 民主评议党员";
  const auto everyWord = buildTextQuery(text);
  for (const auto& query : {everyWord.query, everyWord.partial}) {
    EXPECT_TRUE(termsOf(query).count("W公开"));
    EXPECT_TRUE(termsOf(query).count("W民主"));
  }
  IndexTraits traits;
  traits.is_common_word = [](const std::string& term) { return term == "W公开"; };
  const auto withoutCommon = buildTextQuery(text, traits);
  for (const auto& query : {withoutCommon.query, withoutCommon.partial}) {
    EXPECT_FALSE(termsOf(query).count("W公开"));
    EXPECT_TRUE(termsOf(query).count("W民主"));
    EXPECT_TRUE(termsOf(query).count("公开"));  // still matched: only its boost is gone
  }
  // Every word common: no boost at all, the same matches.
  traits.is_common_word = [](const std::string&) { return true; };
  const auto noBoost = buildTextQuery(text, traits);
  EXPECT_FALSE(anyStartsWith(termsOf(noBoost.query), "W"));
  EXPECT_TRUE(termsOf(noBoost.query).count("党员"));
}

}  // namespace
}  // namespace gongkai::indexer
