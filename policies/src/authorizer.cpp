#include "gongkai/policies/authorizer.h"

#include <algorithm>
#include <set>
#include <utility>

#include "gongkai/core/workflow.h"

namespace gongkai::policies {

using core::Error;
using core::ErrorCode;

namespace {

constexpr std::pair<std::string_view, std::string_view> kStepPermissions[] = {
    {"submit", "documents.update"},    {"approve", "documents.review"},
    {"reject", "documents.review"},    {"publish", "documents.publish"},
    {"withdraw", "documents.publish"}, {"archive", "documents.archive"}};

constexpr std::string_view kCaseReadEverywhere = "feedback.read";
constexpr std::string_view kCaseHandle = "feedback.handle";

// 401 for an anonymous caller (signing in may help), 403 for a known one.
Error denied(const Principal& who, std::string_view permission) {
  if (who.anonymous()) {
    return Error::make(ErrorCode::kUnauthenticated, "authentication_required",
                       "请先登录 (sign in first)");
  }
  return Error::make(
      ErrorCode::kForbidden, "forbidden",
      "您的角色无权进行此操作 (your roles do not allow this): " + std::string(permission));
}

}  // namespace

DocumentFacts factsOf(const core::DocumentVersion& version) {
  return DocumentFacts{version.metadata.org_unit,
                       std::string(core::toString(version.metadata.scope)),
                       std::string(core::visibleStatus(version))};
}

std::optional<std::string_view> stepPermission(std::string_view step) {
  for (const auto& [name, permission] : kStepPermissions) {
    if (name == step) return permission;
  }
  return std::nullopt;
}

Authorizer::Authorizer(std::shared_ptr<const PolicyEngine> engine,
                       std::shared_ptr<const UnitTree> units)
    : engine_(std::move(engine)), units_(std::move(units)) {}

core::Status requirePermission(const PolicyEngine& engine, const Principal& who,
                               std::string_view permission) {
  if (engine.may(who, permission)) return core::okStatus();
  return denied(who, permission);
}

bool Authorizer::may(const Principal& who, std::string_view permission) const {
  return engine_->may(who, permission);
}

core::Status Authorizer::require(const Principal& who, std::string_view permission) const {
  return requirePermission(*engine_, who, permission);
}

bool Authorizer::mayInUnit(const Principal& who, std::string_view permission,
                           const std::string& unit) const {
  // Scope and status do not matter to a unit decision; these are the most restrictive ones.
  const DocumentFacts facts{unit, "internal", "draft"};
  return engine_->may(who, permission, facts, *units_);
}

std::optional<std::vector<std::string>> Authorizer::unitsWhere(const Principal& who,
                                                               std::string_view permission) const {
  std::set<std::string> units;
  for (const auto& grant : who.grants) {
    const Role* role = engine_->policies().role(grant.role);
    if (role == nullptr || !role->permissions.count(std::string(permission))) continue;
    if (!role->unit_bound) return std::nullopt;
    const auto subtree = units_->subtree(grant.unit);
    units.insert(subtree.begin(), subtree.end());
  }
  return std::vector<std::string>(units.begin(), units.end());
}

Visibility Authorizer::visibility(const Principal& who) const {
  return engine_->visibility(who, *units_);
}

bool Authorizer::maySee(const Principal& who, const core::DocumentVersion& version) const {
  return engine_->maySee(who, factsOf(version), *units_);
}

core::Status Authorizer::requireOnDocument(const Principal& who,
                                           const core::DocumentVersion& version,
                                           std::string_view permission) const {
  const DocumentFacts facts = factsOf(version);
  if (!engine_->maySee(who, facts, *units_)) {
    // The same answer as for a document that does not exist.
    return Error::make(ErrorCode::kNotFound, "document_not_found",
                       "文档不存在 (no such document): " + std::to_string(version.document_id));
  }
  if (permission.empty() || engine_->may(who, permission, facts, *units_)) return core::okStatus();
  return denied(who, permission);
}

core::Status Authorizer::requireForUnit(const Principal& who, std::string_view permission,
                                        const std::string& unit, const std::string& scope) const {
  const DocumentFacts facts{unit, scope, "draft"};
  if (engine_->may(who, permission, facts, *units_)) return core::okStatus();
  if (who.anonymous()) return denied(who, permission);
  return Error::make(ErrorCode::kForbidden, "unit_forbidden",
                     "您无权管理该单位的文档 (your roles do not cover this unit): " + unit);
}

bool Authorizer::maySee(const Principal& who, const core::CatalogueItem& item) const {
  return visibility(who).admits(
      {item.org_unit, std::string(core::toString(item.scope)), "published"});
}

core::Status Authorizer::requireCaseReader(const Principal& who) const {
  if (may(who, kCaseReadEverywhere)) return core::okStatus();
  return require(who, kCaseHandle);
}

core::Result<CaseUnits> Authorizer::readableCaseUnits(const Principal& who) const {
  if (auto allowed = requireCaseReader(who); !allowed.ok()) return allowed.error();
  return caseUnitsOf(who);
}

CaseUnits Authorizer::caseUnitsOf(const Principal& who) const {
  if (may(who, kCaseReadEverywhere)) return CaseUnits{true, {}};
  if (!may(who, kCaseHandle)) return CaseUnits{};
  auto units = unitsWhere(who, kCaseHandle);
  if (!units) return CaseUnits{true, {}};
  return CaseUnits{false, std::move(*units)};
}

bool Authorizer::mayReadCase(const Principal& who, const std::string& unit) const {
  return may(who, kCaseReadEverywhere) || mayInUnit(who, kCaseHandle, unit);
}

core::Status Authorizer::requireCaseHandler(const Principal& who, const std::string& unit) const {
  if (mayInUnit(who, kCaseHandle, unit)) return core::okStatus();
  return Error::make(ErrorCode::kForbidden, "unit_forbidden",
                     "您无权办理该单位的意见 (your roles do not cover this unit): " +
                         (unit.empty() ? std::string("（未分派 unassigned）") : unit));
}

SearchVisibility Authorizer::searchVisibility(const Principal& who) const {
  return SearchVisibility{visibility(who), caseUnitsOf(who)};
}

}  // namespace gongkai::policies
