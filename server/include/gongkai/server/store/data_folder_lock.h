#pragma once

#include <memory>
#include <string>

#include "gongkai/core/result.h"

namespace gongkai::server::store {

// An exclusive claim on a data folder by the one program that writes it: the server, or
// `gongkai user add` / `rotate-key` while the server is stopped. A second writer on a live folder
// would corrupt the first one's view (its audited writes then fail on the audit sequence, its
// index rebuild deletes the live index, its stop removes server.port), so it is refused with a
// clear message instead. The claim is flock(2) on DATA_DIR/lock, which the kernel drops when the
// holder exits, kill -9 included; the file keeps the holder's pid for the message. Readers
// (verify-log beside a live server) take no claim.
class DataFolderLock {
 public:
  // Claims `dataDir` (created if missing), or kUnavailable naming the folder and the holder.
  static core::Result<std::unique_ptr<DataFolderLock>> acquire(const std::string& dataDir);
  ~DataFolderLock();
  DataFolderLock(const DataFolderLock&) = delete;
  DataFolderLock& operator=(const DataFolderLock&) = delete;

 private:
  explicit DataFolderLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// kUnavailable, saying the folder is read-only or not ours, when this process may not write the
// existing folder `dataDir`. acquire() finds that out by itself; servers sharing a PostgreSQL
// database, which share the folder and take no claim, ask this instead.
core::Status checkWritableFolder(const std::string& dataDir);

}  // namespace gongkai::server::store
