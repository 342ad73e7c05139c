#pragma once

// The store's insides, shared by the Store and the repositories, and by nothing else: the only
// place outside src/store that would need Poco/Data is a future PostgreSQL backend.

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/merkle.h"
#include "gongkai/core/time.h"
#include "gongkai/server/store/store.h"
#include "kept_statements.h"
#include "sql_dialect.h"

namespace gongkai::server::store {

// A connection as the repositories use it: `session << "SQL with ? marks", use(x), now` as with
// a Poco::Data::Session, the text first put in the backend's dialect (its parameter marks); and
// execute() for the few statements every write runs, kept prepared (kept_statements.h).
class SqlSession {
 public:
  // `sqlite`: the connection's SQLite handle to keep statements on; null: execute() goes through
  // Poco::Data like everything else (PostgreSQL, or a connection used for a few statements).
  SqlSession(std::unique_ptr<Poco::Data::Session> session, const SqlDialect& dialect,
             sqlite3* sqlite = nullptr)
      : session_(std::move(session)),
        dialect_(dialect),
        sqlite_(sqlite),
        kept_(*session_, sqlite) {}
  Poco::Data::Statement operator<<(const std::string& sql) {
    return *session_ << dialect_.statement(sql);
  }
  // Runs `sql` (no rows wanted) with `values` bound to its marks in order.
  void execute(const std::string& sql, std::initializer_list<KeptValue> values = {}) {
    kept_.execute(dialect_.statement(sql), values.begin(), values.size());
  }
  void execute(const std::string& sql, const std::vector<KeptValue>& values) {
    kept_.execute(dialect_.statement(sql), values.data(), values.size());
  }
  // Runs a query (kept as execute() is) and gives its first row's first column as an integer,
  // nullopt when there is no row or it is NULL.
  std::optional<std::int64_t> queryInteger(const std::string& sql,
                                           std::initializer_list<KeptValue> values = {}) {
    return kept_.queryInteger(dialect_.statement(sql), values.begin(), values.size());
  }
  // Runs a query (kept as execute() is) and calls `onRow` with each row; `onRow` must not run
  // the same query again on this session (it is the one statement, in the middle of its rows).
  void query(const std::string& sql, std::initializer_list<KeptValue> values,
             const std::function<void(const KeptRow&)>& onRow) {
    kept_.query(dialect_.statement(sql), values.begin(), values.size(), onRow);
  }
  const SqlDialect& dialect() const { return dialect_; }
  // The SQLite handle, for the few reads that step rows themselves; null with PostgreSQL.
  sqlite3* sqlite() const { return sqlite_; }

 private:
  std::unique_ptr<Poco::Data::Session> session_;
  const SqlDialect& dialect_;
  sqlite3* sqlite_;
  KeptStatements kept_;  // after session_: finalized before the connection closes
};

// Where the audit chain ends, as of the changes made so far in the current transaction.
struct AuditTail {
  std::int64_t seq = 0;
  std::string hash;                // entry hash of `seq`, or the genesis hash when seq == 0
  core::TimePoint time{};          // time of `seq`; later entries never carry an earlier time
  core::merkle::TreeBuilder tree;  // the Merkle tree over entries 1..seq (its right edge)
};

class Transaction {
 public:
  Transaction(SqlSession& session, AuditTail& tail) : session_(session), tail_(tail) {}
  SqlSession& session() { return session_; }
  AuditTail& auditTail() { return tail_; }

 private:
  SqlSession& session_;
  AuditTail& tail_;
};

// A ReadSession over a session owned elsewhere (the writer's, inside the store).
class BorrowedReadSession : public ReadSession {
 public:
  explicit BorrowedReadSession(SqlSession& session) : session_(session) {}
  SqlSession& session() override { return session_; }

 private:
  SqlSession& session_;
};

// An optional query parameter as SQL NULL when absent.
Poco::Nullable<std::string> nullable(const std::optional<std::string>& value);
// A list of unit codes as one JSON array parameter, for SqlDialect::inJsonTexts (one bound value
// however many units); NULL when the list is absent.
Poco::Nullable<std::string> unitList(const std::optional<std::vector<std::string>>& units);

// The database a store keeps its records in: a backend and what its connector opens.
struct Database {
  const SqlDialect* dialect;
  // SQLite: the file; PostgreSQL: libpq's key=value connection string without the password.
  std::string connection;
  // PostgreSQL: the URL's password, if it has one. Apart from `connection` so that the
  // PostgreSQL programs the tools run get it in their environment, never on a command line.
  std::string password;
  std::string name;  // for messages: the file, or the URL without its password
};

// The database for a data folder and a store URL (StoreOptions::url): the folder's store.db when
// `url` is empty, else the PostgreSQL database it names. kInvalidArgument for a URL that is
// neither, kUnsupported for PostgreSQL in a build without it.
core::Result<Database> databaseOf(const std::string& dataDir, const std::string& url);

// A new connection to `database`. Throws Poco::Exception when it cannot connect.
std::unique_ptr<SqlSession> openSession(const Database& database);

// Reads the end of the chain and the right edge of the Merkle tree as stored (used at open and
// after a failed commit). The tree may cover fewer entries than the chain in a data folder from
// before the tree existed; catchUpMerkleTree() closes that gap.
AuditTail loadAuditTail(SqlSession& session);

// Adds the entries the stored tree does not cover yet, inside `tx`. Fails with kCorrupt when the
// tree covers more entries than the log holds.
core::Status catchUpMerkleTree(Transaction& tx);

}  // namespace gongkai::server::store
