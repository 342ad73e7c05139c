#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai::indexer {

// One plain word of a query: a partial match may lack it.
struct QueryWord {
  std::string text;     // as typed
  Xapian::Query query;  // what holding it means: its terms, in one field or in any
};

// Where the index holds a plain word's terms (see terms::kIndexFormat).
enum class TextFamilies {
  kEveryFieldUnprefixed,  // layout 6 on: the unprefixed family holds every text field's terms
  kFieldByField,          // older layouts: each field under its own prefix only
};

// What the query builder knows of the index the query will run on.
struct IndexTraits {
  TextFamilies families = TextFamilies::kEveryFieldUnprefixed;
  // Whether a dictionary word's term (terms::kWord + word) stands in more than half the
  // documents; such a word adds no ranking boost (see wordBoost in search_query.cpp). Unset:
  // none does.
  std::function<bool(const std::string& term)> is_common_word;
};

struct TextQuery {
  Xapian::Query query;  // every word: the all-words matches. MatchAll when the text is empty
  // Documents holding some of the words but maybe not all: every strict clause (a phrase in
  // quotes, a +word) and at least one word, each word held adding kWordMatchWeight, so the more
  // words a document holds the higher it ranks. The search leaves out what `query` matches.
  // Empty when the query has no such tier: one word only, or AND/OR/NOT/parentheses (the user
  // wrote the logic).
  Xapian::Query partial;
  std::vector<QueryWord> optional;  // the words `partial` may lack, in the order typed
  bool match_all = false;
  bool fallback = false;           // the parser refused the text; built word by word instead
  bool nothing_to_search = false;  // the text had no searchable characters at all
};

// What each word a partial match holds adds to its weight: more than any text weight, so that
// partial matches rank by how many words they hold, then by relevance.
inline constexpr double kWordMatchWeight = 1000.0;

// Turns what a user typed into a query: normalised, parsed with phrases, AND/OR/NOT and field
// prefixes (title:/标题:, summary:/摘要:, number:/文号:), CJK runs as n-grams with dictionary-word
// matches weighted above them, and the whole text as an exact document number; and, for several
// plain words, the partial tier (see TextQuery::partial). Never throws: Xapian 1.4.22's parser
// fails on some mixed Chinese/Latin text, and then the words are ANDed. A plain word is matched
// in the unprefixed family alone when the index's families are kEveryFieldUnprefixed (a word's
// n-grams may then come from different fields), else as an OR over the fields.
TextQuery buildTextQuery(std::string_view userText, const IndexTraits& index = {});

// True when a document whose matching query terms are `matching` (Enquire::get_matching_terms)
// holds what `query` asks: the query's tree evaluated on those terms (a phrase as its terms
// alone; partial words are never phrases).
bool holds(const Xapian::Query& query, const std::vector<std::string>& matching);

}  // namespace gongkai::indexer
