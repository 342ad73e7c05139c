// Zip entries within limits. The central directory (declared sizes, entry count) is read with
// core's reader; libarchive inflates, and what it yields is counted again because headers can lie.
#include "extract_zip.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <memory>

#include "gongkai/core/zip_directory.h"

namespace gongkai::indexer::detail {
namespace {

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

// The indexer's messages for what the shared reader finds wrong; kept from before it was shared.
const char* malformedReason(core::ZipProblem problem) {
  switch (problem) {
    case core::ZipProblem::kNoEndRecord:
      return "no end of central directory";
    case core::ZipProblem::kZip64RecordDamaged:
      return "bad zip64 record";
    case core::ZipProblem::kDirectoryOutsideFile:
    case core::ZipProblem::kDirectoryBeforeWindow:
      return "central directory past end of file";
    case core::ZipProblem::kEntryDamaged:
    case core::ZipProblem::kEntryCountMismatch:
      return "bad central directory entry";
    case core::ZipProblem::kEntryOverrun:
      return "entry past end of file";
    case core::ZipProblem::kZip64RecordOutOfRange:
    case core::ZipProblem::kZip64ExtraDamaged:
      return "header past end of file";
    default:
      return core::zipProblemText(problem);
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
  core::ZipEndRecord end;
  std::vector<core::ZipDirectoryEntry> directory;
  core::ZipProblem problem = core::findZipEndRecord(bytes, bytes.size(), end);
  if (problem == core::ZipProblem::kNone) {
    problem = core::readZipDirectory(bytes, bytes.size(), end, {limits.max_zip_entries}, directory);
  }
  if (problem == core::ZipProblem::kTooManyEntries) {
    fail("too_many_entries", "压缩包内文件过多 (zip holds more entries than allowed: " +
                                 std::to_string(end.entries) + ")");
  }
  if (problem != core::ZipProblem::kNone) failMalformed(malformedReason(problem));
  std::vector<ZipEntryInfo> entries;
  entries.reserve(directory.size());
  for (const core::ZipDirectoryEntry& entry : directory) {
    entries.push_back({std::string(entry.name), entry.compressedSize, entry.uncompressedSize});
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
