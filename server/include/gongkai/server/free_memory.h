#pragma once

namespace gongkai::server {

// Hands the pages the allocator keeps for reuse back to the system now. jemalloc (the server's
// allocator, CMakeLists.txt) keeps freed pages for up to ten seconds, so a server that has just
// indexed texts of a few MiB each holds their pages long after: called after each commit of the
// search index, which is when those texts are done with. glibc's malloc_trim where the program
// runs without jemalloc (the sanitizer build, tests).
void releaseFreedMemory();

}  // namespace gongkai::server
