#include "gongkai/server/store/store.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>
#ifdef GONGKAI_WITH_POSTGRESQL
#include <Poco/Data/PostgreSQL/Connector.h>
#endif

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/json.h"
#include "gongkai/core/metrics.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/data_folder_lock.h"
#include "gongkai/server/store/merkle_repository.h"
#include "gongkai/server/store/storage_error.h"
#include "gongkai/server/thread_name.h"
#include "migrations.h"
#include "store_internal.h"

namespace gongkai::server::store {
namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;
using core::Error;
using core::ErrorCode;
using Poco::Data::Session;

namespace {

// A value in a libpq key=value connection string.
std::string libpqQuoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) out += (c == '\'' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "'";
}

void registerConnectors() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    Poco::Data::SQLite::Connector::registerConnector();
#ifdef GONGKAI_WITH_POSTGRESQL
    Poco::Data::PostgreSQL::Connector::registerConnector();
#endif
  });
}

}  // namespace

std::unique_ptr<SqlSession> openSession(const Database& database) {
  registerConnectors();
  std::string connection = database.connection;
  if (!database.password.empty()) connection += " password=" + libpqQuoted(database.password);
  auto session = std::make_unique<Session>(database.dialect->connector(), connection);
  sqlite3* handle = nullptr;
  if (database.dialect->backend() == SqlBackend::kSqlite) {
    *session << "PRAGMA busy_timeout = 10000", now;
    *session << "PRAGMA foreign_keys = ON", now;
    // FULL: each commit is on disk before it is acknowledged, even across power loss.
    *session << "PRAGMA synchronous = FULL", now;
    handle = Poco::Data::SQLite::Utility::dbHandle(*session);
  }
  return std::make_unique<SqlSession>(std::move(session), *database.dialect, handle);
}

namespace {

// Opens a write transaction; with PostgreSQL it waits for the writers' turn (SqlDialect).
void beginWrite(SqlSession& session) {
  session.execute(session.dialect().beginWrite());
  const std::string turn = session.dialect().writerTurn();
  if (turn.empty()) return;
  Poco::Int64 taken = 0;
  session << turn, into(taken), now;
}

// Brings the schema up to this build's newest migration. A database that an upgraded server
// already migrated further is refused rather than run by an older build that cannot know what
// the newer tables mean (a downgrade restores the backup taken before the upgrade instead).
core::Status applyMigrations(SqlSession& session, int& schemaVersion) {
  const SqlDialect& dialect = session.dialect();
  session << dialect.migrationStatement(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at TEXT NOT NULL)"),
      now;
  int current = 0;
  session << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(current), now;
  const bool postgresql = dialect.backend() == SqlBackend::kPostgresql;
  const std::vector<Migration>& known = postgresql ? postgresqlMigrations() : migrations();
  if (current > known.back().version) {
    return Error::make(ErrorCode::kConflict, "schema_too_new",
                       "数据库的结构版本 " + std::to_string(current) + " 新于本程序所知的 " +
                           std::to_string(known.back().version) +
                           "，请使用升级后的程序 (the database's schema version is newer than "
                           "this build knows; run the upgraded build)");
  }
  for (const Migration& migration : known) {
    if (migration.version <= current) continue;
    beginWrite(session);
    try {
      // Another server sharing the database may have applied it while this one waited.
      int applied = 0;
      session << "SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
          bind(migration.version), into(applied), now;
      if (applied > 0) {
        session << "COMMIT", now;
        current = migration.version;
        continue;
      }
      for (const std::string& statement : migration.statements) {
        session << dialect.migrationStatement(statement), now;
      }
      session << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
          bind(migration.version), bind(migration.name), bind(core::formatRfc3339(core::nowUtc())),
          now;
      session << "COMMIT", now;
    } catch (...) {
      session << "ROLLBACK", now;
      throw;
    }
    current = migration.version;
  }
  schemaVersion = current;
  return core::okStatus();
}

struct Job {
  std::function<core::Status(Transaction&)> work;
  std::promise<core::Status> done;
};

// Idle reader connections, reused so a request does not pay for opening the database.
class ReaderPool {
 public:
  ReaderPool(Database database, int maxIdle) : database_(std::move(database)), maxIdle_(maxIdle) {}
  std::unique_ptr<SqlSession> take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto session = std::move(idle_.back());
        idle_.pop_back();
        return session;
      }
    }
    return openSession(database_);
  }
  void giveBack(std::unique_ptr<SqlSession> session) {
    std::lock_guard lock(mutex_);
    if (static_cast<int>(idle_.size()) < maxIdle_) idle_.push_back(std::move(session));
  }

 private:
  Database database_;
  int maxIdle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<SqlSession>> idle_;
};

