#include "text_inspection.h"

#include <cstdint>
#include <cstring>

#include "inspector_basics.h"

namespace gongkai::archive::inspect {

StreamMatcher::StreamMatcher(std::string_view lowerPattern) : pattern_(lowerPattern) {
  for (std::size_t i = 1, k = 0; i < pattern_.size(); ++i) {
    while (k > 0 && pattern_[i] != pattern_[k]) k = fallback_[k - 1];
    if (pattern_[i] == pattern_[k]) ++k;
    fallback_[i] = k;
  }
}

bool StreamMatcher::feed(unsigned char c) {
  const char lower = lowerAscii(static_cast<char>(c));
  while (matched_ > 0 && pattern_[matched_] != lower) matched_ = fallback_[matched_ - 1];
  if (pattern_[matched_] == lower) ++matched_;
  if (matched_ < pattern_.size()) return false;
  matched_ = fallback_[matched_ - 1];
  return true;
}

namespace {

// Whether any of the eight bytes in `word` is '<', 'j' or 'J' (or 0x1C, which costs a look at
// the word byte by byte but no harm): the bytes at which text outside a tag, with no part of
// "javascript:" matched, stops being a no-op for the scanner.
bool mayHoldMarkupByte(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const auto hasZeroByte = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  const std::uint64_t folded = word | (kOnes * 0x20);  // 'J' → 'j', '<' stays '<'
  return hasZeroByte(folded ^ (kOnes * 'j')) || hasZeroByte(folded ^ (kOnes * '<'));
}

}  // namespace

void MarkupScanner::feed(const unsigned char* p, std::size_t n) {
  for (std::size_t i = 0; i < n && !(script_ && javascriptUrl_);) {
    // Most text is outside any tag and holds no "j": skip it eight bytes at a time.
    if (state_ == State::kText && javascript_.idle()) {
      std::uint64_t word;
      while (i + 8 <= n && (std::memcpy(&word, p + i, 8), !mayHoldMarkupByte(word))) i += 8;
      if (i == n) break;
    }
    feedByte(p[i++]);
  }
}

void MarkupScanner::feedByte(unsigned char c) {
  if (javascript_.feed(c)) javascriptUrl_ = true;
  switch (state_) {
    case State::kText:
      if (c == '<') state_ = State::kTagOpen;
      break;
    case State::kTagOpen:
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        state_ = State::kTagName;
        startLocalName();
        nameByte(c);
      } else if (c != '<') {
        state_ = State::kText;
      }
      break;
    case State::kTagName:
      if (c == '<') {
        state_ = State::kTagOpen;
      } else if (isSpace(c) || c == '/' || c == '>') {
        state_ = State::kText;
      } else if (c == ':') {
        startLocalName();
      } else {
        nameByte(c);
      }
      break;
  }
}

void MarkupScanner::startLocalName() {
  localMatched_ = 0;
  localMatches_ = true;
}

void MarkupScanner::nameByte(unsigned char c) {
  static constexpr std::string_view kScript = "script";
  if (!localMatches_ || localMatched_ == kScript.size()) return;
  if (lowerAscii(static_cast<char>(c)) != kScript[localMatched_]) {
    localMatches_ = false;
  } else if (++localMatched_ == kScript.size()) {
    script_ = true;
  }
}

std::string_view textFormatFromHead(std::string_view head, std::string_view expected) {
  if (expected == "html") return "html";
  if (hasAt(head, 0, "\xEF\xBB\xBF")) head.remove_prefix(3);
  while (!head.empty() && isSpace(static_cast<unsigned char>(head.front()))) head.remove_prefix(1);
  if (startsWithIgnoreCase(head, "<!doctype html") || startsWithIgnoreCase(head, "<html")) {
    return "html";
  }
  if (head.starts_with("<?xml") || head.starts_with("<svg")) return "xml";
  if (expected == "xml" && head.starts_with("<")) return "xml";
  return "text";
}

void checkMarkup(FileFindings& out, const MarkupScanner& markup) {
  if (markup.scriptElement()) {
    addOnce(out.safety, "script",
            "标记文档含有 <script> 元素 (markup contains a <script> element)");
  }
  if (markup.javascriptUrl()) {
    addOnce(out.safety, "script",
            "标记文档含有 javascript: 链接 (markup contains a javascript: URL)");
  }
}

}  // namespace gongkai::archive::inspect
