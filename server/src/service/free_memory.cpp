#include "gongkai/server/free_memory.h"

#include <malloc.h>

#include <cstddef>

// jemalloc's control interface when the program links jemalloc, else null: declared weak here
// rather than taken from <jemalloc/jemalloc.h>, so the same code links with and without it.
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

namespace gongkai::server {

void releaseFreedMemory() {
  if (mallctl != nullptr) {
    // 4096 is MALLCTL_ARENAS_ALL: every arena's unused dirty pages.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
  } else {
    malloc_trim(0);
  }
}

}  // namespace gongkai::server
