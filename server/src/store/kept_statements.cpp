#include "kept_statements.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <sqlite3.h>

#include <vector>

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

namespace {

// A row of a kept SQLite statement, read where it stands.
class SqliteRow : public KeptRow {
 public:
  explicit SqliteRow(sqlite3_stmt* statement) : statement_(statement) {}
  bool isNull(int column) const override {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
  }
  std::int64_t integer(int column) const override {
    return sqlite3_column_int64(statement_, column);
  }
  std::string text(int column) const override {
    // sqlite3_column_blob: the bytes as stored, NUL bytes included, for TEXT and BLOB alike.
    const void* bytes = sqlite3_column_blob(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return bytes ? std::string(static_cast<const char*>(bytes), static_cast<std::size_t>(size))
                 : std::string();
  }

 private:
  sqlite3_stmt* statement_;
};

// A row of a result Poco::Data read (PostgreSQL), by its dynamic values.
class RecordSetRow : public KeptRow {
 public:
  RecordSetRow(const Poco::Data::RecordSet& rows, std::size_t row) : rows_(rows), row_(row) {}
  bool isNull(int column) const override { return rows_.isNull(index(column), row_); }
  std::int64_t integer(int column) const override {
    if (isNull(column)) return 0;
    return rows_.value(index(column), row_).convert<Poco::Int64>();
  }
  std::string text(int column) const override {
    if (isNull(column)) return {};
    const Poco::Dynamic::Var value = rows_.value(index(column), row_);
    if (value.type() == typeid(Poco::Data::BLOB)) {
      const auto& blob = value.extract<Poco::Data::BLOB>();
      return std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size());
    }
    return value.convert<std::string>();
  }

 private:
  static std::size_t index(int column) { return static_cast<std::size_t>(column); }
  const Poco::Data::RecordSet& rows_;
  std::size_t row_;
};

// Resets a kept statement however its run ends (a callback may throw): it holds no lock between
// runs and lets go of the bound text, which was not copied.
class ResetWhenDone {
 public:
  explicit ResetWhenDone(sqlite3_stmt* statement) : statement_(statement) {}
  ~ResetWhenDone() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  ResetWhenDone(const ResetWhenDone&) = delete;
  ResetWhenDone& operator=(const ResetWhenDone&) = delete;

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

KeptStatements::~KeptStatements() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
}

sqlite3_stmt* KeptStatements::prepared(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return found->second;
  sqlite3_stmt* statement = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()) + 1,
                                    SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement);
    Poco::Data::SQLite::Utility::throwException(db_, rc, sql);
  }
  statements_.emplace(sql, statement);
  return statement;
}

Poco::Data::Statement KeptStatements::pocoStatement(const std::string& sql, const KeptValue* values,
                                                    std::size_t count) {
  Poco::Data::Statement statement = session_ << sql;
  for (const KeptValue* value = values; value != values + count; ++value) {
    switch (value->kind) {
      case KeptValue::Kind::kInteger:
        statement.addBind(bind(static_cast<Poco::Int64>(value->number)));
        break;
      case KeptValue::Kind::kText:
        statement.addBind(bind(std::string(value->bytes)));
        break;
      case KeptValue::Kind::kBlob:
        statement.addBind(bind(Poco::Data::BLOB(
            reinterpret_cast<const unsigned char*>(value->bytes.data()), value->bytes.size())));
        break;
      case KeptValue::Kind::kNullInteger:
        statement.addBind(bind(Poco::Nullable<Poco::Int64>()));
        break;
    }
  }
  return statement;
}

int KeptStatements::bindAll(sqlite3_stmt* statement, const KeptValue* values, std::size_t count) {
  int index = 1, rc = SQLITE_OK;
  for (const KeptValue* value = values; value != values + count && rc == SQLITE_OK;
       ++value, ++index) {
    switch (value->kind) {
      case KeptValue::Kind::kInteger:
        rc = sqlite3_bind_int64(statement, index, value->number);
        break;
      case KeptValue::Kind::kText:
        rc = sqlite3_bind_text(statement, index, value->bytes.data(),
                               static_cast<int>(value->bytes.size()), SQLITE_STATIC);
        break;
      case KeptValue::Kind::kBlob:
        rc = sqlite3_bind_blob(statement, index, value->bytes.data(),
                               static_cast<int>(value->bytes.size()), SQLITE_STATIC);
        break;
      case KeptValue::Kind::kNullInteger:
        rc = sqlite3_bind_null(statement, index);
        break;
    }
  }
  return rc;
}

void KeptStatements::execute(const std::string& sql, const KeptValue* values, std::size_t count) {
  if (db_ == nullptr) {
    // PostgreSQL: through Poco::Data, as every other statement.
    pocoStatement(sql, values, count).execute();
    return;
  }
  sqlite3_stmt* statement = prepared(sql);
  int rc = bindAll(statement, values, count);
  if (rc == SQLITE_OK) {
    do rc = sqlite3_step(statement);
    while (rc == SQLITE_ROW);
  }
  // Reset at once: a kept statement holds no lock between runs, and lets go of the bound text
  // (not copied) before the caller's strings go.
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (rc != SQLITE_DONE) Poco::Data::SQLite::Utility::throwException(db_, rc, sql);
}

std::optional<std::int64_t> KeptStatements::queryInteger(const std::string& sql,
                                                         const KeptValue* values,
                                                         std::size_t count) {
  if (db_ == nullptr) {
    std::vector<Poco::Nullable<Poco::Int64>> rows;
    Poco::Data::Statement statement = pocoStatement(sql, values, count);
    statement, into(rows);
    statement.execute();
    if (rows.empty() || rows.front().isNull()) return std::nullopt;
    return rows.front().value();
  }
  sqlite3_stmt* statement = prepared(sql);
  std::optional<std::int64_t> result;
  int rc = bindAll(statement, values, count);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) {
      if (sqlite3_column_type(statement, 0) != SQLITE_NULL) {
        result = sqlite3_column_int64(statement, 0);
      }
      rc = SQLITE_DONE;  // the first row is all that is wanted
    }
  }
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (rc != SQLITE_DONE) Poco::Data::SQLite::Utility::throwException(db_, rc, sql);
  return result;
}

void KeptStatements::query(const std::string& sql, const KeptValue* values, std::size_t count,
                           const std::function<void(const KeptRow&)>& onRow) {
  if (db_ == nullptr) {
    Poco::Data::Statement statement = pocoStatement(sql, values, count);
    statement.execute();
    const Poco::Data::RecordSet rows(statement);
    for (std::size_t row = 0; row < rows.rowCount(); ++row) onRow(RecordSetRow(rows, row));
    return;
  }
  sqlite3_stmt* statement = prepared(sql);
  int rc = SQLITE_OK;
  {
    const ResetWhenDone reset(statement);
    rc = bindAll(statement, values, count);
    if (rc == SQLITE_OK) {
      const SqliteRow row(statement);
      while ((rc = sqlite3_step(statement)) == SQLITE_ROW) onRow(row);
    }
  }
  if (rc != SQLITE_DONE) Poco::Data::SQLite::Utility::throwException(db_, rc, sql);
}

}  // namespace gongkai::server::store
