#pragma once

#include <string>
#include <vector>

namespace gongkai::server::store {

// One numbered schema migration from server/migrations/NNNN_name.sql, compiled in.
struct Migration {
  int version;
  std::string name;
  std::vector<std::string> statements;
};

// All migrations in ascending version order.
const std::vector<Migration>& migrations();
// The same for PostgreSQL: each from server/migrations/postgresql/ where there is one of its
// number there, else the common one (whose column types SqlDialect::migrationStatement maps).
const std::vector<Migration>& postgresqlMigrations();

}  // namespace gongkai::server::store
