#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/time.h"
#include "gongkai/policies/feedback_report.h"
#include "gongkai/policies/policy_engine.h"

namespace gongkai::server::store {

class ReadSession;

// The SQL of the reports: each reads what its report shows, counted in the database, so memory
// and time in the server do not grow with the records counted. Functions throw Poco exceptions
// on database failure (the Store turns them into kIo).
class ReportRepository {
 public:
  // One publication that still counts: a current version published and not withdrawn.
  struct Publication {
    std::int64_t catalogue_item = 0;
    std::int64_t document_id = 0;
    std::string title;
    core::TimePoint published_at{};
    // When it was approved, if the approval confirmed the confidentiality review.
    std::optional<core::TimePoint> approved_at;
    bool visible = false;  // `viewer` admits the document
  };
  // The publications of `unit` that answer one of `items`, newest document first.
  static std::vector<Publication> publications(ReadSession& rs, const std::string& unit,
                                               const std::vector<std::int64_t>& items,
                                               const policies::Visibility& viewer);

  // Which cases a handling report counts: those received on a China date of `year`, in `units`
  // (every unit when nullopt); open ones are overdue when their deadline is before `today`.
  struct CaseQuery {
    std::optional<std::vector<std::string>> units;
    int year = 0;
    core::Date today;
  };
  static policies::HandlingCounts feedbackCounts(ReadSession& rs, const CaseQuery& query);
  // Applications, their kind being the outcome decided.
  static policies::HandlingCounts requestCounts(ReadSession& rs, const CaseQuery& query);
};

}  // namespace gongkai::server::store
