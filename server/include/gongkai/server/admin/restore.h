#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/core/signed_note.h"
#include "gongkai/server/admin/verify_log.h"

namespace gongkai::server::admin {

struct RestoreOptions {
  // Trusted checkpoint keys for the verification; empty: the keys the backup itself holds.
  std::vector<core::note::VerifierKey> keys;
  // Check everything a restore would, then remove the restored copy instead of keeping it.
  bool check_only = false;
  // Where the restored store's records go (as StoreOptions::url): empty for store.db in the data
  // folder; for a backup of a PostgreSQL store, the empty database its dump is restored into.
  std::string store_url;
};

struct RestoreReport {
  std::int64_t items = 0;
  std::int64_t bytes = 0;
  VerifyReport verify;    // verify-log --hash-blobs on the restored folder
  bool restored = false;  // the folder is in place at the target (never with check_only)
};

// Restores a backup made by createBackup into `dataDir`, which must be missing or empty. Every
// item is checked against the manifest (kCorrupt naming the item when one is altered, missing or
// not listed, or when the manifest itself is missing or cut off), copied into a temporary
// sibling folder of `dataDir` while it is hashed; a PostgreSQL dump is then restored from that
// copy into the empty database `options.store_url` names (store::RestoredDatabase). The result
// is verified as `verify-log --data-dir … --hash-blobs` would (verifyDataDir). Only when that
// passes is the copy renamed to `dataDir` (and the database kept); when it fails the report says
// why (verify.ok() false, restored false). Whatever fails, no temporary folder is left behind and
// the database is emptied again. kConflict when `dataDir` or the database is not empty,
// kInvalidArgument when the backup is of the other kind of store than `store_url` names,
// kNotFound when `backupDir` is missing, kIo otherwise.
core::Result<RestoreReport> restoreBackup(const std::string& backupDir, const std::string& dataDir,
                                          const RestoreOptions& options);

}  // namespace gongkai::server::admin
