#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace gongkai::core {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);
// Offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t firstInvalidUtf8(std::string_view text);
// Appends the UTF-8 encoding of a code point (the caller has checked it is one).
void appendUtf8(std::string& out, char32_t cp);

// Checks UTF-8 that arrives in pieces (a file as it streams): a character may be split between
// two pieces. The same rules as isValidUtf8; checking stops at the first ill-formed byte.
class Utf8StreamValidator {
 public:
  void feed(std::string_view piece);
  // True when everything fed so far is well-formed and ends on a whole character.
  bool valid() const { return !invalid_ && pendingSize_ == 0; }

 private:
  void completePending(std::string_view& piece);

  char pending_[4] = {};  // the start of a character the last piece ended inside
  std::size_t pendingSize_ = 0;
  bool invalid_ = false;
};

// Number of code points in valid UTF-8 text.
std::size_t codePointCount(std::string_view text);

// True when valid UTF-8 text holds a C0 or C1 control character or DEL. `allowLineBreaks`
// lets through tab, LF and CR, which multi-line fields such as a summary need.
bool hasControlCharacters(std::string_view text, bool allowLineBreaks);

// Why a client-supplied file name is refused, or nullptr when it is acceptable. Names are kept
// byte for byte, so anything that could act as a path or hide from a reader is refused:
// empty, over 255 bytes, invalid UTF-8, '/', '\\', "..", NUL or any control character.
const char* fileNameProblem(std::string_view name);

// Percent-encodes every byte outside RFC 5987's attr-char set.
std::string percentEncodeRfc5987(std::string_view text);

// Replaces anything but printable ASCII (and '"', '\\') with '_', for legacy header fallbacks.
std::string asciiFallback(std::string_view text);

// A CSV cell (RFC 4180), quoted when it must be. Text a spreadsheet would run as a formula (= +
// - @ tab or CR at the start) gets a leading apostrophe: titles and contents come from users.
std::string csvCell(std::string_view text);
// One CSV record: each cell by csvCell, separated by commas, ended by CRLF (RFC 4180).
std::string csvRecord(std::initializer_list<std::string_view> cells);
// Starts a CSV text, so spreadsheet programs read the Chinese as UTF-8 rather than guess.
inline constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// Appends `text` as an RFC 8785 JSON string: quotes, and escapes for '"', '\\' and control
// characters only (\b \f \n \r \t, else \u00xx); everything else as the UTF-8 it is.
void appendJsonString(std::string& out, std::string_view text);

// Appends `text` with the five characters HTML gives meaning to (& < > " ') as references, so it
// is safe in element content and in quoted attribute values.
void appendHtmlEscaped(std::string& out, std::string_view text);
std::string htmlEscape(std::string_view text);

}  // namespace gongkai::core
