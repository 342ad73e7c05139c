#pragma once

// ZIP and the formats built on it (OFD, OOXML, OpenDocument): the format from the central
// directory and the stored mimetype, and the entries that are encrypted, macros or programs. No
// entry is inflated.

#include <cstdint>
#include <string_view>

#include "gongkai/archive/file_inspector.h"

namespace gongkai::archive::inspect {

// Sets out.format to the ZIP family member found, adds the problems; `head` and `tail` are the
// first and last bytes kept of a file of `total` bytes. Returns false when the format cannot be
// told for sure (the directory does not read and no ODF mimetype names it).
bool checkZip(FileFindings& out, std::string_view head, std::string_view tail, std::uint64_t total);

}  // namespace gongkai::archive::inspect
