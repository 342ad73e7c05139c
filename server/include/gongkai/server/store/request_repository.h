#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/disclosure_request.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// All SQL about applications for disclosure on request. Throws Poco exceptions on database
// failure and a std::runtime_error when a stored record does not parse.
class RequestRepository {
 public:
  static std::int64_t nextId(Transaction& tx);
  static void saveVersion(Transaction& tx, const core::DisclosureRequest& request,
                          const std::string& canonical, const std::string& sha256,
                          std::int64_t auditSeq);
  static std::optional<core::DisclosureRequest> current(Transaction& tx, std::int64_t id);
  static std::optional<core::DisclosureRequest> current(ReadSession& rs, std::int64_t id);
  static std::optional<core::DisclosureRequest> byReceipt(ReadSession& rs,
                                                          const std::string& sha256);
  // Current records, newest first, optionally of one status; at most `limit`.
  static std::vector<core::DisclosureRequest> list(ReadSession& rs,
                                                   const std::optional<std::string>& status,
                                                   std::int64_t limit);
};

}  // namespace gongkai::server::store
