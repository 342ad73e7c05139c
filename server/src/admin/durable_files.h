#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>
#include <string>

#include "gongkai/core/result.h"

namespace gongkai::server::admin {

// A file's SHA-256 (lowercase hex) and size, as read.
struct FileDigest {
  std::string sha256;
  std::int64_t size = 0;
};

// Copies `from` to a new file `to` (refused if it exists) with `mode`, hashing the bytes as they
// pass, and fsyncs the copy, so the digest is of what was written and the copy is on disk. A
// partial copy is removed on failure. kNotFound when `from` is missing, kIo otherwise.
core::Result<FileDigest> copyHashed(const std::string& from, const std::string& to, mode_t mode);

// Reads `path` through and returns its digest; kNotFound when missing, kIo when unreadable.
core::Result<FileDigest> hashFile(const std::string& path);

// Makes a file's contents durable (fsync); false on failure.
bool syncFile(const std::string& path);

// Makes the names in `folder` durable (fsync of the folder itself); false on failure.
bool syncFolder(const std::string& folder);

// Makes durable the names in each of `folders` and in every folder between them and `root`
// (root included): a new file's name needs each new folder's own name in its parent too.
// Returns the first folder that could not be synced, or "" when all were.
std::string syncFoldersUpTo(const std::set<std::string>& folders, const std::string& root);

}  // namespace gongkai::server::admin
