#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gongkai/core/metrics.h"
#include "gongkai/core/result.h"
#include "gongkai/server/store/blob_store.h"

namespace gongkai::server::store {

// A write transaction handed to one unit of work. Only the repositories look inside.
class Transaction;
// A database connection with the SQL dialect of its backend. Only the repositories look inside.
class SqlSession;

// A connection for reads. Only the repositories use session(); everyone else just holds it.
class ReadSession {
 public:
  virtual ~ReadSession() = default;
  virtual SqlSession& session() = 0;
};

struct StoreOptions {
  // Most units of work committed together (group commit). 1 turns batching off.
  int max_batch = 256;
  // Reader connections kept open.
  int max_readers = 32;
  // Where the records are kept: empty for the embedded SQLite database in the data folder;
  // postgresql://[user[:password]@]host[:port]/dbname[?key=value...] for a PostgreSQL database
  // (the blobs and bundles stay in the data folder, which servers sharing that database share).
  std::string url;
};

// The store: by default one embedded SQLite database in WAL mode (store.db), or a PostgreSQL
// database (StoreOptions::url), and a content-addressed blob store under one data folder. Writes go
// through a single writer thread that commits queued units of work together, so one fsync
// acknowledges many writes; readers run concurrently. Thread-safe.
class Store {
 public:
  // Opens or creates the data folder and brings the schema up to date (numbered migrations).
  static core::Result<std::unique_ptr<Store>> open(const std::string& dataDir,
                                                   StoreOptions options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `work` in the writer thread inside a savepoint of the current batch's transaction and
  // returns once the batch is durably committed. An error result, or an exception, from `work`
  // undoes exactly its own changes. Fails with kUnavailable after close().
  core::Status write(std::function<core::Status(Transaction&)> work);

  // Typed convenience over write(): `work` fills the value returned on success.
  template <typename T>
  core::Result<T> write(std::function<core::Result<T>(Transaction&)> work) {
    std::optional<T> out;
    core::Status status = write([&](Transaction& tx) -> core::Status {
      core::Result<T> result = work(tx);
      if (!result.ok()) return result.error();
      out = std::move(result).value();
      return core::okStatus();
    });
    if (!status.ok()) return status.error();
    return std::move(*out);
  }

  // Runs `hook` in the writer after each unit of work that succeeded, inside the same batch
  // transaction and its own savepoint (e.g. to sign a checkpoint every N audit entries). An
  // exception from it undoes only the hook's changes. Replacing or clearing it waits for the
  // batch in progress; never call it from inside a write.
  void setUnitHook(std::function<void(Transaction&)> hook);

  // Calls `listener` in the writer after each batch committed and answered (e.g. to wake a
  // worker that reads what was written). Keep it short; replacing or clearing it waits for the
  // batch in progress, as setUnitHook does.
  void setCommitListener(std::function<void()> listener);

  // A connection for reads; return it by letting it go out of scope.
  std::unique_ptr<ReadSession> read();

  const BlobStore& blobs() const;
  const std::string& dataDir() const;
  // The writer's figures (batch sizes, commit times, queue) in Prometheus text.
  void writeMetrics(core::metrics::TextWriter& out) const;
  // Latest schema version applied.
  int schemaVersion() const;

  // Finishes queued writes, then refuses new ones and closes the writer.
  void close();

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A connection to an existing store's database for offline tools such as `gongkai verify-log`:
// the data folder's store.db when `url` is empty, else the PostgreSQL database it names (as
// StoreOptions::url). No migration, no writer, no lock, so it works beside a running server.
// Fails with kNotFound when there is no database or it holds no store, kInvalidArgument for a
// bad URL, kIo when it cannot connect.
core::Result<std::unique_ptr<ReadSession>> openReader(const std::string& dataDir,
                                                      const std::string& url);

// Runs `reads` inside one read transaction on `session`, so they all see one snapshot even while
// a server writes. Exceptions from `reads` pass through after the transaction is ended.
void withSnapshot(ReadSession& session, const std::function<void()>& reads);

// The schema version this build brings a store up to (its newest migration).
int latestSchemaVersion();

// Path of the database file inside a data folder.
std::string databasePath(const std::string& dataDir);

}  // namespace gongkai::server::store
