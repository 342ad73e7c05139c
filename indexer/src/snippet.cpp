#include "gongkai/indexer/snippet.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "gongkai/core/text.h"
#include "gongkai/indexer/text_normalizer.h"
#include "search_terms.h"

namespace gongkai::indexer {
namespace {

constexpr std::size_t kContextBefore = 12;  // code points shown before the first match

struct Span {
  std::size_t begin, end;  // byte offsets into the original text
};

std::size_t sequenceLength(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Normalises one code point. ASCII and the common ideographs are their own normal form (bar
// ASCII case), so only the rest pays for ICU; those results are cached per thread.
void appendNormalized(std::string_view character, std::string& out) {
  const auto lead = static_cast<unsigned char>(character[0]);
  if (lead < 0x80) {
    out += static_cast<char>(lead >= 'A' && lead <= 'Z' ? lead + 32 : lead);
    return;
  }
  if (character.size() == 3 && lead >= 0xE4 && lead <= 0xE9) {  // U+4E00..U+9FFF
    // NFKC leaves these alone; only the traditional ones change, each to one simplified one.
    const char32_t c = ((lead & 0x0F) << 12) |
                       ((static_cast<unsigned char>(character[1]) & 0x3F) << 6) |
                       (static_cast<unsigned char>(character[2]) & 0x3F);
    const char32_t folded = foldTraditional(c);
    if (folded == c) {
      out.append(character);
    } else {
      out += static_cast<char>(0xE0 | (folded >> 12));
      out += static_cast<char>(0x80 | ((folded >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (folded & 0x3F));
    }
    return;
  }
  thread_local std::unordered_map<std::string, std::string> cache;
  auto found = cache.find(std::string(character));
  if (found == cache.end()) {
    if (cache.size() > 4096) cache.clear();
    found = cache.emplace(std::string(character), normalizeForSearch(character)).first;
  }
  out += found->second;
}

// The text normalised, and for each normalised byte the original code point it came from.
struct NormalizedText {
  std::string text;
  std::vector<std::uint32_t> origin;  // normalised byte → original byte offset of its code point
  std::string_view original;

  // The original byte just past the code point normalised byte `at` came from.
  std::size_t originEnd(std::size_t at) const {
    const std::size_t begin = origin[at];
    return std::min(begin + sequenceLength(static_cast<unsigned char>(original[begin])),
                    original.size());
  }
};

NormalizedText normalizeWithMap(std::string_view text) {
  NormalizedText out;
  out.original = text;
  // Normalising rarely grows Chinese text; reserving once keeps the per-character appends cheap
  // (this runs over every hit's text on every search).
  out.text.reserve(text.size() + 16);
  out.origin.reserve(text.size() + 16);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length =
        std::min(sequenceLength(static_cast<unsigned char>(text[at])), text.size() - at);
    appendNormalized(text.substr(at, length), out.text);
    while (out.origin.size() < out.text.size())
      out.origin.push_back(static_cast<std::uint32_t>(at));
    at += length;
  }
  return out;
}

std::vector<Span> findMatches(const NormalizedText& normalized,
                              const std::vector<std::string>& terms,
                              std::vector<std::size_t>& termOf) {
  std::vector<Span> spans;
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const std::string& term = terms[t];
    if (term.empty()) continue;
    for (std::size_t at = normalized.text.find(term); at != std::string::npos;
         at = normalized.text.find(term, at + term.size())) {
      spans.push_back({normalized.origin[at], normalized.originEnd(at + term.size() - 1)});
      termOf.push_back(t);
      if (spans.size() > 10'000) return spans;
    }
  }
  return spans;
}

// One character of the snippet, escaped; line breaks and tabs become spaces, for one line.
void appendEscaped(std::string_view character, std::string& out) {
  if (character == "\n" || character == "\r" || character == "\t") {
    out += ' ';
  } else {
    core::appendHtmlEscaped(out, character);
  }
}

// Moves `at` back by up to `count` code points.
std::size_t backCodePoints(std::string_view text, std::size_t at, std::size_t count) {
  while (at > 0 && count > 0) {
    --at;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    --count;
  }
  return at;
}

}  // namespace

std::string makeSnippet(std::string_view text, const std::vector<std::string>& terms,
                        std::size_t maxCharacters) {
  const NormalizedText normalized = normalizeWithMap(text);
  std::vector<std::size_t> termOf;
  std::vector<Span> found = findMatches(normalized, terms, termOf);

  // Pick the match whose window of ~maxCharacters holds the most distinct terms.
  std::vector<std::size_t> order(found.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](auto a, auto b) { return found[a].begin < found[b].begin; });
  std::size_t start = 0, best = 0;
  const std::size_t windowBytes = maxCharacters * 3;
  for (std::size_t i = 0; i < order.size(); ++i) {
    std::vector<bool> seen(terms.size(), false);
    std::size_t distinct = 0;
    for (std::size_t j = i;
         j < order.size() && found[order[j]].begin < found[order[i]].begin + windowBytes; ++j) {
      if (!seen[termOf[order[j]]]) {
        seen[termOf[order[j]]] = true;
        ++distinct;
      }
    }
    if (distinct > best) {
      best = distinct;
      start = backCodePoints(text, found[order[i]].begin, kContextBefore);
    }
    if (i > 200) break;  // enough candidates for a snippet
  }

  // Marks: matches sorted and merged where they overlap or touch.
  std::vector<Span> marks;
  for (std::size_t index : order) marks.push_back(found[index]);
  std::vector<Span> merged;
  for (const Span& span : marks) {
    if (!merged.empty() && span.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
    } else {
      merged.push_back(span);
    }
  }

  std::string out;
  if (start > 0) out += "…";
  std::size_t at = start, characters = 0;
  auto mark = std::lower_bound(merged.begin(), merged.end(), start,
                               [](const Span& s, std::size_t offset) { return s.end <= offset; });
  bool open = false;
  while (at < text.size() && characters < maxCharacters) {
    if (!open && mark != merged.end() && at >= mark->begin) {
      out += "<mark>";
      open = true;
    }
    const std::size_t length =
        std::min(sequenceLength(static_cast<unsigned char>(text[at])), text.size() - at);
    appendEscaped(text.substr(at, length), out);
    at += length;
    ++characters;
    if (open && at >= mark->end) {
      out += "</mark>";
      open = false;
      ++mark;
    }
  }
  if (open) out += "</mark>";
  if (at < text.size()) out += "…";
  return out;
}

std::vector<std::string> highlightTerms(std::string_view query) {
  const std::string normalized = normalizeForSearch(query);
  std::vector<std::string> terms;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    const bool operatorWord =
        word == "and" || word == "or" || word == "not" || word == "xor" || word == "near";
    if (!operatorWord) {
      terms.push_back(word);
      if (terms::hasCjk(word)) {
        for (auto& w : terms::cjkWords(word)) terms.push_back(std::move(w));
      }
    }
    word.clear();
  };
  bool wordIsAscii = false;
  for (std::size_t at = 0; at < normalized.size();) {
    const auto c = static_cast<unsigned char>(normalized[at]);
    const std::size_t length = std::min(sequenceLength(c), normalized.size() - at);
    // Latin and Chinese typed together (abc党建) are two words, as the index sees them.
    if (!word.empty() && (c < 0x80) != wordIsAscii) flush();
    wordIsAscii = c < 0x80;
    if (c == ':') {
      word.clear();  // a field name such as title: is not text
    } else if (c < 0x80 && !std::isalnum(c)) {
      flush();
    } else if (c >= 0x80 && length == 3 &&
               (c == 0xE3 && static_cast<unsigned char>(normalized[at + 1]) < 0x81)) {
      flush();  // CJK punctuation U+3000..U+303F ends a word
    } else {
      word.append(normalized, at, length);
    }
    at += length;
  }
  flush();
  std::sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

}  // namespace gongkai::indexer
