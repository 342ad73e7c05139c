#include "gongkai/server/store/database_snapshot.h"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "gongkai/server/store/store.h"
#include "store_internal.h"

namespace gongkai::server::store {
namespace {

using namespace Poco::Data::Keywords;
using core::Error;
using core::ErrorCode;

std::vector<ReferencedFile> referencedFiles(Poco::Data::Session& copy, const std::string& sql) {
  std::vector<std::string> digests;
  std::vector<Poco::Int64> sizes;
  copy << sql, into(digests), into(sizes), now;
  std::vector<ReferencedFile> files(digests.size());
  for (std::size_t i = 0; i < files.size(); ++i) files[i] = {digests[i], sizes[i]};
  return files;
}

// Reads from the copy what it refers to, after taking it out of WAL mode: a backup is one file.
DatabaseSnapshot describeCopy(const std::string& path) {
  Poco::Data::Session copy("SQLite", path);
  std::string journalMode;
  copy << "PRAGMA journal_mode = DELETE", into(journalMode), now;
  DatabaseSnapshot snapshot;
  // The same contents may be filed under several names or documents: one copy is enough.
  snapshot.blobs =
      referencedFiles(copy, "SELECT sha256, MAX(size) FROM files GROUP BY sha256 ORDER BY sha256");
  snapshot.bundles = referencedFiles(
      copy, "SELECT sha256, MAX(size) FROM archives GROUP BY sha256 ORDER BY sha256");
  Poco::Int64 auditSize = 0;
  copy << "SELECT COUNT(*) FROM audit_log", into(auditSize), now;
  snapshot.audit_size = auditSize;
  copy << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(snapshot.schema_version),
      now;
  return snapshot;
}

}  // namespace

core::Result<DatabaseSnapshot> snapshotDatabase(const std::string& dataDir,
                                                const std::string& targetPath) {
  auto reader = openReader(dataDir);
  if (!reader.ok()) return reader.error();
  try {
    std::string target = targetPath;
    reader.value()->session() << "VACUUM INTO ?", use(target), now;
    reader.value().reset();
    DatabaseSnapshot snapshot = describeCopy(targetPath);
    const int fd = ::open(targetPath.c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!synced) {
      return Error::make(ErrorCode::kIo, "storage_error",
                         "无法写入数据库副本 (cannot sync the database copy) " + targetPath);
    }
    return snapshot;
  } catch (const Poco::Exception& e) {
    return Error::make(ErrorCode::kIo, "storage_error",
                       "无法复制数据库 (cannot copy the database): " + e.displayText());
  } catch (const std::exception& e) {
    return Error::make(ErrorCode::kIo, "storage_error",
                       std::string("无法复制数据库 (cannot copy the database): ") + e.what());
  }
}

}  // namespace gongkai::server::store
