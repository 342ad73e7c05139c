#pragma once

// Formats told by their first bytes, and the checks of the formats whose end must be there (PNG,
// JPEG).

#include <string_view>

#include "gongkai/archive/file_inspector.h"

namespace gongkai::archive::inspect {

// What the first bytes say. kNone covers text, which needs every byte to decide.
enum class Magic {
  kNone,
  kPdf,
  kZip,
  kPng,
  kJpeg,
  kGif,
  kTiff,
  kBmp,
  kWebp,
  kOle,
  kExecutable,
  kShebang,
};

// What `head` (at least the first 32 bytes when the file has them) starts with.
Magic sniff(std::string_view head);
// The FileFindings::format of a magic; "unknown" for none and for scripts.
std::string_view formatOfMagic(Magic magic);

bool isZipFamily(std::string_view format);
bool isTextFamily(std::string_view format);

// A PNG has its IHDR first and its IEND last.
void checkPng(FileFindings& out, std::string_view head, std::string_view tail);
// A JPEG ends with FF D9.
void checkJpeg(FileFindings& out, std::string_view tail);

}  // namespace gongkai::archive::inspect
