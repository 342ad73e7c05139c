#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"

namespace gongkai::server::store {

// A content-addressed file a snapshot refers to: a blob (blobs/ab/<sha256>) or a bundle
// (archives/<sha256>.tar), with the size the database recorded for it.
struct ReferencedFile {
  std::string sha256;
  std::int64_t size = 0;
};

// What a database snapshot holds, read from the copy itself (SQLite) or inside the very snapshot
// the dump is taken of (PostgreSQL), so that it is exactly what the copy refers to, neither more
// (written after the snapshot) nor less.
struct DatabaseSnapshot {
  std::vector<ReferencedFile> blobs;    // every file of every document version, each once
  std::vector<ReferencedFile> bundles;  // every annual bundle built
  std::int64_t audit_size = 0;          // audit entries in the copy
  int schema_version = 0;
};

// The file a snapshot is written to in a backup: SQLite's database file, or pg_dump's custom
// format of a PostgreSQL database.
inline constexpr std::string_view kSqliteSnapshotFile = "store.db";
inline constexpr std::string_view kPostgresqlSnapshotFile = "store.pgdump";

// The snapshot file's name for the store at `url` (as StoreOptions::url): empty is SQLite.
std::string snapshotFileName(const std::string& url);

// Writes a consistent copy of the store's database to `targetPath` (which must not exist yet)
// while a server may go on writing, and fsyncs it. SQLite (`url` empty, `dataDir`'s store.db):
// VACUUM INTO reads one snapshot inside a read transaction, which in WAL mode never blocks the
// writer, and writes a compact single file, switched out of WAL mode (so opening it never adds
// -wal files beside it). PostgreSQL: a repeatable-read transaction exports its snapshot, reads
// what it refers to, and pg_dump --format=custom dumps that same snapshot; its locks block no
// writer. Fails with kNotFound when there is no database, kUnavailable when pg_dump is not
// installed, kIo when reading or writing fails.
core::Result<DatabaseSnapshot> snapshotDatabase(const std::string& dataDir, const std::string& url,
                                                const std::string& targetPath);

// The database of a store being restored from a snapshot that lies in its (staging) data folder
// under snapshotFileName(url). For SQLite that file already is the database, and this does
// nothing. For PostgreSQL the dump is loaded with pg_restore into the empty database `url` names;
// unless keep() is called, the destructor drops again every table it made, so a restore that
// fails its verification, or only checks, leaves the database empty as it found it.
class RestoredDatabase {
 public:
  // Whether `url`'s database may take a restore: reachable, and for PostgreSQL holding no table
  // (kConflict naming the database otherwise). Always fine for SQLite, whose target is a folder.
  static core::Status checkTarget(const std::string& url);
  // Loads the snapshot in `dataDir` into the database (pg_restore in one transaction, objects
  // owned by the URL's user, no privileges copied) and removes the snapshot file from the folder.
  // kConflict when the database is not empty, kUnavailable without pg_restore, kIo otherwise.
  static core::Result<std::unique_ptr<RestoredDatabase>> load(const std::string& dataDir,
                                                              const std::string& url);
  ~RestoredDatabase();
  RestoredDatabase(const RestoredDatabase&) = delete;
  RestoredDatabase& operator=(const RestoredDatabase&) = delete;
  void keep() { kept_ = true; }

 private:
  explicit RestoredDatabase(std::string url) : url_(std::move(url)) {}
  std::string url_;  // empty for SQLite: nothing to undo
  bool kept_ = false;
};

}  // namespace gongkai::server::store