class PooledReadSession : public ReadSession {
 public:
  PooledReadSession(ReaderPool& pool) : pool_(pool), session_(pool.take()) {}
  ~PooledReadSession() override { pool_.giveBack(std::move(session_)); }
  SqlSession& session() override { return *session_; }

 private:
  ReaderPool& pool_;
  std::unique_ptr<SqlSession> session_;
};

}  // namespace

Poco::Nullable<std::string> nullable(const std::optional<std::string>& value) {
  return value ? Poco::Nullable<std::string>(*value) : Poco::Nullable<std::string>();
}

Poco::Nullable<std::string> unitList(const std::optional<std::vector<std::string>>& units) {
  if (!units) return {};
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const auto& unit : *units) array->add(unit);
  return core::canonicalJson(array);
}

AuditTail loadAuditTail(SqlSession& session) {
  AuditTail tail;
  tail.hash = std::string(core::kGenesisHash);
  std::vector<Poco::Int64> seqs;
  std::vector<std::string> hashes, entries;
  session << "SELECT seq, entry_hash, entry FROM audit_log ORDER BY seq DESC LIMIT 1", into(seqs),
      into(hashes), into(entries), now;
  if (!seqs.empty()) {
    tail.seq = seqs[0];
    tail.hash = hashes[0];
    auto entry = core::parseAuditEntry(entries[0]);
    if (entry.ok()) tail.time = entry.value().time;
  }
  BorrowedReadSession rs(session);
  const std::uint64_t leaves = MerkleRepository::leafCount(rs);
  const auto ids = core::merkle::frontierNodes(leaves);
  const auto stored = MerkleRepository::nodes(rs, ids);
  std::vector<core::merkle::Hash> frontier;
  for (const auto& id : ids) {
    const auto found = stored.find(id);
    if (found == stored.end()) {
      throw Poco::DataException("Merkle tree node missing at level " + std::to_string(id.level) +
                                " index " + std::to_string(id.index));
    }
    frontier.push_back(found->second);
  }
  auto tree = core::merkle::TreeBuilder::resume(leaves, frontier);
  if (!tree.ok()) throw Poco::DataException(tree.error().message);
  tail.tree = std::move(tree).value();
  return tail;
}

core::Status catchUpMerkleTree(Transaction& tx) {
  AuditTail& tail = tx.auditTail();
  if (tail.tree.size() > static_cast<std::uint64_t>(tail.seq)) {
    return Error::make(
        ErrorCode::kCorrupt, "merkle_tree_ahead",
        "默克尔树的叶子多于审计记录 (the Merkle tree has more leaves than the audit log)");
  }
  BorrowedReadSession rs(tx.session());
  while (tail.tree.size() < static_cast<std::uint64_t>(tail.seq)) {
    const auto entries =
        AuditRepository::list(rs, static_cast<std::int64_t>(tail.tree.size()), 10000);
    for (const auto& entry : entries) {
      if (entry.seq != static_cast<std::int64_t>(tail.tree.size()) + 1) {
        return Error::make(
            ErrorCode::kCorrupt, "sequence_gap",
            "审计记录序号不连续 (audit log has a gap) at " + std::to_string(entry.seq));
      }
      MerkleRepository::insertNodes(tx, tail.tree.add(core::merkle::leafHash(entry.bytes)));
    }
  }
  return core::okStatus();
}

struct Store::Impl {
  std::string dataDir;
  Database database;
  StoreOptions options;
  BlobStore blobs;
  int schemaVersion = 0;

  std::unique_ptr<SqlSession> writer;
  AuditTail tail;
  std::function<void(Transaction&)> unitHook;
  std::function<void()> commitListener;
  // Held by the writer through each batch, and by setUnitHook and setCommitListener: a hook is
  // never replaced, or its owner gone, while a batch may still call it.
  std::mutex hookMutex;
  std::mutex queueMutex;
  std::condition_variable queueReady;
  std::deque<Job> queue;
  bool closing = false;
  std::thread writerThread;

