#pragma once

// Names the calling thread as `top -H`, `ps -L`, `perf` and gdb show it (Linux keeps 15 bytes):
// the server's threads otherwise all carry the process's name, and telling the store's writer
// from the search worker is the first question when the server is slow.

#include <pthread.h>

namespace gongkai::server {

inline void nameThisThread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace gongkai::server
