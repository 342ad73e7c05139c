#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/feedback.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

struct FeedbackFilter {
  std::optional<std::string> status;
  std::optional<std::string> org_unit;
  std::optional<std::string> channel;
  // Only cases still open whose deadline (YYYY-MM-DD) is before this day.
  std::optional<std::string> overdue_on;
  // Only cases of these units (the units a handler's roles cover); nullopt for every unit.
  std::optional<std::vector<std::string>> units;
  // Only cases received in [received_from, received_before) (RFC 3339 UTC); "" for no bound.
  std::string received_from, received_before;
  std::int64_t limit = 10000;
  std::int64_t offset = 0;
};

// All SQL about feedback records. Throws Poco exceptions on database failure and a
// std::runtime_error when a stored record does not parse.
class FeedbackRepository {
 public:
  static std::int64_t nextId(Transaction& tx);
  // Stores a new version (record, hash, the audit entry that made it) and makes it current.
  static void saveVersion(Transaction& tx, const core::FeedbackRecord& record,
                          const std::string& canonical, const std::string& sha256,
                          std::int64_t auditSeq);
  static std::optional<core::FeedbackRecord> current(Transaction& tx, std::int64_t id);
  static std::optional<core::FeedbackRecord> current(ReadSession& rs, std::int64_t id);
  static std::optional<core::FeedbackRecord> byReceipt(ReadSession& rs, const std::string& sha256);
  // Current records matching `filter`, newest first, from `offset`, at most `limit`.
  static std::vector<core::FeedbackRecord> list(ReadSession& rs, const FeedbackFilter& filter);
  // How many current records match `filter` (limit and offset aside).
  static std::int64_t count(ReadSession& rs, const FeedbackFilter& filter);
  static std::vector<core::FeedbackRecord> versions(ReadSession& rs, std::int64_t id);
};

}  // namespace gongkai::server::store
