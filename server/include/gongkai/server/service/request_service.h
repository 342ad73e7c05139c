#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/request_flow.h"
#include "gongkai/server/service/case_access.h"
#include "gongkai/server/service/page.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/service/submission_limiter.h"
#include "gongkai/server/store/request_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// Applications for disclosure on request (依申请公开): public submission with a receipt code,
// acknowledgement, one extension with notice, a decision from the fixed list, and the public log
// of decisions without the applicant. Versioned and audited (object type "disclosure_request");
// the clock is injected. Thread-safe.
class RequestService {
 public:
  using Clock = std::function<core::TimePoint()>;
  // The category of a released document when it exists and is public, nullopt otherwise.
  using DocumentCheck = std::function<std::optional<std::string>(std::int64_t)>;

  using NameCheck = std::function<bool(const std::string&)>;

  RequestService(store::Store& store, PolicyService& policies, AuthorizerSource authorizer,
                 NameCheck unitExists, SubmissionLimiter& limiter, Clock clock = core::nowUtc);

  // Each use case decides for itself (CaseAccess), as feedback does: handlers read and decide
  // the applications of their units, feedback.read reads every one; one the subject may not
  // read is kNotFound.

  struct Submitted {
    core::DisclosureRequest request;
    std::string receipt;
  };
  // body: applicant, content, purpose, contact, and org_unit (the unit applied to, optional).
  // Rate-limited per address unless a handler enters it for someone.
  core::Result<Submitted> submit(const Subject& subject, const Poco::JSON::Object::Ptr& body);
  core::Result<core::DisclosureRequest> get(const Subject& subject, std::int64_t id);
  core::Result<core::DisclosureRequest> byReceipt(const std::string& code);
  // A page of current applications the subject may read, newest first, read and counted in SQL.
  core::Result<Page<core::DisclosureRequest>> list(const Subject& subject,
                                                   store::RequestFilter filter);
  // The public log: a page of decided applications, for anyone (shown as View::kLog).
  core::Result<Page<core::DisclosureRequest>> decisionLog(std::int64_t limit, std::int64_t offset);
  // acknowledge {category?, org_unit?}, extend {notice}, decision {outcome, reason, answer,
  // document_ids, category?}. Without a category, a release takes that of its first document.
  // Taken by a handler of the application's unit as it stands in the transaction that changes
  // it, and of the unit it is handed to (kForbidden otherwise).
  core::Result<core::DisclosureRequest> step(const Subject& subject, std::int64_t id,
                                             const std::string& name,
                                             const Poco::JSON::Object::Ptr& body,
                                             const DocumentCheck& releasable);

  policies::Timeliness timeliness(const core::DisclosureRequest& request) const;

  // kHandler: everything; kReceipt: what the applicant follows; kLog: the public log entry,
  // without applicant, contact or purpose.
  enum class View { kHandler, kReceipt, kLog };
  Poco::JSON::Object::Ptr toJson(const core::DisclosureRequest& request, View view) const;

 private:
  core::Result<Page<core::DisclosureRequest>> page(const store::RequestFilter& filter);

  store::Store& store_;
  PolicyService& policies_;
  CaseAccess cases_;
  NameCheck unitExists_;
  SubmissionLimiter& limiter_;
  Clock clock_;
};

}  // namespace gongkai::server::service
