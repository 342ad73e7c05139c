#pragma once

// WHERE clauses built from the filters a caller actually gives: each condition is a fixed SQL
// fragment whose values are bound, never quoted into the text. A condition left out is not in the
// statement at all ("?1 IS NULL OR col = ?1" would hide the column from the planner, so SQLite
// could not pick the index that serves the filters given).

#include <Poco/Data/Statement.h>
#include <Poco/Types.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "gongkai/policies/policy_engine.h"
#include "sql_dialect.h"

namespace gongkai::server::store {

using SqlValue = std::variant<std::string, Poco::Int64>;

// SQL text with one ? per value, in order.
struct SqlPart {
  std::string sql;
  std::vector<SqlValue> values;
};

// Conditions joined by AND.
class SqlConditions {
 public:
  // `fragment` is fixed SQL (no caller text) with one ? per value.
  void add(std::string fragment, std::vector<SqlValue> values = {});
  void add(SqlPart part);
  // "a AND b ..." ("1 = 1" when there is no condition: PostgreSQL takes no integer as a truth).
  SqlPart all() const;
  // " WHERE a AND b ..." or "" when there is no condition.
  SqlPart where() const;

 private:
  std::vector<SqlPart> parts_;
};

// The documents (table alias `d`) that `visibility` admits, as one parenthesised condition.
SqlPart visibleDocuments(const SqlDialect& dialect, const policies::Visibility& visibility);
// `column IN (...)` over a list given as one bound JSON array, so the statement's text does not
// depend on the list's length.
SqlPart inList(const SqlDialect& dialect, const std::string& column,
               const std::vector<std::string>& values);
// `column IN (...)` over ids, likewise one bound JSON array.
SqlPart inIds(const SqlDialect& dialect, const std::string& column,
              const std::vector<std::int64_t>& ids);

// Binds `values` to `statement` in order (copies: the statement may outlive them).
void bindValues(Poco::Data::Statement& statement, const std::vector<SqlValue>& values);

// Runs `sql` with `values` bound, the result columns going into `columns` (vectors).
template <typename Session, typename... Columns>
void runSelect(Session& session, const std::string& sql, const std::vector<SqlValue>& values,
               Columns&... columns) {
  Poco::Data::Statement statement = session << sql;
  bindValues(statement, values);
  (statement, ..., Poco::Data::Keywords::into(columns));
  statement.execute();
}

}  // namespace gongkai::server::store
