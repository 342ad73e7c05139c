#include "gongkai/indexer/text_normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <vector>

namespace gongkai::indexer {
namespace {

constexpr char32_t kFirstIdeograph = 0x3400;  // CJK Extension A, then the unified block
constexpr char32_t kLastIdeograph = 0x9FFF;

// The transliterator's answer for every ideograph of the range, computed once (about 10 ms):
// the transliterator itself runs its rules for every character, which at index time would cost
// more than the NFKC pass, while a table lookup costs nothing.
const std::vector<char32_t>& simplifiedTable() {
  static const std::vector<char32_t> table = [] {
    std::vector<char32_t> out(kLastIdeograph - kFirstIdeograph + 1);
    for (char32_t c = kFirstIdeograph; c <= kLastIdeograph; ++c) out[c - kFirstIdeograph] = c;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> simplify(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !simplify) return out;  // ICU without its data: no folding
    for (char32_t c = kFirstIdeograph; c <= kLastIdeograph; ++c) {
      icu::UnicodeString character(static_cast<UChar32>(c));
      simplify->transliterate(character);
      // One UTF-16 unit: normalizeForSearch replaces it in place.
      if (character.length() == 1) out[c - kFirstIdeograph] = character.charAt(0);
    }
    return out;
  }();
  return table;
}

}  // namespace

char32_t foldTraditional(char32_t c) {
  if (c < kFirstIdeograph || c > kLastIdeograph) return c;
  return simplifiedTable()[c - kFirstIdeograph];
}

std::string normalizeForSearch(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString folded = normalizer->normalize(input, status);
  if (U_FAILURE(status)) return std::string(text);
  // Ideographs of the range are single UTF-16 units on both sides: replaced in place.
  for (int32_t at = 0; at < folded.length(); ++at) {
    const char16_t unit = folded.charAt(at);
    if (unit >= kFirstIdeograph && unit <= kLastIdeograph) {
      folded.setCharAt(at, static_cast<char16_t>(foldTraditional(unit)));
    }
  }
  std::string out;
  folded.toUTF8String(out);
  return out;
}

}  // namespace gongkai::indexer
