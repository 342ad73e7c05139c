#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/authorization.h"

namespace gongkai::server::service {

// Reading and handling cases (feedback and disclosure-on-request applications) follow one set of
// rules, the authorizer's case rules; both services ask them here. The server's own work
// (Subject::system) passes every check.
class CaseAccess {
 public:
  explicit CaseAccess(AuthorizerSource authorizer) : authorizer_(std::move(authorizer)) {}

  // May the subject submit a case at all (feedback.submit)?
  core::Status requireSubmitter(const Subject& subject) const;
  // Does the subject handle cases of `unit` (or of any unit)? A handler may enter a letter or a
  // call for someone, dated when it came in and not rate-limited.
  bool handles(const Subject& subject, const std::string& unit) const;
  bool handlesAnywhere(const Subject& subject) const;
  // The units whose cases the subject may list (nullopt: every unit); 401/403 for a subject who
  // may read no case.
  core::Result<std::optional<std::vector<std::string>>> readableUnits(const Subject& subject) const;
  // 401/403 for a subject who may read no case; `notFound` for a case of a unit it may not read.
  core::Status requireReader(const Subject& subject, const std::string& unit,
                             const core::Error& notFound) const;
  // 401/403 for a subject who may handle no case.
  core::Status requireHandler(const Subject& subject) const;
  // unit_forbidden unless the subject handles cases of `unit`.
  core::Status requireHandlerOf(const Subject& subject, const std::string& unit) const;

 private:
  AuthorizerSource authorizer_;
};

}  // namespace gongkai::server::service
