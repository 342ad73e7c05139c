#pragma once

// What the file inspector's parts share: ASCII case, little-endian fields, extensions and the
// danger they carry, entry names fit for a report, and one problem per code.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/archive/file_inspector.h"

namespace gongkai::archive::inspect {

char lowerAscii(char c);
std::string lowerAscii(std::string_view s);
bool equalsIgnoreCase(std::string_view a, std::string_view b);
bool startsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool isSpace(unsigned char c);

// Little-endian readers; callers have checked that the bytes exist.
std::uint16_t le16(std::string_view b, std::size_t at);
std::uint32_t le32(std::string_view b, std::size_t at);
// `magic` is at `at` in `b`.
bool hasAt(std::string_view b, std::size_t at, std::string_view magic);

// The lower-case extension of the last path segment. Trailing dots and spaces are dropped because
// Windows drops them too, so "a.exe." still runs as an executable.
std::string extensionOf(std::string_view name);

enum class Danger { kNone, kExecutable, kScript };
Danger dangerOfExtension(std::string_view extension);

// An entry name as it may appear in a message: names are untrusted bytes (GBK, control
// characters), and reports must stay valid UTF-8 and one line.
std::string printableName(std::string_view name);

// Adds a problem unless one of that code is there already.
void addOnce(std::vector<FileProblem>& problems, std::string code, std::string message);

}  // namespace gongkai::archive::inspect
