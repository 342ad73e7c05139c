#pragma once

// Statements a connection keeps prepared across units of work. Poco::Data prepares a statement
// again each time it runs; for the statements every write runs (the audit entry, its Merkle
// nodes, the savepoints around each unit of work, BEGIN and COMMIT, and a document's rows: its
// current row, version, files and search outbox row) that was a good part of a write's cost,
// and so it was for the reads every request and index pass makes (query()). With SQLite they
// are prepared once per connection and kept (sqlite3_stmt); with PostgreSQL they go through
// Poco::Data as before.

#include <Poco/Data/Session.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace gongkai::server::store {

// A parameter: an integer, text, bytes (a BLOB) or an integer's NULL. Text and bytes are not
// copied: the value must outlive the execute() call it is passed to.
struct KeptValue {
  enum class Kind { kInteger, kText, kBlob, kNullInteger };
  static KeptValue integer(std::int64_t value) { return {Kind::kInteger, value, {}}; }
  static KeptValue text(std::string_view value) { return {Kind::kText, 0, value}; }
  static KeptValue blob(std::string_view bytes) { return {Kind::kBlob, 0, bytes}; }
  // An integer column's value, NULL when absent.
  static KeptValue optionalInteger(const std::optional<std::int64_t>& value) {
    return value ? integer(*value) : KeptValue{Kind::kNullInteger, 0, {}};
  }

  Kind kind;
  std::int64_t number;
  std::string_view bytes;
};

// One row of a kept query's result, read by column (0 is the first). A NULL reads as 0 or "".
// Valid only inside the callback it is given to.
class KeptRow {
 public:
  virtual ~KeptRow() = default;
  virtual bool isNull(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual std::string text(int column) const = 0;
};

class KeptStatements {
 public:
  // `session` is the connection's; `sqlite` its handle when it is SQLite, else null.
  KeptStatements(Poco::Data::Session& session, sqlite3* sqlite) : session_(session), db_(sqlite) {}
  ~KeptStatements();
  KeptStatements(const KeptStatements&) = delete;
  KeptStatements& operator=(const KeptStatements&) = delete;

  // Runs `sql` (in the backend's dialect already) with `values` bound to its marks in order,
  // discarding any rows. Throws Poco::Data exceptions as Poco::Data would (SQLite's by its
  // error code, so a full disk is still told apart).
  void execute(const std::string& sql, const KeptValue* values, std::size_t count);

  // As execute(), for a query whose first row's first column is an integer: that integer, or
  // nullopt when there is no row or it is NULL.
  std::optional<std::int64_t> queryInteger(const std::string& sql, const KeptValue* values,
                                           std::size_t count);

  // As execute(), for a query: `onRow` is called with each row in turn. Reads (a token, a user,
  // a document's current record) that every request or index pass makes are kept prepared too:
  // re-preparing them was about a sixth of the server's time creating documents.
  void query(const std::string& sql, const KeptValue* values, std::size_t count,
             const std::function<void(const KeptRow&)>& onRow);

 private:
  sqlite3_stmt* prepared(const std::string& sql);
  // SQLite: binds `values` to the kept statement for `sql`; SQLITE_OK or the failing code.
  int bindAll(sqlite3_stmt* statement, const KeptValue* values, std::size_t count);
  // PostgreSQL: the statement with `values` bound, through Poco::Data.
  Poco::Data::Statement pocoStatement(const std::string& sql, const KeptValue* values,
                                      std::size_t count);

  Poco::Data::Session& session_;
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace gongkai::server::store
