#pragma once
// Reading entries of a zip file (DOCX, ODT, OFD) within the extraction limits. core's reading of
// the central directory gives the declared sizes; libarchive inflates.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract_detail.h"

namespace gongkai::indexer::detail {

struct ZipEntryInfo {
  std::string name;
  std::uint64_t compressed = 0;
  std::uint64_t uncompressed = 0;
};

// The central directory of a complete zip file; malformed when truncated or inconsistent,
// too_many_entries over limits.max_zip_entries.
std::vector<ZipEntryInfo> readCentralDirectory(std::string_view bytes,
                                               const ExtractionLimits& limits);

// The entries whose names `wanted` accepts, inflated, in archive order as (name, content).
// Fails with zip_bomb when an entry declares or actually yields more than the expansion ratio
// allows or all of them together more than limits.max_expanded_bytes; encrypted for entries
// with a password; malformed for corrupt data.
std::vector<std::pair<std::string, std::string>> readZipEntries(
    std::string_view bytes, const std::function<bool(const std::string&)>& wanted,
    const ExtractionLimits& limits, const Deadline& deadline);

}  // namespace gongkai::indexer::detail
