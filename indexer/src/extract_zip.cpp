// Zip entries within limits. The central directory is read here (declared sizes, entry count);
// libarchive inflates, and what it yields is counted again because headers can lie.
#include "extract_zip.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <memory>

namespace gongkai::indexer::detail {
namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::size_t kEndOfDirectorySize = 22;
constexpr std::size_t kDirectoryEntrySize = 46;
// Entries this small cannot hurt however well they compress (a page of spaces, say), so the
// expansion ratio only applies above it.
constexpr std::uint64_t kRatioFloor = 1u << 20;

[[noreturn]] void failMalformed(const char* why) {
  fail("malformed",
       std::string("压缩包已损坏或不完整，无法提取文本 (corrupt or truncated zip: ") + why + ")");
}

[[noreturn]] void failBomb() {
  fail("zip_bomb", "压缩包解压后过大，疑似压缩炸弹 (zip expands beyond the allowed size or ratio)");
}

// Little-endian integer of N bytes at offset; malformed when it runs past the end.
std::uint64_t readLe(std::string_view bytes, std::uint64_t offset, int n) {
  if (offset > bytes.size() || bytes.size() - offset < static_cast<std::uint64_t>(n)) {
    failMalformed("header past end of file");
  }
  std::uint64_t value = 0;
  for (int i = n - 1; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  }
  return value;
}

// Offset of the end-of-central-directory record: the last one, within the 64 KB comment range.
std::uint64_t findEndOfDirectory(std::string_view bytes) {
  if (bytes.size() < kEndOfDirectorySize) failMalformed("no end of central directory");
  const std::uint64_t last = bytes.size() - kEndOfDirectorySize;
  const std::uint64_t first = last > 0xFFFF ? last - 0xFFFF : 0;
  for (std::uint64_t pos = last + 1; pos-- > first;) {
    if (readLe(bytes, pos, 4) == kEndOfDirectory &&
        pos + kEndOfDirectorySize + readLe(bytes, pos + 20, 2) <= bytes.size()) {
      return pos;
    }
  }
  failMalformed("no end of central directory");
}

struct DirectoryLocation {
  std::uint64_t entries = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

DirectoryLocation locateDirectory(std::string_view bytes) {
  const std::uint64_t end = findEndOfDirectory(bytes);
  DirectoryLocation dir{readLe(bytes, end + 10, 2), readLe(bytes, end + 16, 4),
                        readLe(bytes, end + 12, 4)};
  const bool zip64 = dir.entries == 0xFFFF || dir.offset == 0xFFFFFFFF || dir.size == 0xFFFFFFFF;
  if (zip64 && end >= 20 && readLe(bytes, end - 20, 4) == kZip64Locator) {
    const std::uint64_t record = readLe(bytes, end - 20 + 8, 8);
    if (readLe(bytes, record, 4) != kZip64EndOfDirectory) failMalformed("bad zip64 record");
    dir = {readLe(bytes, record + 32, 8), readLe(bytes, record + 48, 8),
           readLe(bytes, record + 40, 8)};
  }
  if (dir.offset > bytes.size() || dir.size > bytes.size() - dir.offset) {
    failMalformed("central directory past end of file");
  }
  return dir;
}

// Replaces 32-bit sizes marked 0xFFFFFFFF with those of the zip64 extra field.
void applyZip64Extra(std::string_view extra, ZipEntryInfo& info) {
  std::uint64_t pos = 0;
  while (pos + 4 <= extra.size()) {
    const auto id = readLe(extra, pos, 2);
    const auto length = readLe(extra, pos + 2, 2);
    if (id == 0x0001) {
      std::uint64_t field = pos + 4;
      if (info.uncompressed == 0xFFFFFFFF) info.uncompressed = readLe(extra, field, 8), field += 8;
      if (info.compressed == 0xFFFFFFFF) info.compressed = readLe(extra, field, 8);
      return;
    }
    pos += 4 + length;
  }
}

void checkDeclaredRatio(const ZipEntryInfo& info, const ExtractionLimits& limits) {
  if (info.uncompressed > kRatioFloor &&
      static_cast<double>(info.uncompressed) >
          limits.max_expansion_ratio * static_cast<double>(info.compressed)) {
    failBomb();
  }
}

// Reads one entry's data from libarchive, stopping as soon as it yields more than allowed.
std::string readEntryData(archive* a, std::uint64_t entryCap, std::uint64_t& totalLeft,
                          const Deadline& deadline) {
  std::string data;
  char buffer[64 * 1024];
  for (;;) {
    deadline.check();
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return data;
    if (n < 0) failMalformed(archive_error_string(a) ? archive_error_string(a) : "bad entry data");
    const auto got = static_cast<std::uint64_t>(n);
    if (data.size() + got > entryCap || got > totalLeft) failBomb();
    totalLeft -= got;
    data.append(buffer, got);
  }
}

const char* entryName(archive_entry* entry) {
  const char* name = archive_entry_pathname_utf8(entry);
  return name ? name : archive_entry_pathname(entry);
}

}  // namespace

std::vector<ZipEntryInfo> readCentralDirectory(std::string_view bytes,
                                               const ExtractionLimits& limits) {
  const DirectoryLocation dir = locateDirectory(bytes);
  if (dir.entries > limits.max_zip_entries) {
    fail("too_many_entries", "压缩包内文件过多 (zip holds more entries than allowed: " +
                                 std::to_string(dir.entries) + ")");
  }
  std::vector<ZipEntryInfo> entries;
  std::uint64_t pos = dir.offset;
  for (std::uint64_t i = 0; i < dir.entries; ++i) {
    if (readLe(bytes, pos, 4) != kDirectoryEntry) failMalformed("bad central directory entry");
    ZipEntryInfo info;
    info.compressed = readLe(bytes, pos + 20, 4);
    info.uncompressed = readLe(bytes, pos + 24, 4);
    const auto nameLength = readLe(bytes, pos + 28, 2);
    const auto extraLength = readLe(bytes, pos + 30, 2);
    const auto commentLength = readLe(bytes, pos + 32, 2);
    const std::uint64_t name = pos + kDirectoryEntrySize;
    if (name + nameLength + extraLength > bytes.size()) failMalformed("entry past end of file");
    info.name = std::string(bytes.substr(name, nameLength));
    applyZip64Extra(bytes.substr(name + nameLength, extraLength), info);
    entries.push_back(std::move(info));
    pos = name + nameLength + extraLength + commentLength;
  }
  return entries;
}

std::vector<std::pair<std::string, std::string>> readZipEntries(
    std::string_view bytes, const std::function<bool(const std::string&)>& wanted,
    const ExtractionLimits& limits, const Deadline& deadline) {
  std::map<std::string, ZipEntryInfo> declared;
  std::uint64_t declaredTotal = 0;
  for (auto& info : readCentralDirectory(bytes, limits)) {
    if (!wanted(info.name)) continue;
    checkDeclaredRatio(info, limits);
    declaredTotal += info.uncompressed;
    if (declaredTotal > limits.max_expanded_bytes) failBomb();
    declared.emplace(info.name, std::move(info));
  }

  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    failMalformed("unreadable");
  }
  std::vector<std::pair<std::string, std::string>> out;
  std::uint64_t totalLeft = limits.max_expanded_bytes;
  std::uint64_t seen = 0;
  archive_entry* entry = nullptr;
  int status;
  while ((status = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK ||
         status == ARCHIVE_WARN) {
    deadline.check();
    if (++seen > limits.max_zip_entries)
      fail("too_many_entries", "压缩包内文件过多 (too many zip entries)");
    const char* name = entryName(entry);
    if (!name || !wanted(name)) continue;
    const auto info = declared.find(name);
    if (info == declared.end()) failMalformed("entry missing from central directory");
    if (archive_entry_is_encrypted(entry)) {
      fail("encrypted", "文件已加密，无法提取文本 (file is encrypted)");
    }
    const double ratioCap =
        limits.max_expansion_ratio * static_cast<double>(info->second.compressed);
    const auto entryCap =
        std::max<std::uint64_t>(kRatioFloor, static_cast<std::uint64_t>(ratioCap));
    out.emplace_back(name, readEntryData(a.get(), entryCap, totalLeft, deadline));
  }
  if (status != ARCHIVE_EOF) {
    failMalformed(archive_error_string(a.get()) ? archive_error_string(a.get()) : "unreadable");
  }
  return out;
}

std::vector<std::string> zipEntryNames(std::string_view bytes, const ExtractionLimits& limits) {
  std::vector<std::string> names;
  for (auto& info : readCentralDirectory(bytes, limits)) names.push_back(std::move(info.name));
  return names;
}

}  // namespace gongkai::indexer::detail
