#include "sql_conditions.h"

#include "store_internal.h"

namespace gongkai::server::store {

void SqlConditions::add(std::string fragment, std::vector<SqlValue> values) {
  parts_.push_back({std::move(fragment), std::move(values)});
}

void SqlConditions::add(SqlPart part) { parts_.push_back(std::move(part)); }

SqlPart SqlConditions::all() const {
  if (parts_.empty()) return {"1 = 1", {}};
  SqlPart out;
  for (const auto& part : parts_) {
    out.sql += (out.sql.empty() ? "" : " AND ") + part.sql;
    out.values.insert(out.values.end(), part.values.begin(), part.values.end());
  }
  return out;
}

SqlPart SqlConditions::where() const {
  if (parts_.empty()) return {};
  SqlPart out = all();
  out.sql = " WHERE " + out.sql;
  return out;
}

SqlPart inList(const SqlDialect& dialect, const std::string& column,
               const std::vector<std::string>& values) {
  return {dialect.inJsonTexts(column), {unitList(values).value()}};
}

SqlPart inIds(const SqlDialect& dialect, const std::string& column,
              const std::vector<std::int64_t>& ids) {
  std::string list = "[";
  for (const auto id : ids) list += (list.size() > 1 ? "," : "") + std::to_string(id);
  return {dialect.inJsonIds(column), {list + "]"}};
}

SqlPart visibleDocuments(const SqlDialect& dialect, const policies::Visibility& visibility) {
  if (visibility.everything) return {"1 = 1", {}};
  SqlPart out;
  for (const auto& clause : visibility.clauses) {
    SqlConditions each;
    each.add(inList(dialect, "d.scope", {clause.scopes.begin(), clause.scopes.end()}));
    each.add(inList(dialect, "d.visible_status", {clause.statuses.begin(), clause.statuses.end()}));
    if (clause.units) {
      each.add(inList(dialect, "d.org_unit", {clause.units->begin(), clause.units->end()}));
    }
    SqlPart part = each.all();
    out.sql += (out.sql.empty() ? "(" : " OR (") + part.sql + ")";
    out.values.insert(out.values.end(), part.values.begin(), part.values.end());
  }
  if (out.sql.empty()) return {"1 = 0", {}};
  out.sql = "(" + out.sql + ")";
  return out;
}

void bindValues(Poco::Data::Statement& statement, const std::vector<SqlValue>& values) {
  using Poco::Data::Keywords::bind;
  for (const auto& value : values) {
    std::visit([&](const auto& v) { statement.addBind(bind(v)); }, value);
  }
}

}  // namespace gongkai::server::store
