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
  std::int64_t limit = 10000;
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
  // Current records matching `filter`, newest first.
  static std::vector<core::FeedbackRecord> list(ReadSession& rs, const FeedbackFilter& filter);
  static std::vector<core::FeedbackRecord> versions(ReadSession& rs, std::int64_t id);
};

}  // namespace gongkai::server::store
