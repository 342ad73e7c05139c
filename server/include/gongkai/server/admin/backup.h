#pragma once

#include <cstdint>
#include <string>

#include "gongkai/core/result.h"

namespace gongkai::server::admin {

struct BackupReport {
  std::int64_t blobs = 0;    // files of documents copied (each content once)
  std::int64_t bundles = 0;  // annual bundles copied
  std::int64_t keys = 0;     // key files copied
  std::int64_t bytes = 0;    // everything copied, the database included
  std::int64_t audit_size = 0;
  int schema_version = 0;
};

// Copies a data folder and its store's database (`storeUrl` as StoreOptions::url: empty for the
// folder's SQLite store.db), while its server may be running, into `backupDir` (created with mode
// 0700, or an existing empty folder; anything else is refused): a consistent snapshot of the
// database (store::snapshotDatabase: a copy of store.db, or a pg_dump), the blobs and bundles that
// snapshot refers to and no others, each hashed as it is copied and checked against its content
// name, and the files in keys/ (mode 0600). The search index is left out: the server rebuilds it
// from the database. A manifest of every item with size and SHA-256 is written last and fsynced; a
// folder without one is an incomplete backup. Takes no data-folder lock and holds no write lock on
// the database. On failure nothing of the backup is left in `backupDir`. kConflict when `backupDir`
// is not empty, kNotFound when there is no database, kCorrupt when the data folder's own files do
// not match what its database says (the message names the file), kIo otherwise.
core::Result<BackupReport> createBackup(const std::string& dataDir, const std::string& storeUrl,
                                        const std::string& backupDir);

}  // namespace gongkai::server::admin
