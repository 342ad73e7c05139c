#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/feedback.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// Which current cases a list takes.
struct CaseFilter {
  std::optional<std::string> status;
  std::optional<std::string> org_unit;
  // How feedback came in; applications have no channel, so none matches one.
  std::optional<std::string> channel;
  // Only cases still open whose deadline (YYYY-MM-DD) is before this day.
  std::optional<std::string> overdue_on;
  // Only cases of these units (the units a handler's roles cover); nullopt for every unit.
  std::optional<std::vector<std::string>> units;
  std::int64_t limit = 10000;
  std::int64_t offset = 0;
};

// All SQL about the cases of one kind, `Record` being core::FeedbackRecord (tables feedback and
// feedback_versions) or core::DisclosureRequest (disclosure_requests and their versions). Throws
// Poco exceptions on database failure and a std::runtime_error when a stored record does not
// parse.
template <typename Record>
class CaseRepository {
 public:
  static std::int64_t nextId(Transaction& tx);
  // Stores a new version (record, hash, the audit entry that made it), makes it current and
  // queues it for the search index.
  static void saveVersion(Transaction& tx, const Record& record, const std::string& canonical,
                          const std::string& sha256, std::int64_t auditSeq);
  static std::optional<Record> current(Transaction& tx, std::int64_t id);
  static std::optional<Record> current(ReadSession& rs, std::int64_t id);
  static std::optional<Record> byReceipt(ReadSession& rs, const std::string& sha256);
  // Current records matching `filter`, newest first, from `offset`, at most `limit`.
  static std::vector<Record> list(ReadSession& rs, const CaseFilter& filter);
  // How many current records match `filter` (limit and offset aside).
  static std::int64_t count(ReadSession& rs, const CaseFilter& filter);
  // Every version of one record, oldest first.
  static std::vector<Record> versions(ReadSession& rs, std::int64_t id);
};

extern template class CaseRepository<core::FeedbackRecord>;
extern template class CaseRepository<core::DisclosureRequest>;
using FeedbackRepository = CaseRepository<core::FeedbackRecord>;
using RequestRepository = CaseRepository<core::DisclosureRequest>;

}  // namespace gongkai::server::store
