#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gongkai::core {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);
// Offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t firstInvalidUtf8(std::string_view text);
// Appends the UTF-8 encoding of a code point (the caller has checked it is one).
void appendUtf8(std::string& out, char32_t cp);

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

}  // namespace gongkai::core