  ReaderPool readers;
  // Units of work per batch, and how long each batch's COMMIT (its fsync) took.
  core::metrics::Histogram batchUnits{std::vector<double>(core::metrics::kCountBuckets.begin(),
                                                          core::metrics::kCountBuckets.end())};
  core::metrics::Histogram commitSeconds{std::vector<double>(core::metrics::kSecondsBuckets.begin(),
                                                             core::metrics::kSecondsBuckets.end())};

  Impl(std::string dir, Database db, StoreOptions opts, BlobStore blobStore)
      : dataDir(std::move(dir)),
        database(std::move(db)),
        options(opts),
        blobs(std::move(blobStore)),
        readers(database, opts.max_readers) {}

  void writerLoop() {
    while (true) {
      std::vector<Job> batch;
      {
        std::unique_lock lock(queueMutex);
        queueReady.wait(lock, [&] { return closing || !queue.empty(); });
        if (queue.empty()) return;  // closing and drained
        while (!queue.empty() && static_cast<int>(batch.size()) < options.max_batch) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      std::lock_guard hookLock(hookMutex);
      runBatch(batch);
    }
  }

  void runBatch(std::vector<Job>& batch) {
    std::vector<core::Status> results(batch.size(), core::okStatus());
    SqlSession& session = *writer;
    try {
      beginWrite(session);
      // Other servers sharing a PostgreSQL database may have written since this one last did.
      if (database.dialect->backend() == SqlBackend::kPostgresql) refreshAuditTail(session);
    } catch (const Poco::Exception& e) {
      try {
        session << "ROLLBACK", now;
      } catch (const Poco::Exception&) {
        // No transaction was opened.
      }
      for (auto& job : batch) job.done.set_value(storageError(e));
      return;
    }
    Transaction tx(session, tail);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const AuditTail before = tail;
      core::Status status = core::okStatus();
      try {
        session.execute("SAVEPOINT unit_of_work");
        status = batch[i].work(tx);
      } catch (const Poco::Exception& e) {
        status = storageError(e);
      } catch (const std::exception& e) {
        status = Error::make(ErrorCode::kInternal, "internal_error", e.what());
      }
      try {
        if (status.ok()) {
          session.execute("RELEASE unit_of_work");
        } else {
          session.execute("ROLLBACK TO unit_of_work");
          session.execute("RELEASE unit_of_work");
          tail = before;
        }
      } catch (const Poco::Exception& e) {
        // The savepoint itself is broken (e.g. the disk failed): nothing in the batch can stand.
        results[i] = std::move(status);
        return abortBatch(batch, results, storageError(e));
      }
      if (status.ok() && unitHook) runUnitHook(tx);
      results[i] = std::move(status);
    }
    try {
      const auto committing = std::chrono::steady_clock::now();
      session.execute("COMMIT");
      commitSeconds.observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - committing).count());
      batchUnits.observe(static_cast<double>(batch.size()));
    } catch (const Poco::Exception& e) {
      return abortBatch(batch, results, storageError(e));
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done.set_value(std::move(results[i]));
    if (commitListener) commitListener();
  }

  // Reads the tail again when the log grew under another writer (the turn is ours meanwhile).
  void refreshAuditTail(SqlSession& session) {
    Poco::Int64 last = 0;
    session << "SELECT COALESCE(MAX(seq), 0) FROM audit_log", into(last), now;
    if (last != tail.seq) tail = loadAuditTail(session);
  }

  void runUnitHook(Transaction& tx) {
    const AuditTail before = tail;
    try {
      writer->execute("SAVEPOINT unit_hook");
      try {
        unitHook(tx);
        writer->execute("RELEASE unit_hook");
      } catch (const std::exception&) {
        writer->execute("ROLLBACK TO unit_hook");
        writer->execute("RELEASE unit_hook");
        tail = before;
      }
    } catch (const Poco::Exception&) {
      // A broken savepoint shows up again, and is handled, at COMMIT.
    }
  }

  void abortBatch(std::vector<Job>& batch, std::vector<core::Status>& results, const Error& error) {
    try {
      *writer << "ROLLBACK", now;
    } catch (const Poco::Exception&) {
      // Already rolled back by SQLite itself.
    }
    try {
      tail = loadAuditTail(*writer);
    } catch (const Poco::Exception&) {
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // Units that failed on their own keep their own error; the rest share the batch's fate.
      const bool ownFailure = !results[i].ok();
      batch[i].done.set_value(ownFailure ? std::move(results[i]) : core::Status(error));
    }
  }
};

