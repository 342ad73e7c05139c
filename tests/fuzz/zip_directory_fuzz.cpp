// The ZIP central directory reader (core/zip_directory.h) that the text extractor and the file
// inspector share: never reads outside its window, and what it returns keeps its promises. The
// first byte chooses how much of the file is the window (the inspector keeps only a tail).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "gongkai/core/zip_directory.h"

using namespace gongkai::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
  // 0: the whole file; otherwise a tail of 1/256 .. 255/256 of it.
  const std::size_t tail = data[0] == 0 ? file.size() : file.size() * data[0] / 256;
  const std::string_view window = file.substr(file.size() - tail);
  const ZipReadLimits limits{64};

  ZipEndRecord end;
  if (findZipEndRecord(window, file.size(), end) != ZipProblem::kNone) return 0;
  FUZZ_CHECK(end.directoryEnd < file.size(), "the end record lies in the file");
  std::vector<ZipDirectoryEntry> entries;
  if (readZipDirectory(window, file.size(), end, limits, entries) != ZipProblem::kNone) return 0;
  FUZZ_CHECK(entries.size() == end.entries, "as many entries as declared");
  FUZZ_CHECK(entries.size() <= limits.maxEntries, "entry limit holds");
  FUZZ_CHECK(end.directoryOffset + end.directorySize <= end.directoryEnd,
             "the directory ends before its end record");
  for (const ZipDirectoryEntry& entry : entries) {
    FUZZ_CHECK(entry.name.empty() ||
                   (entry.name.data() >= window.data() &&
                    entry.name.data() + entry.name.size() <= window.data() + window.size()),
               "names are views into the window");
  }
  return 0;
}
