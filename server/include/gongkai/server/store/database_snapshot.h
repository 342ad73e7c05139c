#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gongkai/core/result.h"

namespace gongkai::server::store {

// A content-addressed file a snapshot refers to: a blob (blobs/ab/<sha256>) or a bundle
// (archives/<sha256>.tar), with the size the database recorded for it.
struct ReferencedFile {
  std::string sha256;
  std::int64_t size = 0;
};

// What a database snapshot holds, read from the copy itself so that it is exactly what the copy
// refers to, neither more (written after the snapshot) nor less.
struct DatabaseSnapshot {
  std::vector<ReferencedFile> blobs;    // every file of every document version, each once
  std::vector<ReferencedFile> bundles;  // every annual bundle built
  std::int64_t audit_size = 0;          // audit entries in the copy
  int schema_version = 0;
};

// Writes a consistent copy of `dataDir`'s database to `targetPath` (which must not exist yet)
// while a server may go on writing: SQLite's VACUUM INTO reads one snapshot inside a read
// transaction, which in WAL mode never blocks the writer, and writes a compact single file. The
// copy is switched out of WAL mode (so opening it never adds -wal files beside it) and fsynced.
// Fails with kNotFound when the folder holds no database, kIo when reading or writing fails.
core::Result<DatabaseSnapshot> snapshotDatabase(const std::string& dataDir,
                                                const std::string& targetPath);

}  // namespace gongkai::server::store
