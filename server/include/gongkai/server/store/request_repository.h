#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/disclosure_request.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

struct RequestFilter {
  std::optional<std::string> status;
  // Only applications of these units (the units a handler's roles cover); nullopt for all.
  std::optional<std::vector<std::string>> units;
  // Only applications received in [received_from, received_before) (RFC 3339 UTC); "" for none.
  std::string received_from, received_before;
  std::int64_t limit = 10000;
  std::int64_t offset = 0;
};

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
  // Current records matching `filter`, newest first, from `offset`, at most `limit`.
  static std::vector<core::DisclosureRequest> list(ReadSession& rs, const RequestFilter& filter);
  // How many current records match `filter` (limit and offset aside).
  static std::int64_t count(ReadSession& rs, const RequestFilter& filter);
};

}  // namespace gongkai::server::store
