#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/feedback.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/case_flow.h"
#include "gongkai/server/service/case_access.h"
#include "gongkai/server/service/field_errors.h"
#include "gongkai/server/service/page.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/query_parameters.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/service/submission_limiter.h"
#include "gongkai/server/store/case_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// Where a case stands against its deadline today, as the policies reckon it.
using Timeliness = policies::Timeliness;

// Which cases a list asks for.
struct CaseQuery {
  std::optional<std::string> status;    // one of the kind's statuses
  std::optional<std::string> org_unit;  // only the cases of this unit
  std::optional<std::string> channel;   // only feedback that came in this way
  bool overdue = false;  // only cases still open whose deadline passed before today (China time)
  std::int64_t limit = 10000;
  std::int64_t offset = 0;
};

// A list's query parameters: ?status= (one of the kind's), ?page= and ?per_page=, and for
// feedback also ?org_unit=, ?channel= and ?overdue=; kMalformed "invalid_query" naming a bad one.
core::Result<CaseQuery> parseFeedbackQuery(const QueryParameters& query);
core::Result<CaseQuery> parseApplicationQuery(const QueryParameters& query);

// A case just filed, with its receipt code: shown once, only its digest is kept.
template <typename Record>
struct Submitted {
  Record record;
  std::string receipt;
};

// The handling every kind of case shares (core/case.h): filing with a receipt code, reading by id,
// by receipt and in lists as the case rules allow (CaseAccess), and each change a new version
// saved with its audit entry in one transaction. `Record` is core::FeedbackRecord (audit object
// type "feedback") or core::DisclosureRequest ("disclosure_request"); the services of the kinds
// compose one and add their own fields and steps. The clock is injected. Thread-safe.
template <typename Record>
class CaseFlow {
 public:
  using Clock = std::function<core::TimePoint()>;
  using NameCheck = std::function<bool(const std::string&)>;

  CaseFlow(store::Store& store, PolicyService& policies, AuthorizerSource authorizer,
           NameCheck unitExists, SubmissionLimiter& limiter, Clock clock);

  const CaseAccess& access() const { return access_; }
  core::TimePoint now() const { return clock_(); }
  core::Date today() const { return core::chinaDate(clock_()); }
  std::shared_ptr<const policies::PolicyEngine> engine() const { return policies_.engine(); }
  // Where a case stands against its deadline today.
  policies::Timeliness timeliness(const Record& record) const;

  // Files `record`, whose own fields the caller set (deadlines included), as version 1 with a new
  // receipt code, made by `subject` as `record.change`. Counts against the rate limit of the
  // subject's address unless `onBehalf` (a handler entering a letter or a call).
  core::Result<Submitted<Record>> file(const Subject& subject, Record record, bool onBehalf);
  // kNotFound for a case that does not exist or that the subject may not read; who may read no
  // case at all learns nothing, not even whether the id exists.
  core::Result<Record> get(const Subject& subject, std::int64_t id);
  // Every version of a case, oldest first, to a subject who may read the case as it stands now;
  // kNotFound otherwise, as get().
  core::Result<std::vector<Record>> versions(const Subject& subject, std::int64_t id);
  // kNotFound for a code that is malformed or unknown alike.
  core::Result<Record> byReceipt(const std::string& code);
  // A page of current cases the subject may read, newest first, read and counted in SQL.
  core::Result<Page<Record>> list(const Subject& subject, const CaseQuery& query);
  // A page of every case in `status`, whoever asks, newest first: only for what is public about
  // a case anyway (the decision log). It takes no other filter, so it cannot stand in for list().
  core::Result<Page<Record>> publicPage(std::string_view status, std::int64_t limit,
                                        std::int64_t offset);

  // Adds a field error to `errors` for a unit or a category named that does not exist ("" is
  // none named).
  void checkUnit(FieldErrors& errors, const std::string& unit) const;
  void checkCategory(FieldErrors& errors, const std::string& category) const;

  // The next version of a case, made from the current one under the policy in force.
  using Next =
      std::function<core::Result<Record>(const Record& current, const policies::PolicySet&)>;
  // Changes case `id` as `subject`, a handler of the case's unit as it stands in the transaction
  // that changes it (and of `handTo`, the unit it is handed to, when not ""): kForbidden
  // "unit_forbidden" otherwise, so a case handed elsewhere meanwhile is not changed by the unit
  // it left. Saves what `next` makes with its audit entry.
  core::Result<Record> update(const Subject& subject, std::int64_t id, const std::string& handTo,
                              const Next& next);

 private:
  // The cases `filter` takes; who may read them is the caller's to have decided.
  core::Result<Page<Record>> page(const store::CaseFilter& filter);

  store::Store& store_;
  PolicyService& policies_;
  CaseAccess access_;
  NameCheck unitExists_;
  SubmissionLimiter& limiter_;
  Clock clock_;
};

extern template class CaseFlow<core::FeedbackRecord>;
extern template class CaseFlow<core::DisclosureRequest>;

}  // namespace gongkai::server::service
