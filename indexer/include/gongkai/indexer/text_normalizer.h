#pragma once

#include <string>
#include <string_view>

namespace gongkai::indexer {

// NFKC with case folding (ICU's NFKC_Casefold), applied alike to indexed text and to queries so
// that full-width ２０１０ matches 2010 and ＡＢＣ matches abc. Invalid UTF-8 is replaced with
// U+FFFD rather than refused: extracted text is often dirty. Thread-safe.
std::string normalizeForSearch(std::string_view text);

}  // namespace gongkai::indexer
