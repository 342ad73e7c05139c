#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/request_flow.h"
#include "gongkai/server/service/page.h"
#include "gongkai/server/store/request_repository.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/service/submission_limiter.h"
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

  RequestService(store::Store& store, PolicyService& policies, NameCheck unitExists,
                 SubmissionLimiter& limiter, Clock clock = core::nowUtc);

  struct Submitted {
    core::DisclosureRequest request;
    std::string receipt;
  };
  // body: applicant, content, purpose, contact, and org_unit (the unit applied to, optional).
  // Rate-limited per address unless `onBehalf`.
  core::Result<Submitted> submit(const Subject& subject, const Poco::JSON::Object::Ptr& body,
                                 bool onBehalf);
  core::Result<core::DisclosureRequest> get(std::int64_t id);
  core::Result<core::DisclosureRequest> byReceipt(const std::string& code);
  // A page of current applications, newest first, read and counted in SQL.
  core::Result<Page<core::DisclosureRequest>> list(const store::RequestFilter& filter);
  // acknowledge {category?, org_unit?}, extend {notice}, decision {outcome, reason, answer,
  // document_ids, category?}. Without a category, a release takes that of its first document.
  // `mayHandle` is asked about the application's unit as it stands in the transaction that
  // changes it, and about the unit it is handed to (kForbidden when false).
  core::Result<core::DisclosureRequest> step(const Subject& subject, std::int64_t id,
                                             const std::string& name,
                                             const Poco::JSON::Object::Ptr& body,
                                             const DocumentCheck& releasable,
                                             const NameCheck& mayHandle);

  policies::Timeliness timeliness(const core::DisclosureRequest& request) const;

  // kHandler: everything; kReceipt: what the applicant follows; kLog: the public log entry,
  // without applicant, contact or purpose.
  enum class View { kHandler, kReceipt, kLog };
  Poco::JSON::Object::Ptr toJson(const core::DisclosureRequest& request, View view) const;

 private:
  store::Store& store_;
  PolicyService& policies_;
  NameCheck unitExists_;
  SubmissionLimiter& limiter_;
  Clock clock_;
};

}  // namespace gongkai::server::service