std::string databasePath(const std::string& dataDir) {
  return (fs::path(dataDir) / "store.db").string();
}

namespace {

class StandaloneReadSession : public ReadSession {
 public:
  explicit StandaloneReadSession(std::unique_ptr<SqlSession> session)
      : session_(std::move(session)) {}
  SqlSession& session() override { return *session_; }

 private:
  std::unique_ptr<SqlSession> session_;
};

Database sqliteDatabase(const std::string& dataDir) {
  const std::string path = databasePath(dataDir);
  return {&SqlDialect::sqlite(), path, "", path};
}

// postgresql://[user[:password]@]host[:port]/dbname[?key=value&...] as libpq's key=value string
// (Poco's connector adds its own connect_timeout to the string, which a URL would not take).
core::Result<Database> postgresqlDatabase(const std::string& url) {
#ifndef GONGKAI_WITH_POSTGRESQL
  return Error::make(ErrorCode::kUnsupported, "postgresql_not_built",
                     "此版本未包含 PostgreSQL 支持 (this build has no PostgreSQL backend)");
#else
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    return Error::make(ErrorCode::kInvalidArgument, "bad_store_url",
                       "数据库地址无效 (bad store URL): " + e.displayText());
  }
  std::string connection;
  const auto add = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) {
      connection += (connection.empty() ? "" : " ") + key + "=" + libpqQuoted(value);
    }
  };
  add("host", uri.getHost());
  if (uri.getPort() != 0) add("port", std::to_string(uri.getPort()));
  const std::string& userInfo = uri.getUserInfo();
  const auto colon = userInfo.find(':');
  add("user", userInfo.substr(0, colon));
  add("dbname", uri.getPath().empty() ? "" : uri.getPath().substr(1));
  for (const auto& [key, value] : uri.getQueryParameters()) add(key, value);
  Poco::URI shown(uri);
  shown.setUserInfo(userInfo.substr(0, colon));
  return Database{&SqlDialect::postgresql(), connection,
                  colon == std::string::npos ? "" : userInfo.substr(colon + 1), shown.toString()};
#endif
}

// Whether a PostgreSQL database holds a store's tables, for tools that must not make one up.
bool holdsStore(SqlSession& session) {
  int found = 0;
  session << "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END",
      into(found), now;
  return found == 1;
}

}  // namespace

core::Result<Database> databaseOf(const std::string& dataDir, const std::string& url) {
  if (url.empty()) return sqliteDatabase(dataDir);
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return postgresqlDatabase(url);
  }
  return Error::make(ErrorCode::kInvalidArgument, "bad_store_url",
                     "数据库地址须为空或 postgresql://... (the store URL must be empty or "
                     "postgresql://...): " +
                         url);
}

core::Result<std::unique_ptr<ReadSession>> openReader(const std::string& dataDir,
                                                      const std::string& url) {
  auto database = databaseOf(dataDir, url);
  if (!database.ok()) return database.error();
  const bool sqlite = database.value().dialect->backend() == SqlBackend::kSqlite;
  const auto noDatabase = [&] {
    return Error::make(ErrorCode::kNotFound, "no_database",
                       sqlite ? "数据目录中没有数据库 (no database in) " + dataDir
                              : "数据库中没有 Gongkai 的表 (no Gongkai tables in the database) " +
                                    database.value().name);
  };
  std::error_code ec;
  if (sqlite && !fs::is_regular_file(database.value().connection, ec)) return noDatabase();
  try {
    auto session = openSession(database.value());
    if (!sqlite && !holdsStore(*session)) return noDatabase();
    return std::unique_ptr<ReadSession>(new StandaloneReadSession(std::move(session)));
  } catch (const Poco::Exception& e) {
    return Error::make(
        ErrorCode::kIo, "storage_error",
        "无法打开数据库 (cannot open database) " + database.value().name + ": " + e.displayText());
  }
}

