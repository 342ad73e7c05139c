#pragma once

#include <xapian.h>

#include <string_view>

namespace gongkai::indexer {

struct TextQuery {
  Xapian::Query query;  // MatchAll when the text is empty
  bool match_all = false;
  bool fallback = false;           // the parser refused the text; built word by word instead
  bool nothing_to_search = false;  // the text had no searchable characters at all
};

// Turns what a user typed into a query: normalised, parsed with phrases, AND/OR/NOT and field
// prefixes (title:/标题:, summary:/摘要:, number:/文号:), CJK runs as n-grams with dictionary-word
// matches weighted above them, and the whole text as an exact document number. Never throws:
// Xapian 1.4.22's parser fails on some mixed Chinese/Latin text, and then the words are ANDed.
TextQuery buildTextQuery(std::string_view userText);

}  // namespace gongkai::indexer
