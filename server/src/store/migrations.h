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

}  // namespace gongkai::server::store
