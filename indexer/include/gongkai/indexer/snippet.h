#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gongkai::indexer {

// A short passage of `text` around the best cluster of matches, HTML-escaped, each match wrapped
// in <mark>…</mark> and touching matches merged into one mark. `terms` are normalised
// (normalizeForSearch) and matched against the normalised text, so full-width ＡＢＣ in the text
// is marked for abc; the passage itself keeps the text's own characters. `maxCharacters` counts
// code points; "…" marks a cut at either end.
std::string makeSnippet(std::string_view text, const std::vector<std::string>& terms,
                        std::size_t maxCharacters = 120);

// Words worth marking for a query as typed: its CJK runs and their dictionary words, and its
// Latin and digit words; operators, field names and quotes left out. Normalised, longest first.
std::vector<std::string> highlightTerms(std::string_view query);

}  // namespace gongkai::indexer
