#pragma once

// The central directory of a ZIP file (APPNOTE 6.3.10, sections 4.3.12 to 4.3.16), read from
// bytes with every length checked, for the text extractor (which has the whole file) and the file
// inspector (which keeps only the last MiB). It reads; what a caller accepts (several volumes,
// which entries, which message) is the caller's. No exceptions: every failure is a ZipProblem.
//
// Both steps take a `window`: the last window.size() bytes of a file of `fileSize` bytes (the
// whole file when the two are equal). Positions in the records are positions in the file.

#include <cstdint>
#include <string_view>
#include <vector>

namespace gongkai::core {

enum class ZipProblem {
  kNone,
  kNoEndRecord,            // no end-of-central-directory record in the window
  kZip64RecordOutOfRange,  // the ZIP64 locator points outside the window or too near its end
  kZip64RecordDamaged,     // no ZIP64 end record where the locator points
  kDirectoryOutsideFile,   // the directory does not lie between the file start and its end record
  kDirectoryBeforeWindow,  // the directory starts before the window (only a tail was kept)
  kTooManyEntries,         // the end record declares more entries than the limit
  kEntryDamaged,           // an entry is shorter than its fixed part or lacks its signature
  kEntryOverrun,           // an entry's name, extra field or comment runs past the directory
  kZip64ExtraDamaged,      // an entry's ZIP64 extra field lacks a size or offset it must hold
  kEntryCountMismatch,     // the directory holds another number of entries than declared
};

// A short English reason, for logs and messages.
const char* zipProblemText(ZipProblem problem);

// What the end record (in its ZIP64 form where there is one) says about the directory.
struct ZipEndRecord {
  std::uint64_t disk = 0;           // number of this disk; not 0 in a multi-volume archive
  std::uint64_t directoryDisk = 0;  // disk the directory starts on
  std::uint64_t entries = 0;
  std::uint64_t directorySize = 0;
  std::uint64_t directoryOffset = 0;
  std::uint64_t directoryEnd = 0;  // where the directory must stop: the (ZIP64) end record
  bool zip64 = false;

  bool multiVolume() const { return disk != 0 || directoryDisk != 0; }
};

struct ZipDirectoryEntry {
  std::string_view name;  // raw bytes (UTF-8 when flags bit 11 is set), a view into the window
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  // From the ZIP64 extra field where the 32-bit field holds 0xFFFFFFFF.
  std::uint64_t compressedSize = 0;
  std::uint64_t uncompressedSize = 0;
  std::uint64_t localHeaderOffset = 0;
};

struct ZipReadLimits {
  // More declared entries are refused before any is read.
  std::uint64_t maxEntries = 0;
};

// Finds the end record: the one that ends the window exactly, else the last one whose comment
// fits (a comment may itself contain the signature, and some writers append bytes), within the
// 64 KiB a comment can take. Follows the ZIP64 locator when a 32-bit field is saturated.
ZipProblem findZipEndRecord(std::string_view window, std::uint64_t fileSize, ZipEndRecord& out);

// The directory `end` describes, entry by entry in directory order. Checks, in this order: that
// it lies before its end record, inside the window, within limits.maxEntries, and that walking it
// yields exactly the declared number of entries.
ZipProblem readZipDirectory(std::string_view window, std::uint64_t fileSize,
                            const ZipEndRecord& end, const ZipReadLimits& limits,
                            std::vector<ZipDirectoryEntry>& out);

}  // namespace gongkai::core
