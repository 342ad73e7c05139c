#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/feedback.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/feedback_flow.h"
#include "gongkai/server/service/case_flow.h"

namespace gongkai::server::service {

// What a step of the feedback flow carries (policies/feedback_flow.h).
using FeedbackStep = policies::FeedbackStep;

class DocumentService;
class CatalogueService;

// What a submission concerns: a document or catalogue item the submitter may see, whose category
// and unit become the record's (submit() finds them).
struct FeedbackSubject {
  std::optional<std::int64_t> document_id;
  std::optional<std::int64_t> catalogue_item;
  std::string category;
  std::string org_unit;
};

// An opinion as submitted, its text already read as clean UTF-8 within its limits.
struct FeedbackSubmission {
  std::string channel;  // one of core::kFeedbackChannels
  std::string content;
  std::string name;     // "" when anonymous
  std::string contact;  // "" when not given
  // When a handler entering a letter or a call says it came in (RFC 3339), if they say.
  std::optional<std::string> received_at;
  FeedbackSubject concerns;
};

// Feedback (公开意见): public submission with a receipt code, the handling flow with its
// working-day deadline (policies/feedback_flow.h), every change a new version with its audit entry
// (object type "feedback"), all by the shared CaseFlow. The clock is injected, so deadlines,
// due-soon and overdue can be tested at their boundaries. Thread-safe.
class FeedbackService {
 public:
  using Clock = CaseFlow<core::FeedbackRecord>::Clock;
  using NameCheck = CaseFlow<core::FeedbackRecord>::NameCheck;
  using Submitted = service::Submitted<core::FeedbackRecord>;
  // What a submission concerns as the subject may see it, its category and unit filled in;
  // kInvalidArgument naming the field when the subject may see no such document or item.
  using ConcernLookup = std::function<core::Status(const Subject&, FeedbackSubject&)>;

  // Public submissions count against `limiter`; handlers entering letters do not.
  FeedbackService(store::Store& store, PolicyService& policies, AuthorizerSource authorizer,
                  NameCheck unitExists, NameCheck userExists, SubmissionLimiter& limiter,
                  Clock clock = core::nowUtc, ConcernLookup concerns = {});

  // Each use case decides for itself (CaseAccess): handlers (feedback.handle) read and handle
  // the cases of their units, feedback.read reads every case; a case the subject may not read
  // is kNotFound.

  // What it concerns must be something the submitter may see (by the ConcernLookup; without
  // one, nothing is). received_at only from a handler of the case's unit, entering a letter or a
  // call, and not in the future. Rate-limited per client address unless entered by such a handler.
  core::Result<Submitted> submit(const Subject& subject, FeedbackSubmission submission);
  core::Result<core::FeedbackRecord> get(const Subject& subject, std::int64_t id);
  // Every version of a case the subject may read, oldest first.
  core::Result<std::vector<core::FeedbackRecord>> versions(const Subject& subject, std::int64_t id);
  // kNotFound for a code that is malformed or unknown alike.
  core::Result<core::FeedbackRecord> byReceipt(const std::string& code);
  // A page of current records the subject may read, newest first, read and counted in SQL.
  core::Result<Page<core::FeedbackRecord>> list(const Subject& subject, const CaseQuery& query);
  // One step of the flow (assign, start, answer, close, extend), by a handler of the case's
  // unit (and, to assign it elsewhere, of that unit too). The unit is judged again as the record
  // stands in the transaction that changes it, so a case reassigned meanwhile is not answered by
  // the unit it left. Units, handlers and categories named must exist.
  core::Result<core::FeedbackRecord> step(const Subject& subject, std::int64_t id,
                                          const FeedbackStep& step);

  // Where a record stands against its deadline today (China time, by the injected clock).
  Timeliness timeliness(const core::FeedbackRecord& record) const {
    return flow_.timeliness(record);
  }
  core::Date today() const { return flow_.today(); }
  core::TimePoint now() const { return flow_.now(); }

 private:
  CaseFlow<core::FeedbackRecord> flow_;
  NameCheck userExists_;
  ConcernLookup concerns_;
};

// Looks what a submission concerns up among the documents and catalogue items, as the subject
// sees them: a document gives its category and unit, a catalogue item those the document did not.
FeedbackService::ConcernLookup concernsAmong(DocumentService& documents,
                                             CatalogueService& catalogue);

}  // namespace gongkai::server::service
