#pragma once

// The few places where the SQL SQLite takes and the SQL PostgreSQL takes differ. Everything else
// in the store is written once, in SQL both accept; only these fragments, the parameter marks and
// the migrations' column types are the backend's own.

#include <string>
#include <vector>

namespace gongkai::server::store {

enum class SqlBackend { kSqlite, kPostgresql };

class SqlDialect {
 public:
  static const SqlDialect& sqlite();
  static const SqlDialect& postgresql();

  SqlBackend backend() const { return backend_; }
  // The Poco::Data connector's name.
  const char* connector() const;

  // `sql` with its parameter marks as the connector takes them: unchanged for SQLite;
  // PostgreSQL's connector wants $1, $2, ... so each ? becomes the next $n and ?N becomes $N.
  // Marks inside '...' literals and "..." names are left alone.
  std::string statement(const std::string& sql) const;

  // Opens a write transaction.
  std::string beginWrite() const;
  // Run first in a write transaction, a query that returns one row once it is this writer's
  // turn; empty when beginWrite() alone makes writers take turns. SQLite's BEGIN IMMEDIATE takes
  // the database's one write lock. A PostgreSQL database may be shared by several servers and
  // lets transactions write side by side: each write transaction takes one transaction-scoped
  // advisory lock, so whole batches take turns as with SQLite. The audit chain stays gap-free
  // (the next seq is read under the lock) and so do MAX(id) + 1 ids and reference numbers.
  std::string writerTurn() const;
  // Opens a read transaction in which every statement sees one snapshot.
  std::string beginSnapshot() const;

  // `column IN` the values of the JSON array bound as one text parameter (?): strings or ids.
  std::string inJsonTexts(const std::string& column) const;
  std::string inJsonIds(const std::string& column) const;
  // The text at `path` (dot-separated keys) inside the JSON text `column`; NULL when absent.
  std::string jsonText(const std::string& column, const std::string& path) const;
  // True when the value at `path` is JSON true.
  std::string jsonTrue(const std::string& column, const std::string& path) const;
  // The China-time (UTC+8) calendar date YYYY-MM-DD, and year as an integer, of an RFC 3339 UTC
  // time held as text.
  std::string chinaDate(const std::string& rfc3339) const;
  std::string chinaYear(const std::string& rfc3339) const;

  // A migration's statement in this backend's column types. Migrations are written for SQLite,
  // whose INTEGER is 64 bits: PostgreSQL gets BIGINT, an INTEGER PRIMARY KEY becomes an identity
  // column (so an insert without an id is given the next one), and BLOB becomes BYTEA.
  std::string migrationStatement(const std::string& ddl) const;

 private:
  explicit SqlDialect(SqlBackend backend) : backend_(backend) {}
  SqlBackend backend_;
};

}  // namespace gongkai::server::store
