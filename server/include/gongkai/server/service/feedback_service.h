#pragma once

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/feedback.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/feedback_flow.h"
#include "gongkai/server/service/case_access.h"
#include "gongkai/server/service/page.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/service/submission_limiter.h"
#include "gongkai/server/store/feedback_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

struct FeedbackLimits {
  std::size_t max_content_bytes = 10000;
  std::size_t max_name_bytes = 200;
  std::size_t max_contact_bytes = 200;
};

// What a submission concerns, once the caller's right to see it was checked: its category and
// unit become the record's.
struct FeedbackSubject {
  std::optional<std::int64_t> document_id;
  std::optional<std::int64_t> catalogue_item;
  std::string category;
  std::string org_unit;
};

// Feedback (公开意见): public submission with a receipt code, the handling flow with its
// working-day deadline (policies/feedback_flow.h), every change a new version with its audit entry
// (object type "feedback"). The clock is injected, so deadlines, due-soon and overdue can be
// tested at their boundaries. Thread-safe.
class FeedbackService {
 public:
  using Clock = std::function<core::TimePoint()>;
  using NameCheck = std::function<bool(const std::string&)>;

  // Public submissions count against `limiter`; handlers entering letters do not.
  FeedbackService(store::Store& store, PolicyService& policies, AuthorizerSource authorizer,
                  NameCheck unitExists, NameCheck userExists, SubmissionLimiter& limiter,
                  FeedbackLimits limits = {}, Clock clock = core::nowUtc);

  // Each use case decides for itself (CaseAccess): handlers (feedback.handle) read and handle
  // the cases of their units, feedback.read reads every case; a case the subject may not read
  // is kNotFound.

  struct Submitted {
    core::FeedbackRecord record;
    std::string receipt;  // shown once; only its digest is kept
  };
  // body: channel, content, optional name, contact, document_id, catalogue_item, and — only from
  // a handler of the case's unit, entering a letter or a call — received_at. `concerns` is what
  // the caller resolved document_id / catalogue_item to. Rate-limited per client address unless
  // entered by such a handler.
  core::Result<Submitted> submit(const Subject& subject, const Poco::JSON::Object::Ptr& body,
                                 const FeedbackSubject& concerns);
  core::Result<core::FeedbackRecord> get(const Subject& subject, std::int64_t id);
  core::Result<std::vector<core::FeedbackRecord>> versions(std::int64_t id);
  // kNotFound for a code that is malformed or unknown alike.
  core::Result<core::FeedbackRecord> byReceipt(const std::string& code);
  // A page of current records the subject may read, newest first, read and counted in SQL.
  core::Result<Page<core::FeedbackRecord>> list(const Subject& subject,
                                                store::FeedbackFilter filter);
  // One step of the flow (assign, start, answer, close, extend) with its JSON body, by a
  // handler of the case's unit (and, to assign it elsewhere, of that unit too). The unit is
  // judged again as the record stands in the transaction that changes it, so a case reassigned
  // meanwhile is not answered by the unit it left.
  core::Result<core::FeedbackRecord> step(const Subject& subject, std::int64_t id,
                                          const std::string& name,
                                          const Poco::JSON::Object::Ptr& body);

  // Where a record stands against its deadline today (China time, by the injected clock).
  policies::Timeliness timeliness(const core::FeedbackRecord& record) const;
  core::Date today() const { return core::chinaDate(clock_()); }
  core::TimePoint now() const { return clock_(); }

  // The record as the API shows it; `personal` adds the name and contact (handlers and
  // inspectors), and the receipt view leaves out who handles it too.
  enum class View { kHandler, kReceipt };
  Poco::JSON::Object::Ptr toJson(const core::FeedbackRecord& record, View view) const;

 private:
  store::Store& store_;
  PolicyService& policies_;
  CaseAccess cases_;
  NameCheck unitExists_, userExists_;
  SubmissionLimiter& limiter_;
  FeedbackLimits limits_;
  Clock clock_;
};

}  // namespace gongkai::server::service
