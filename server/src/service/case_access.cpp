#include "gongkai/server/service/case_access.h"

namespace gongkai::server::service {

namespace {
constexpr std::string_view kHandle = "feedback.handle";
}  // namespace

core::Status CaseAccess::requireSubmitter(const Subject& subject) const {
  if (subject.system) return core::okStatus();
  return authorizer_().require(subject.principal, "feedback.submit");
}

bool CaseAccess::handles(const Subject& subject, const std::string& unit) const {
  return subject.system || authorizer_().mayInUnit(subject.principal, kHandle, unit);
}

bool CaseAccess::handlesAnywhere(const Subject& subject) const {
  return subject.system || authorizer_().may(subject.principal, kHandle);
}

core::Result<std::optional<std::vector<std::string>>> CaseAccess::readableUnits(
    const Subject& subject) const {
  if (subject.system) return std::optional<std::vector<std::string>>();
  auto units = authorizer_().readableCaseUnits(subject.principal);
  if (!units.ok()) return units.error();
  return units.value().filter();
}

core::Status CaseAccess::requireReader(const Subject& subject, const std::string& unit,
                                       const core::Error& notFound) const {
  if (subject.system) return core::okStatus();
  const policies::Authorizer authorizer = authorizer_();
  if (auto allowed = authorizer.requireCaseReader(subject.principal); !allowed.ok()) return allowed;
  if (!authorizer.mayReadCase(subject.principal, unit)) return notFound;
  return core::okStatus();
}

core::Status CaseAccess::requireHandler(const Subject& subject) const {
  if (subject.system) return core::okStatus();
  return authorizer_().require(subject.principal, kHandle);
}

core::Status CaseAccess::requireHandlerOf(const Subject& subject, const std::string& unit) const {
  if (subject.system) return core::okStatus();
  return authorizer_().requireCaseHandler(subject.principal, unit);
}

}  // namespace gongkai::server::service
