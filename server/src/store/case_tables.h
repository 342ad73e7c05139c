#pragma once

// Where each kind of case is kept, as the fixed SQL that the case repository and the reports
// share: every name here is a constant, never input. The case table is `c`; `current` joins it to
// its current version `v`.

namespace gongkai::server::store {

struct CaseTables {
  const char* records;      // one row a case: its current version and the columns lists read
  const char* versions;     // one row a version: the canonical record, its hash, its audit entry
  const char* owner;        // the versions table's column naming the case
  const char* current;      // `records` c joined to its current version v
  const char* deadline;     // the day the case is due, a column of c
  const char* open;         // the case is not finished yet
  const char* finished;     // the case is finished (answered, closed or decided)
  const char* channel;      // how the case came in, a column of c; nullptr for kinds without one
  const char* search_kind;  // what the search outbox calls it
};

inline constexpr CaseTables kFeedbackTables{
    "feedback",
    "feedback_versions",
    "feedback_id",
    "feedback c JOIN feedback_versions v ON v.feedback_id = c.id AND v.version = "
    "c.current_version",
    "c.deadline",
    "c.status IN ('received', 'assigned', 'in_progress')",
    "c.status IN ('answered', 'closed')",
    "c.channel",
    "feedback"};

inline constexpr CaseTables kRequestTables{
    "disclosure_requests",
    "disclosure_request_versions",
    "request_id",
    "disclosure_requests c JOIN disclosure_request_versions v ON v.request_id = c.id AND "
    "v.version = c.current_version",
    "c.decide_by",
    "c.status IN ('received', 'acknowledged')",
    "c.status = 'decided'",
    nullptr,
    "request"};

}  // namespace gongkai::server::store
