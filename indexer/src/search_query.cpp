#include "search_query.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "gongkai/indexer/text_normalizer.h"
#include "search_terms.h"

namespace gongkai::indexer {
namespace {

// Dictionary-word matches count this much more than the n-grams they overlap.
constexpr double kWordBoost = 2.0;
// An exact document number outranks any text match.
constexpr double kNumberBoost = 20.0;

constexpr unsigned kParserFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT |
    Xapian::QueryParser::FLAG_CJK_NGRAM;

// One configured parser per thread, not one per call: a search parses its text once and each
// clause again (partialTier), and building the parser with its prefixes each time was a tenth of
// buildTextQuery. A QueryParser is not thread-safe, but parse_query starts afresh each call.
Xapian::QueryParser& queryParser() {
  thread_local Xapian::QueryParser parser = [] {
    Xapian::QueryParser made;
    made.set_default_op(Xapian::Query::OP_AND);
    for (const char* field : {"title", "标题"}) made.add_prefix(field, terms::kTitle);
    for (const char* field : {"summary", "摘要"}) made.add_prefix(field, terms::kSummary);
    for (const char* field : {"number", "文号"}) made.add_prefix(field, terms::kNumberText);
    for (const char* prefix : terms::kTextFields) made.add_prefix("", prefix);
    return made;
  }();
  return parser;
}

Xapian::Query parse(const std::string& normalized) {
  return queryParser().parse_query(normalized, kParserFlags);
}

// Every term the index would make of the text, each in any text field, ANDed: what the parser
// would give for plain words, without its syntax.
Xapian::Query wordByWord(const std::string& normalized) {
  Xapian::Document scratch;
  Xapian::TermGenerator generator;
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  generator.set_document(scratch);
  generator.index_text(normalized);
  std::vector<Xapian::Query> parts;
  for (auto term = scratch.termlist_begin(); term != scratch.termlist_end(); ++term) {
    std::vector<Xapian::Query> anyField;
    for (const char* prefix : terms::kTextFields) anyField.emplace_back(prefix + *term);
    parts.emplace_back(Xapian::Query::OP_OR, anyField.begin(), anyField.end());
  }
  if (parts.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// The characters of a CJK n-gram term after its field prefix: 1 for a unigram, 2 for a bigram,
// 0 for anything else. Prefixes are upper-case ASCII; n-grams are ideographs only.
int ngramLength(const std::string& term, std::string& prefix) {
  std::size_t at = 0;
  while (at < term.size() && term[at] >= 'A' && term[at] <= 'Z') ++at;
  prefix = term.substr(0, at);
  const std::string_view rest(term.data() + at, term.size() - at);
  if (rest.empty() || !terms::hasCjk(rest)) return 0;
  int characters = 0;
  for (unsigned char c : rest) {
    if ((c & 0xC0) != 0x80) ++characters;
  }
  return characters <= 2 ? characters : 0;
}

// The operators whose subqueries the rewrites below walk into; phrases, NEAR and the rest are
// left as they are, since there positions matter.
bool isRewritable(Xapian::Query::op type) {
  return type == Xapian::Query::OP_AND || type == Xapian::Query::OP_OR ||
         type == Xapian::Query::OP_AND_NOT || type == Xapian::Query::OP_AND_MAYBE;
}

// Drops, from each AND of terms, the CJK unigrams that a bigram in the same AND contains: a
// document holding the bigram holds both its characters in that field, so the matches stay the
// same, while the unigrams' long posting lists (every document has "党") no longer have to be
// read. Phrases and other operators are left as they are: there positions matter.
Xapian::Query dropCoveredUnigrams(const Xapian::Query& query) {
  const auto type = query.get_type();
  if (!isRewritable(type)) return query;
  std::vector<Xapian::Query> children;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    children.push_back(dropCoveredUnigrams(query.get_subquery(i)));
  }
  if (type == Xapian::Query::OP_AND) {
    // Each leaf's term, read once: get_terms_begin() gathers and sorts the terms into a new list
    // each time it is called.
    std::vector<std::string> leafTerms(children.size());
    for (std::size_t i = 0; i < children.size(); ++i) {
      if (children[i].get_type() == Xapian::Query::LEAF_TERM) {
        leafTerms[i] = *children[i].get_terms_begin();
      }
    }
    std::set<std::string> covered;  // prefix + character
    std::string prefix;
    for (const std::string& term : leafTerms) {
      if (term.empty() || ngramLength(term, prefix) != 2) continue;
      const std::string bigram = term.substr(prefix.size());
      const std::size_t split = (static_cast<unsigned char>(bigram[0]) >= 0xF0) ? 4 : 3;
      covered.insert(prefix + bigram.substr(0, split));
      covered.insert(prefix + bigram.substr(split));
    }
    std::vector<Xapian::Query> kept;
    for (std::size_t i = 0; i < children.size(); ++i) {
      const std::string& term = leafTerms[i];
      if (!term.empty() && ngramLength(term, prefix) == 1 && covered.count(term)) continue;
      kept.push_back(children[i]);
    }
    if (!kept.empty()) children = std::move(kept);
  }
  return Xapian::Query(type, children.begin(), children.end());
}

// True when `copy` is `original` with each term prefixed by `prefix`, and `original` is a term
// or an AND of terms (a phrase is never such a copy: it needs the fields' positions).
bool isPrefixedCopy(const Xapian::Query& original, const Xapian::Query& copy,
                    const std::string& prefix) {
  const auto type = original.get_type();
  if (type != copy.get_type()) return false;
  if (type == Xapian::Query::LEAF_TERM) {
    return *copy.get_terms_begin() == prefix + *original.get_terms_begin();
  }
  const std::size_t count = original.get_num_subqueries();
  if (type != Xapian::Query::OP_AND || count != copy.get_num_subqueries()) return false;
  for (std::size_t i = 0; i < count; ++i) {
    if (!isPrefixedCopy(original.get_subquery(i), copy.get_subquery(i), prefix)) return false;
  }
  return true;
}

static_assert(terms::kTextFields[0][0] == '\0', "the first text field is the unprefixed one");

// Replaces each plain word, which the parser gives as an OR of the same terms in every text field
// (kTextFields, unprefixed first), by its unprefixed part alone: in an index whose unprefixed
// family holds every field's terms, that matches every document the OR matched, and those whose
// word's n-grams lie in different fields too (no count changed in the bench's 1,000 queries), with
// a quarter of the posting lists. Phrases keep their OR: positions stay per field.
Xapian::Query matchInUnprefixedFamily(const Xapian::Query& query) {
  const auto type = query.get_type();
  if (!isRewritable(type)) return query;
  const std::size_t count = query.get_num_subqueries();
  if (type == Xapian::Query::OP_OR && count == std::size(terms::kTextFields)) {
    bool copies = true;
    for (std::size_t i = 1; i < count && copies; ++i) {
      copies = isPrefixedCopy(query.get_subquery(0), query.get_subquery(i), terms::kTextFields[i]);
    }
    if (copies) return query.get_subquery(0);
  }
  std::vector<Xapian::Query> children;
  for (std::size_t i = 0; i < count; ++i) {
    children.push_back(matchInUnprefixedFamily(query.get_subquery(i)));
  }
  return Xapian::Query(type, children.begin(), children.end());
}

bool isOperator(std::string_view token) {
  return token == "AND" || token == "OR" || token == "NOT" || token == "XOR" || token == "NEAR";
}

// AND, OR, XOR and NEAR join what stands on both sides of them.
bool isBinaryOperator(std::string_view token) { return isOperator(token) && token != "NOT"; }

// Normalises the text but keeps the operators AND, OR, NOT, XOR and NEAR as typed: case folding
// would turn them into plain words. A binary operator with nothing before it joins nothing and
// is dropped: Xapian's parser refuses such a query, and Xapian 1.4.22 leaks a node of its own
// each time it refuses "OR a 于x" and its like (search_query_fuzz found it), which a stream of
// such queries would turn into memory the server never gets back.
std::string normalizeQuery(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t space = std::min(text.find_first_of(" \t\r\n", at), text.size());
    tokens.push_back(text.substr(at, space - at));
    at = space + 1;
  }
  std::size_t first = 0;
  const auto blankOrJoiner = [&](std::size_t i) {
    return tokens[i].empty() || isBinaryOperator(tokens[i]);
  };
  while (first < tokens.size() && blankOrJoiner(first)) ++first;
  if (first == tokens.size()) first = 0;  // operators alone: left to the parser as typed
  std::string out;
  for (std::size_t i = first; i < tokens.size(); ++i) {
    if (i > first) out += ' ';
    if (isOperator(tokens[i])) {
      out.append(tokens[i]);
    } else {
      out += normalizeForSearch(tokens[i]);
    }
  }
  return out;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The text parsed, or word by word when the parser refuses it; CJK unigrams that bigrams imply
// left out; plain words matched in the unprefixed family where the index allows.
Xapian::Query parseLeniently(const std::string& normalized, TextFamilies families, bool& fallback) {
  Xapian::Query parsed;
  try {
    parsed = parse(normalized);
  } catch (const Xapian::Error&) {
    fallback = true;
    parsed = wordByWord(normalized);
  }
  parsed = dropCoveredUnigrams(parsed);
  if (families == TextFamilies::kEveryFieldUnprefixed) parsed = matchInUnprefixedFamily(parsed);
  return parsed;
}

// The weight the text's dictionary words add where a document holds them (empty when none
// does), except words standing in more than half the documents. BM25's idf gives those next to
// nothing (Xapian 1.4 floors it at ln(1 + (N - n + ½) / (2n + 1)): 0.07 for a word in 87 % of
// the documents, at most 0.41, against 4.6 for one in 1 %), while the boost steps through their
// long posting lists for every match: a seventh of a query's time at 1,000,000 documents.
Xapian::Query wordBoost(const std::string& normalized, const IndexTraits& index) {
  std::vector<Xapian::Query> words;
  std::set<std::string> seen;
  for (const auto& word : terms::cjkWords(normalized)) {
    const std::string term = terms::kWord + word;
    if (!seen.insert(term).second) continue;
    if (index.is_common_word && index.is_common_word(term)) continue;
    words.emplace_back(term);
  }
  if (words.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()), kWordBoost);
}

// `parsed` with `boost` adding weight where it matches.
Xapian::Query withBoost(const Xapian::Query& parsed, const Xapian::Query& boost) {
  if (parsed.empty() || boost.empty()) return parsed;
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, parsed, boost);
}

// The clauses of the text as typed: split at white space outside double quotes.
std::vector<std::string_view> clausesOf(std::string_view text) {
  std::vector<std::string_view> clauses;
  std::size_t begin = std::string_view::npos;
  bool quoted = false;
  for (std::size_t at = 0; at <= text.size(); ++at) {
    const bool end = at == text.size();
    const char c = end ? ' ' : text[at];
    if (!end && c == '"') quoted = !quoted;
    const bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (blank && (!quoted || end)) {
      if (begin != std::string_view::npos) clauses.push_back(text.substr(begin, at - begin));
      begin = std::string_view::npos;
    } else if (begin == std::string_view::npos) {
      begin = at;
    }
  }
  return clauses;
}

// The partial tier of TextQuery (see there), empty when the text has none.
Xapian::Query partialTier(std::string_view userText, TextFamilies families,
                          std::vector<QueryWord>& optional) {
  std::vector<Xapian::Query> strict, excluded;
  bool fallback = false;
  for (std::string_view clause : clausesOf(userText)) {
    if (isOperator(clause) || clause.find_first_of("()") != std::string_view::npos) {
      optional.clear();
      return Xapian::Query();
    }
    const char sign = clause.front();
    const std::string_view text = sign == '+' || sign == '-' ? clause.substr(1) : clause;
    const Xapian::Query query = parseLeniently(normalizeQuery(text), families, fallback);
    if (query.empty()) continue;  // punctuation: nothing to hold
    if (sign == '-') {
      excluded.push_back(query);
    } else if (sign == '+' || sign == '"') {
      strict.push_back(query);
    } else {
      optional.push_back({std::string(clause), query});
    }
  }
  if (optional.empty() || optional.size() + strict.size() < 2) {
    optional.clear();
    return Xapian::Query();
  }
  // Each word held adds the same fixed weight on top of its text weight.
  std::vector<Xapian::Query> held;
  for (const auto& word : optional) {
    // release(): the query owns the source.
    Xapian::Query counted((new Xapian::FixedWeightPostingSource(kWordMatchWeight))->release());
    held.emplace_back(Xapian::Query::OP_AND, word.query, counted);
  }
  Xapian::Query tier(Xapian::Query::OP_OR, held.begin(), held.end());
  if (!strict.empty()) {
    tier = Xapian::Query(Xapian::Query::OP_AND_MAYBE,
                         Xapian::Query(Xapian::Query::OP_AND, strict.begin(), strict.end()), tier);
  }
  if (!excluded.empty()) {
    tier = Xapian::Query(Xapian::Query::OP_AND_NOT, tier,
                         Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }
  return tier;
}

}  // namespace

bool holds(const Xapian::Query& query, const std::vector<std::string>& matching) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM: {
      const std::string term = *query.get_terms_begin();
      return term.empty() || std::find(matching.begin(), matching.end(), term) != matching.end();
    }
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_POSTING_SOURCE:
      return true;
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return false;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_ELITE_SET:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (holds(query.get_subquery(i), matching)) return true;
      }
      return false;
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return query.get_num_subqueries() > 0 && holds(query.get_subquery(0), matching);
    default:  // AND, FILTER, PHRASE, NEAR: every part
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (!holds(query.get_subquery(i), matching)) return false;
      }
      return true;
  }
}

