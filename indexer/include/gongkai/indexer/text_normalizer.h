#pragma once

#include <string>
#include <string_view>

namespace gongkai::indexer {

// NFKC with case folding (ICU's NFKC_Casefold), then traditional ideographs folded to simplified
// ones (ICU's Traditional-Simplified transliterator), applied alike to indexed text and to
// queries: full-width ２０１０ matches 2010, ＡＢＣ matches abc, and 關於黨務 matches 关于党务.
// Invalid UTF-8 is replaced with U+FFFD rather than refused: extracted text is often dirty.
// Thread-safe.
std::string normalizeForSearch(std::string_view text);

// The simplified form of one ideograph (U+3400..U+9FFF), `c` itself for anything else. Every
// mapping of ICU's Traditional-Simplified transliterator in that range is one code point to one
// code point, so a character-by-character fold gives what the transliterator gives for a whole
// text, and a snippet can map each folded character back to the original one it came from.
char32_t foldTraditional(char32_t c);

}  // namespace gongkai::indexer
