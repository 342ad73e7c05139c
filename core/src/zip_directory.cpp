#include "gongkai/core/zip_directory.h"

#include <algorithm>
#include <optional>

namespace gongkai::core {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kEndSignature = "PK\x05\x06"sv;
constexpr std::string_view kZip64LocatorSignature = "PK\x06\x07"sv;
constexpr std::string_view kZip64EndSignature = "PK\x06\x06"sv;
constexpr std::string_view kEntrySignature = "PK\x01\x02"sv;
constexpr std::size_t kEndSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kZip64EndSize = 56;
constexpr std::size_t kEntrySize = 46;
constexpr std::size_t kMaxCommentSize = 0xFFFF;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint32_t kSaturated32 = 0xFFFFFFFF;

// Little-endian readers; callers have checked that the bytes exist.
std::uint64_t readLe(std::string_view b, std::size_t at, int n) {
  std::uint64_t value = 0;
  for (int i = n - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(b[at + i]);
  return value;
}
std::uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(readLe(b, at, 2));
}
std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(readLe(b, at, 4));
}
std::uint64_t le64(std::string_view b, std::size_t at) { return readLe(b, at, 8); }

bool hasAt(std::string_view b, std::size_t at, std::string_view magic) {
  return at <= b.size() && b.size() - at >= magic.size() && b.substr(at, magic.size()) == magic;
}

// Position of the end record in the window: the one that ends the window exactly, else the last
// one whose comment fits.
std::optional<std::size_t> locateEndRecord(std::string_view window) {
  if (window.size() < kEndSize) return std::nullopt;
  const std::size_t last = window.size() - kEndSize;
  const std::size_t lowest = last > kMaxCommentSize ? last - kMaxCommentSize : 0;
  std::optional<std::size_t> loose;
  for (std::size_t pos = last + 1; pos-- > lowest;) {
    // The first byte alone rules out nearly every position; a full compare at each of up to
    // 64 KiB of them (a memcmp call each under the sanitizers) was over a quarter of
    // extract_office_fuzz's time.
    if (window[pos] != kEndSignature[0] || !hasAt(window, pos, kEndSignature)) continue;
    const std::size_t after = pos + kEndSize + le16(window, pos + 20);
    if (after == window.size()) return pos;
    if (after < window.size() && !loose) loose = pos;
  }
  return loose;
}

// Replaces `end`'s fields with those of the ZIP64 end record the locator before `endPos` names.
ZipProblem readZip64EndRecord(std::string_view window, std::uint64_t windowStart,
                              std::size_t endPos, ZipEndRecord& end) {
  const std::size_t locator = endPos - kZip64LocatorSize;
  const std::uint64_t recordOffset = le64(window, locator + 8);
  if (recordOffset < windowStart || recordOffset > windowStart + locator ||
      windowStart + locator - recordOffset < kZip64EndSize) {
    return ZipProblem::kZip64RecordOutOfRange;
  }
  const auto record = static_cast<std::size_t>(recordOffset - windowStart);
  if (!hasAt(window, record, kZip64EndSignature)) return ZipProblem::kZip64RecordDamaged;
  end.disk = le32(window, record + 16);
  end.directoryDisk = le32(window, record + 20);
  end.entries = le64(window, record + 32);
  end.directorySize = le64(window, record + 40);
  end.directoryOffset = le64(window, record + 48);
  end.directoryEnd = recordOffset;
  end.zip64 = true;
  return ZipProblem::kNone;
}

// Takes the saturated sizes and offset of `entry` from its ZIP64 extra field (4.5.3), which holds
// exactly those, in this order.
ZipProblem applyZip64Extra(std::string_view extra, ZipDirectoryEntry& entry) {
  for (std::size_t pos = 0; extra.size() - pos >= 4;) {
    const std::size_t length = le16(extra, pos + 2);
    if (le16(extra, pos) != kZip64ExtraId) {
      pos += std::min(4 + length, extra.size() - pos);
      continue;
    }
    std::string_view field = extra.substr(pos + 4, length);
    for (std::uint64_t* value :
         {&entry.uncompressedSize, &entry.compressedSize, &entry.localHeaderOffset}) {
      if (*value != kSaturated32) continue;
      if (field.size() < 8) return ZipProblem::kZip64ExtraDamaged;
      *value = le64(field, 0);
      field.remove_prefix(8);
    }
    return ZipProblem::kNone;
  }
  return ZipProblem::kNone;
}

