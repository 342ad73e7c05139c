#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/catalogue.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// All SQL about the disclosure catalogue. Throws Poco exceptions on database failure.
class CatalogueRepository {
 public:
  static std::int64_t nextId(Transaction& tx);
  // Stores a new version (and its record hash and audit entry) and makes it current; version 1
  // creates the item.
  static void saveVersion(Transaction& tx, const core::CatalogueItem& item,
                          const std::string& record, const std::string& recordSha256,
                          std::int64_t auditSeq);
  static std::optional<core::CatalogueItem> current(Transaction& tx, std::int64_t id);
  static std::optional<core::CatalogueItem> current(ReadSession& rs, std::int64_t id);
  // Every version of one item, oldest first.
  static std::vector<core::CatalogueItem> versions(ReadSession& rs, std::int64_t id);
  // Current versions, by unit and year when given, in id order.
  static std::vector<core::CatalogueItem> list(ReadSession& rs,
                                               const std::optional<std::string>& orgUnit,
                                               const std::optional<int>& year);
};

}  // namespace gongkai::server::store
