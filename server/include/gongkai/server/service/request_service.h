#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/request_flow.h"
#include "gongkai/server/service/case_flow.h"

namespace gongkai::server::service {

// What a step of an application carries (policies/request_flow.h).
using RequestStep = policies::RequestStep;

// An application as submitted, its text already read as clean UTF-8 within its limits.
struct ApplicationSubmission {
  std::string applicant;
  std::string content;  // what is asked for
  std::string purpose;  // "" when not given
  std::string contact;
  std::string org_unit;  // the unit applied to, "" when not named
};

// Applications for disclosure on request (依申请公开): public submission with a receipt code,
// acknowledgement, one extension with notice, a decision from the fixed list, and the public log
// of decisions without the applicant. Versioned and audited (object type "disclosure_request")
// by the shared CaseFlow; the clock is injected. Thread-safe.
class RequestService {
 public:
  using Clock = CaseFlow<core::DisclosureRequest>::Clock;
  using NameCheck = CaseFlow<core::DisclosureRequest>::NameCheck;
  using Submitted = service::Submitted<core::DisclosureRequest>;
  // The category of a released document when it exists and is public, nullopt otherwise.
  using DocumentCheck = std::function<std::optional<std::string>(std::int64_t)>;

  RequestService(store::Store& store, PolicyService& policies, AuthorizerSource authorizer,
                 NameCheck unitExists, SubmissionLimiter& limiter, Clock clock = core::nowUtc,
                 DocumentCheck releasable = {});

  // Each use case decides for itself (CaseAccess), as feedback does: handlers read and decide
  // the applications of their units, feedback.read reads every one; one the subject may not
  // read is kNotFound.

  // The unit applied to must exist. Rate-limited per address unless a handler enters it for
  // someone.
  core::Result<Submitted> submit(const Subject& subject, const ApplicationSubmission& submission);
  core::Result<core::DisclosureRequest> get(const Subject& subject, std::int64_t id);
  core::Result<core::DisclosureRequest> byReceipt(const std::string& code);
  // A page of current applications the subject may read, newest first, read and counted in SQL.
  core::Result<Page<core::DisclosureRequest>> list(const Subject& subject, const CaseQuery& query);
  // The public log: a page of decided applications, for anyone.
  core::Result<Page<core::DisclosureRequest>> decisionLog(std::int64_t limit, std::int64_t offset);
  // acknowledge {category?, org_unit?}, extend {notice}, decision {outcome, reason, answer,
  // document_ids, category?, public_summary?}. Released documents must pass the DocumentCheck
  // (without one, none does); without a category, a release takes that of its first document.
  // Taken by a handler of the application's unit as it stands in the transaction that changes
  // it, and of the unit it is handed to (kForbidden otherwise).
  core::Result<core::DisclosureRequest> step(const Subject& subject, std::int64_t id,
                                             RequestStep step);

  Timeliness timeliness(const core::DisclosureRequest& request) const {
    return flow_.timeliness(request);
  }

 private:
  CaseFlow<core::DisclosureRequest> flow_;
  DocumentCheck releasable_;
};

class DocumentService;
// Only what the public may already see can be released in answer to an application: a public
// document, published or archived, as anyone sees it; its category.
RequestService::DocumentCheck publicDocuments(DocumentService& documents);

}  // namespace gongkai::server::service
