#include "gongkai/server/store/database_snapshot.h"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "gongkai/server/store/store.h"
#include "postgresql_programs.h"
#include "store_internal.h"

namespace gongkai::server::store {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;
using core::Error;
using core::ErrorCode;

std::vector<ReferencedFile> referencedFiles(SqlSession& db, const std::string& sql) {
  std::vector<std::string> digests;
  std::vector<Poco::Int64> sizes;
  db << sql, into(digests), into(sizes), now;
  std::vector<ReferencedFile> files(digests.size());
  for (std::size_t i = 0; i < files.size(); ++i) files[i] = {digests[i], sizes[i]};
  return files;
}

// What the database, as `db` sees it, refers to.
DatabaseSnapshot describe(SqlSession& db) {
  DatabaseSnapshot snapshot;
  // The same contents may be filed under several names or documents: one copy is enough.
  snapshot.blobs =
      referencedFiles(db, "SELECT sha256, MAX(size) FROM files GROUP BY sha256 ORDER BY sha256");
  snapshot.bundles =
      referencedFiles(db, "SELECT sha256, MAX(size) FROM archives GROUP BY sha256 ORDER BY sha256");
  Poco::Int64 auditSize = 0;
  db << "SELECT COUNT(*) FROM audit_log", into(auditSize), now;
  snapshot.audit_size = auditSize;
  db << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(snapshot.schema_version),
      now;
  return snapshot;
}

// Reads from the copy what it refers to, after taking it out of WAL mode: a backup is one file.
DatabaseSnapshot describeCopy(const std::string& path) {
  SqlSession copy(std::make_unique<Poco::Data::Session>("SQLite", path), SqlDialect::sqlite());
  std::string journalMode;
  copy << "PRAGMA journal_mode = DELETE", into(journalMode), now;
  return describe(copy);
}

core::Result<DatabaseSnapshot> copySqlite(ReadSession& reader, const std::string& targetPath) {
  std::string target = targetPath;
  reader.session() << "VACUUM INTO ?", use(target), now;
  return describeCopy(targetPath);
}

// The dump is of the snapshot this transaction exported, which stays valid while it is open.
core::Result<DatabaseSnapshot> dumpPostgresql(ReadSession& reader, const Database& database,
                                              const std::string& targetPath) {
  core::Result<DatabaseSnapshot> result = DatabaseSnapshot{};
  withSnapshot(reader, [&] {
    std::string snapshotId;
    reader.session() << "SELECT pg_export_snapshot()", into(snapshotId), now;
    DatabaseSnapshot snapshot = describe(reader.session());
    // The leases are the running servers' (who is alive, who writes the index), not records: a
    // restored database starts without them, or its first server would wait for them to expire.
    const core::Status dumped =
        runPostgresqlProgram("pg_dump",
                             {"--format=custom", "--snapshot=" + snapshotId,
                              "--exclude-table-data=leases", "--file=" + targetPath},
                             database);
    if (dumped.ok()) {
      result = std::move(snapshot);
    } else {
      result = dumped.error();
    }
  });
  return result;
}

bool syncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  return synced;
}

// A PostgreSQL name as an identifier in a statement.
std::string quotedName(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Every table outside PostgreSQL's own schemas, schema-qualified and quoted.
std::vector<std::string> userTables(SqlSession& db) {
  std::vector<std::string> schemas, tables;
  db << "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
      into(schemas), into(tables), now;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    tables[i] = quotedName(schemas[i]) + "." + quotedName(tables[i]);
  }
  return tables;
}

core::Status checkEmpty(SqlSession& db, const Database& database) {
  if (userTables(db).empty()) return core::okStatus();
  return Error::make(ErrorCode::kConflict, "database_not_empty",
                     "目标数据库不为空，恢复只写入新的或空的数据库 (the target database is not "
                     "empty; a restore only writes a new or empty one): " +
                         database.name);
}

Error databaseError(const std::string& what, const Poco::Exception& e) {
  return Error::make(ErrorCode::kIo, "storage_error", what + ": " + e.displayText());
}

}  // namespace

std::string snapshotFileName(const std::string& url) {
  return std::string(url.empty() ? kSqliteSnapshotFile : kPostgresqlSnapshotFile);
}

core::Result<DatabaseSnapshot> snapshotDatabase(const std::string& dataDir, const std::string& url,
                                                const std::string& targetPath) {
  auto database = databaseOf(dataDir, url);
  if (!database.ok()) return database.error();
  auto reader = openReader(dataDir, url);
  if (!reader.ok()) return reader.error();
  try {
    auto snapshot = database.value().dialect->backend() == SqlBackend::kSqlite
                        ? copySqlite(*reader.value(), targetPath)
                        : dumpPostgresql(*reader.value(), database.value(), targetPath);
    reader.value().reset();
    if (!snapshot.ok()) return snapshot.error();
    if (!syncFile(targetPath)) {
      return Error::make(ErrorCode::kIo, "storage_error",
                         "无法写入数据库副本 (cannot sync the database copy) " + targetPath);
    }
    return snapshot;
  } catch (const Poco::Exception& e) {
    return databaseError("无法复制数据库 (cannot copy the database)", e);
  } catch (const std::exception& e) {
    return Error::make(ErrorCode::kIo, "storage_error",
                       std::string("无法复制数据库 (cannot copy the database): ") + e.what());
  }
}

core::Status RestoredDatabase::checkTarget(const std::string& url) {
  if (url.empty()) return core::okStatus();
  auto database = databaseOf("", url);
  if (!database.ok()) return database.error();
  try {
    return checkEmpty(*openSession(database.value()), database.value());
  } catch (const Poco::Exception& e) {
    return databaseError("无法打开数据库 (cannot open database) " + database.value().name, e);
  }
}

core::Result<std::unique_ptr<RestoredDatabase>> RestoredDatabase::load(const std::string& dataDir,
                                                                       const std::string& url) {
  if (url.empty()) return std::unique_ptr<RestoredDatabase>(new RestoredDatabase(""));
  if (auto target = checkTarget(url); !target.ok()) return target.error();
  auto database = databaseOf(dataDir, url);
  if (!database.ok()) return database.error();
  const std::string dump = (fs::path(dataDir) / kPostgresqlSnapshotFile).string();
  // One transaction: a dump that fails half-way leaves nothing behind. The objects belong to
  // the URL's user, and the source's grants (to roles the target may not have) are left out.
  if (auto loaded = runPostgresqlProgram(
          "pg_restore",
          {"--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", dump},
          database.value());
      !loaded.ok()) {
    return loaded.error();
  }
  auto restored = std::unique_ptr<RestoredDatabase>(new RestoredDatabase(url));
  std::error_code error;
  fs::remove(dump, error);
  if (error) {
    return Error::make(ErrorCode::kIo, "io_error",
                       "无法删除 (cannot remove) " + dump + ": " + error.message());
  }
  return restored;
}

RestoredDatabase::~RestoredDatabase() {
  if (kept_ || url_.empty()) return;
  // The database was empty before load(): every table in it now is the restore's.
  try {
    auto database = databaseOf("", url_);
    if (!database.ok()) return;
    auto db = openSession(database.value());
    const std::vector<std::string> tables = userTables(*db);
    if (tables.empty()) return;
    std::string names;
    for (const auto& table : tables) names += (names.empty() ? "" : ", ") + table;
    *db << "DROP TABLE " + names + " CASCADE", now;
  } catch (const Poco::Exception&) {
    // Left as it is; the next restore into it is refused as not empty, naming it.
  }
}

}  // namespace gongkai::server::store