void withSnapshot(ReadSession& session, const std::function<void()>& reads) {
  session.session() << session.session().dialect().beginSnapshot(), now;
  try {
    reads();
  } catch (...) {
    session.session() << "ROLLBACK", now;
    throw;
  }
  session.session() << "COMMIT", now;
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() { close(); }

core::Result<std::unique_ptr<Store>> Store::open(const std::string& dataDir, StoreOptions options) {
  auto database = databaseOf(dataDir, options.url);
  if (!database.ok()) return database.error();
  std::error_code ec;
  fs::create_directories(dataDir, ec);
  if (ec) {
    return Error::make(
        ErrorCode::kIo, "storage_error",
        "无法创建数据目录 (cannot create data folder) " + dataDir + ": " + ec.message());
  }
  // SQLite's servers find a read-only folder out when they claim it (DataFolderLock); those
  // sharing a PostgreSQL database claim nothing, and would fail later, less clearly.
  if (database.value().dialect->backend() == SqlBackend::kPostgresql) {
    if (auto writable = checkWritableFolder(dataDir); !writable.ok()) return writable.error();
  }
  auto blobs = BlobStore::open(dataDir);
  if (!blobs.ok()) return blobs.error();
  auto impl = std::make_unique<Impl>(dataDir, std::move(database).value(), options,
                                     std::move(blobs).value());
  try {
    impl->writer = openSession(impl->database);
    if (impl->database.dialect->backend() == SqlBackend::kSqlite) {
      std::string journalMode;
      *impl->writer << "PRAGMA journal_mode = WAL", into(journalMode), now;
      if (journalMode != "wal") {
        return Error::make(ErrorCode::kIo, "storage_error",
                           "无法启用 WAL (cannot enable WAL): " + journalMode);
      }
    }
    if (auto migrated = applyMigrations(*impl->writer, impl->schemaVersion); !migrated.ok()) {
      return migrated.error();
    }
    beginWrite(*impl->writer);
    impl->tail = loadAuditTail(*impl->writer);
    Transaction tx(*impl->writer, impl->tail);
    const core::Status caughtUp = catchUpMerkleTree(tx);
    *impl->writer << (caughtUp.ok() ? "COMMIT" : "ROLLBACK"), now;
    if (!caughtUp.ok()) return caughtUp.error();
  } catch (const Poco::Exception& e) {
    return Error::make(
        ErrorCode::kIo, "storage_error",
        "无法打开数据库 (cannot open database) " + impl->database.name + ": " + e.displayText());
  }
  Impl* raw = impl.get();
  impl->writerThread = std::thread([raw] {
    nameThisThread("gk-store-write");
    raw->writerLoop();
  });
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

core::Status Store::write(std::function<core::Status(Transaction&)> work) {
  Job job{std::move(work), {}};
  std::future<core::Status> done = job.done.get_future();
  {
    std::lock_guard lock(impl_->queueMutex);
    if (impl_->closing) {
      return Error::make(ErrorCode::kUnavailable, "shutting_down",
                         "服务正在关闭 (server is shutting down)");
    }
    impl_->queue.push_back(std::move(job));
  }
  impl_->queueReady.notify_one();
  return done.get();
}

void Store::writeMetrics(core::metrics::TextWriter& out) const {
  out.histogram("gongkai_store_batch_units", "Units of work committed together per write batch.",
                impl_->batchUnits.snapshot());
  out.histogram("gongkai_store_commit_seconds",
                "Time a write batch's COMMIT took (the fsync that makes it durable).",
                impl_->commitSeconds.snapshot());
  std::size_t queued = 0;
  {
    std::lock_guard lock(impl_->queueMutex);
    queued = impl_->queue.size();
  }
  out.gauge("gongkai_store_write_queue", "Units of work waiting for the writer.",
            static_cast<double>(queued));
}

void Store::setUnitHook(std::function<void(Transaction&)> hook) {
  std::lock_guard lock(impl_->hookMutex);
  impl_->unitHook = std::move(hook);
}

void Store::setCommitListener(std::function<void()> listener) {
  std::lock_guard lock(impl_->hookMutex);
  impl_->commitListener = std::move(listener);
}

std::unique_ptr<ReadSession> Store::read() {
  return std::make_unique<PooledReadSession>(impl_->readers);
}

const BlobStore& Store::blobs() const { return impl_->blobs; }
const std::string& Store::dataDir() const { return impl_->dataDir; }
int Store::schemaVersion() const { return impl_->schemaVersion; }

int latestSchemaVersion() { return migrations().back().version; }

void Store::close() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->queueMutex);
    if (impl_->closing && !impl_->writerThread.joinable()) return;
    impl_->closing = true;
  }
  impl_->queueReady.notify_all();
  if (impl_->writerThread.joinable()) impl_->writerThread.join();
}

}  // namespace gongkai::server::store
