#pragma once

// Text, HTML, XML and SVG: UTF-8 checked and markup scanned over every byte as it streams past.

#include <array>
#include <cstddef>
#include <string_view>

#include "gongkai/archive/file_inspector.h"
#include "gongkai/core/text.h"

namespace gongkai::archive::inspect {

// Whether a stream can be text: well-formed UTF-8 without NUL. Checking stops at the first NUL,
// which already rules text out.
class TextCheck {
 public:
  void feed(std::string_view piece) {
    if (sawNul_) return;
    const std::size_t nul = piece.find('\0');
    sawNul_ = nul != std::string_view::npos;
    utf8_.feed(piece.substr(0, nul));
  }
  bool valid() const { return utf8_.valid(); }
  bool sawNul() const { return sawNul_; }

 private:
  core::Utf8StreamValidator utf8_;
  bool sawNul_ = false;
};

// Case-insensitive search for one pattern in a stream (Knuth–Morris–Pratt), so a match split
// across chunks is found without keeping any bytes.
class StreamMatcher {
 public:
  explicit StreamMatcher(std::string_view lowerPattern);
  bool feed(unsigned char c);
  // Nothing of the pattern matched so far: only its first byte (either case) would change that.
  bool idle() const { return matched_ == 0; }

 private:
  std::string_view pattern_;  // at most 16 bytes
  std::array<std::size_t, 16> fallback_{};
  std::size_t matched_ = 0;
};

// Finds script elements (<script…, also namespaced as <svg:script…) and javascript: URLs in HTML,
// XML or SVG. Nothing else of the markup is tracked: comments, CDATA and quoted values count too,
// since a false alarm is cheaper here than a missed script.
class MarkupScanner {
 public:
  void feed(const unsigned char* p, std::size_t n);
  bool scriptElement() const { return script_; }
  bool javascriptUrl() const { return javascriptUrl_; }

 private:
  enum class State { kText, kTagOpen, kTagName };

  void feedByte(unsigned char c);
  void startLocalName();
  void nameByte(unsigned char c);

  State state_ = State::kText;
  std::size_t localMatched_ = 0;
  bool localMatches_ = false;
  bool script_ = false;
  bool javascriptUrl_ = false;
  StreamMatcher javascript_{"javascript:"};
};

// "html", "xml" or "text", from the first bytes kept and the format expected.
std::string_view textFormatFromHead(std::string_view head, std::string_view expected);
// Script elements and javascript: URLs are safety problems.
void checkMarkup(FileFindings& out, const MarkupScanner& markup);

}  // namespace gongkai::archive::inspect
