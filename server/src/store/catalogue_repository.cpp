#include "gongkai/server/store/catalogue_repository.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <stdexcept>

#include "gongkai/server/store/versioned_records.h"
#include "sql_conditions.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

namespace {

core::CatalogueItem decode(const std::string& record) {
  auto item = core::parseCatalogueRecord(record);
  if (!item.ok()) throw std::runtime_error(item.error().message);
  return std::move(item).value();
}

std::optional<core::CatalogueItem> currentIn(SqlSession& session, std::int64_t id) {
  std::vector<std::string> records;
  Poco::Int64 key = id;
  session << "SELECT v.record FROM catalogue_items i JOIN catalogue_item_versions v "
             "ON v.item_id = i.id AND v.version = i.current_version WHERE i.id = ?",
      use(key), into(records), now;
  if (records.empty()) return std::nullopt;
  return decode(records.front());
}

}  // namespace

std::int64_t CatalogueRepository::nextId(Transaction& tx) {
  Poco::Int64 next = 0;
  tx.session() << "SELECT COALESCE(MAX(id), 0) + 1 FROM catalogue_items", into(next), now;
  return next;
}

void CatalogueRepository::saveVersion(Transaction& tx, const core::CatalogueItem& item,
                                      const std::string& record, const std::string& recordSha256,
                                      std::int64_t auditSeq) {
  const Poco::Int64 id = item.id, version = item.version;
  if (item.version == 1) {
    tx.session() << "INSERT INTO catalogue_items (id, current_version, org_unit, year, category) "
                    "VALUES (?, ?, ?, ?, ?)",
        bind(id), bind(version), bind(item.org_unit), bind(item.year), bind(item.category), now;
  } else {
    tx.session()
        << "UPDATE catalogue_items SET current_version = ?, org_unit = ?, year = ?, category = ? "
           "WHERE id = ?",
        bind(version), bind(item.org_unit), bind(item.year), bind(item.category), bind(id), now;
  }
  insertVersion(tx, VersionedKind::kCatalogueItem, id, version, record, recordSha256, auditSeq);
}

std::optional<core::CatalogueItem> CatalogueRepository::current(Transaction& tx, std::int64_t id) {
  return currentIn(tx.session(), id);
}

std::optional<core::CatalogueItem> CatalogueRepository::current(ReadSession& rs, std::int64_t id) {
  return currentIn(rs.session(), id);
}

std::vector<core::CatalogueItem> CatalogueRepository::versions(ReadSession& rs, std::int64_t id) {
  std::vector<std::string> records;
  Poco::Int64 key = id;
  rs.session() << "SELECT record FROM catalogue_item_versions WHERE item_id = ? ORDER BY version",
      use(key), into(records), now;
  std::vector<core::CatalogueItem> out;
  for (const auto& record : records) out.push_back(decode(record));
  return out;
}

std::vector<core::CatalogueItem> CatalogueRepository::list(
    ReadSession& rs, const std::optional<std::string>& orgUnit, const std::optional<int>& year) {
  // Only the filters given (see sql_conditions.h).
  SqlConditions conditions;
  if (orgUnit) conditions.add("i.org_unit = ?", {*orgUnit});
  if (year) conditions.add("i.year = ?", {Poco::Int64{*year}});
  const SqlPart where = conditions.where();
  std::vector<std::string> records;
  Poco::Data::Statement statement =
      rs.session() << "SELECT v.record FROM catalogue_items i JOIN catalogue_item_versions v "
                      "ON v.item_id = i.id AND v.version = i.current_version" +
                          where.sql + " ORDER BY i.id";
  bindValues(statement, where.values);
  statement, into(records);
  statement.execute();
  std::vector<core::CatalogueItem> out;
  for (const auto& record : records) out.push_back(decode(record));
  return out;
}

}  // namespace gongkai::server::store
