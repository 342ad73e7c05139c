#pragma once

#include <exception>

#include "gongkai/core/result.h"

namespace gongkai::server::store {

// The one answer to a failure of the store (SQLite, the file system under it): code
// "storage_error", a message that says only that it failed, and the details (a path, SQL, the
// database's own words) written to the server's log, never into a problem a client reads.
// A disk that is full (SQLite's SQLITE_FULL, ENOSPC or EDQUOT) is told apart: code
// "insufficient_storage" (HTTP 507), since the client may simply try again later.
core::Error storageError(const std::exception& e);

// The answer when the disk is full, and whether an exception says so.
core::Error diskFull();
bool isDiskFull(const std::exception& e);

}  // namespace gongkai::server::store
