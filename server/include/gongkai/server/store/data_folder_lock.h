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

}  // namespace gongkai::server::store