// The entry at `pos` of `directory`, and in `size` how many bytes it takes.
ZipProblem readEntry(std::string_view directory, std::size_t pos, ZipDirectoryEntry& entry,
                     std::size_t& size) {
  if (directory.size() - pos < kEntrySize || !hasAt(directory, pos, kEntrySignature)) {
    return ZipProblem::kEntryDamaged;
  }
  const std::size_t nameLength = le16(directory, pos + 28);
  const std::size_t extraLength = le16(directory, pos + 30);
  const std::size_t commentLength = le16(directory, pos + 32);
  if (directory.size() - pos - kEntrySize < nameLength + extraLength + commentLength) {
    return ZipProblem::kEntryOverrun;
  }
  entry.flags = le16(directory, pos + 8);
  entry.method = le16(directory, pos + 10);
  entry.compressedSize = le32(directory, pos + 20);
  entry.uncompressedSize = le32(directory, pos + 24);
  entry.localHeaderOffset = le32(directory, pos + 42);
  entry.name = directory.substr(pos + kEntrySize, nameLength);
  size = kEntrySize + nameLength + extraLength + commentLength;
  return applyZip64Extra(directory.substr(pos + kEntrySize + nameLength, extraLength), entry);
}

}  // namespace

const char* zipProblemText(ZipProblem problem) {
  switch (problem) {
    case ZipProblem::kNone:
      return "no problem";
    case ZipProblem::kNoEndRecord:
      return "no end of central directory record";
    case ZipProblem::kZip64RecordOutOfRange:
      return "ZIP64 end record out of range";
    case ZipProblem::kZip64RecordDamaged:
      return "ZIP64 end record damaged";
    case ZipProblem::kDirectoryOutsideFile:
      return "central directory outside the file";
    case ZipProblem::kDirectoryBeforeWindow:
      return "central directory before the bytes read";
    case ZipProblem::kTooManyEntries:
      return "more entries than allowed";
    case ZipProblem::kEntryDamaged:
      return "central directory entry damaged";
    case ZipProblem::kEntryOverrun:
      return "central directory entry overruns the directory";
    case ZipProblem::kZip64ExtraDamaged:
      return "ZIP64 extra field damaged";
    case ZipProblem::kEntryCountMismatch:
      return "central directory entry count mismatch";
  }
  return "unknown ZIP problem";
}

ZipProblem findZipEndRecord(std::string_view window, std::uint64_t fileSize, ZipEndRecord& out) {
  const std::optional<std::size_t> endPos = locateEndRecord(window);
  if (!endPos) return ZipProblem::kNoEndRecord;
  const std::uint64_t windowStart = fileSize - window.size();
  ZipEndRecord end;
  end.disk = le16(window, *endPos + 4);
  end.directoryDisk = le16(window, *endPos + 6);
  end.entries = le16(window, *endPos + 10);
  end.directorySize = le32(window, *endPos + 12);
  end.directoryOffset = le32(window, *endPos + 16);
  end.directoryEnd = windowStart + *endPos;
  const bool saturated = end.entries == 0xFFFF || end.directorySize == kSaturated32 ||
                         end.directoryOffset == kSaturated32;
  // Without a locator the 32-bit values are taken as they are: they may be true.
  if (saturated && *endPos >= kZip64LocatorSize &&
      hasAt(window, *endPos - kZip64LocatorSize, kZip64LocatorSignature)) {
    if (const ZipProblem problem = readZip64EndRecord(window, windowStart, *endPos, end);
        problem != ZipProblem::kNone) {
      return problem;
    }
  }
  out = end;
  return ZipProblem::kNone;
}

ZipProblem readZipDirectory(std::string_view window, std::uint64_t fileSize,
                            const ZipEndRecord& end, const ZipReadLimits& limits,
                            std::vector<ZipDirectoryEntry>& out) {
  const std::uint64_t windowStart = fileSize - window.size();
  if (end.directoryOffset > end.directoryEnd ||
      end.directorySize > end.directoryEnd - end.directoryOffset) {
    return ZipProblem::kDirectoryOutsideFile;
  }
  if (end.directoryOffset < windowStart) return ZipProblem::kDirectoryBeforeWindow;
  if (end.entries > limits.maxEntries) return ZipProblem::kTooManyEntries;

  const std::string_view directory =
      window.substr(static_cast<std::size_t>(end.directoryOffset - windowStart),
                    static_cast<std::size_t>(end.directorySize));
  std::vector<ZipDirectoryEntry> entries;
  // Declared counts are untrusted: reserve no more than the directory can hold.
  entries.reserve(static_cast<std::size_t>(
      std::min<std::uint64_t>(end.entries, directory.size() / kEntrySize)));
  for (std::size_t pos = 0; pos < directory.size();) {
    if (entries.size() == end.entries) return ZipProblem::kEntryCountMismatch;
    ZipDirectoryEntry entry;
    std::size_t size = 0;
    if (const ZipProblem problem = readEntry(directory, pos, entry, size);
        problem != ZipProblem::kNone) {
      return problem;
    }
    entries.push_back(entry);
    pos += size;
  }
  if (entries.size() != end.entries) return ZipProblem::kEntryCountMismatch;
  out = std::move(entries);
  return ZipProblem::kNone;
}

}  // namespace gongkai::core
