#include "kept_statements.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <sqlite3.h>

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

void KeptStatements::execute(const std::string& sql, const KeptValue* values, std::size_t count) {
  const KeptValue* const end = values + count;
  if (db_ == nullptr) {
    // PostgreSQL: through Poco::Data, as every other statement.
    Poco::Data::Statement statement = session_ << sql;
    for (const KeptValue* value = values; value != end; ++value) {
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
      }
    }
    statement.execute();
    return;
  }
  sqlite3_stmt* statement = prepared(sql);
  int index = 1, rc = SQLITE_OK;
  for (const KeptValue* value = values; value != end && rc == SQLITE_OK; ++value, ++index) {
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
    }
  }
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

}  // namespace gongkai::server::store