TextQuery buildTextQuery(std::string_view userText, const IndexTraits& index) {
  const TextFamilies families = index.families;
  TextQuery out;
  const std::string normalized = trim(normalizeQuery(userText));
  if (normalized.empty()) {
    // A match-all query of its own: the shared Xapian::Query::MatchAll's reference count is not
    // atomic, and a search split in two builds this query on two threads at once.
    out.query = Xapian::Query(std::string());
    out.match_all = true;
    return out;
  }
  const Xapian::Query parsed = parseLeniently(normalized, families, out.fallback);
  const bool numberLike = normalized.find(' ') == std::string::npos;
  Xapian::Query number;
  if (numberLike) {
    number = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                           Xapian::Query(terms::booleanTerm(terms::kNumberExact, normalized)),
                           kNumberBoost);
  }
  if (parsed.empty() && number.empty()) {
    out.nothing_to_search = true;
    out.query = Xapian::Query();
    return out;
  }
  // Made once for both tiers: it runs ICU's word break and looks up each word's frequency.
  const Xapian::Query boost = wordBoost(normalized, index);
  Xapian::Query query = withBoost(parsed, boost);
  if (!number.empty())
    query = parsed.empty() ? number : Xapian::Query(Xapian::Query::OP_OR, query, number);
  out.query = query;
  if (!out.fallback) {
    const Xapian::Query partial = partialTier(userText, families, out.optional);
    if (!partial.empty()) out.partial = withBoost(partial, boost);
  }
  return out;
}

}  // namespace gongkai::indexer
