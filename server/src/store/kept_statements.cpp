#include "kept_statements.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <sqlite3.h>

#include <vector>

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

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

}  // namespace gongkai::server::store
