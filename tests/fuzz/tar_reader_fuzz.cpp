// The verifier's tar reader (archive/src/safe_tar_reader.cpp), which reads bundles a committee
// was handed: every header and all data of any bytes, refusing rather than crashing. The reader
// opens a path, so each input is written to an in-memory file.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/archive/safe_tar_reader.h"

namespace {

int memoryFile() {
  static const int fd = [] {
    const int created = memfd_create("tar_reader_fuzz", 0);
    if (created < 0) std::abort();
    return created;
  }();
  return fd;
}

bool safeSegments(const std::string& path) {
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment(path.data() + start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (end == path.size()) return true;
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = memoryFile();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
    std::abort();
  }
  gongkai::archive::TarLimits limits;
  limits.max_entries = 64;
  limits.max_entry_bytes = 1 << 20;
  limits.max_total_bytes = 4 << 20;
  gongkai::archive::SafeTarReader reader(limits);
  if (!reader.open("/proc/self/fd/" + std::to_string(fd)).ok()) return 0;
  gongkai::archive::TarEntry entry;
  std::int64_t entries = 0;
  char buffer[4096];
  while (reader.next(entry)) {
    FUZZ_CHECK(++entries <= limits.max_entries, "entry limit holds");
    FUZZ_CHECK(!entry.path.empty() && entry.path[0] != '/', "accepted paths are relative");
    FUZZ_CHECK(safeSegments(entry.path), "no empty, '.' or '..' segments");
    std::int64_t read = 0;
    for (std::int64_t n; (n = reader.read(buffer, sizeof buffer)) > 0;) read += n;
    FUZZ_CHECK(read <= entry.size, "no more data than the header declares");
  }
  return 0;
}
