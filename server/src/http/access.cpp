#include "access.h"

#include "gongkai/core/workflow.h"

namespace gongkai::server::http {

using core::Error;
using core::ErrorCode;

policies::DocumentFacts factsOf(const core::DocumentVersion& version) {
  return policies::DocumentFacts{version.metadata.org_unit,
                                 std::string(core::toString(version.metadata.scope)),
                                 std::string(core::visibleStatus(version))};
}

Error Access::denied(const Exchange& ex, std::string_view permission) const {
  if (ex.subject.principal.anonymous()) {
    return Error::make(ErrorCode::kUnauthenticated, "authentication_required",
                       "请先登录 (sign in first)");
  }
  return Error::make(
      ErrorCode::kForbidden, "forbidden",
      "您的角色无权进行此操作 (your roles do not allow this): " + std::string(permission));
}

core::Status Access::require(const Exchange& ex, std::string_view permission) const {
  if (may(ex, permission)) return core::okStatus();
  return denied(ex, permission);
}

bool Access::may(const Exchange& ex, std::string_view permission) const {
  return policies_.engine()->may(ex.subject.principal, permission);
}

bool Access::mayInUnit(const Exchange& ex, std::string_view permission,
                       const std::string& orgUnit) const {
  const policies::DocumentFacts facts{orgUnit, "internal", "draft"};
  return policies_.engine()->may(ex.subject.principal, permission, facts, *accounts_.unitTree());
}

bool Access::maySee(const Exchange& ex, const core::DocumentVersion& version) const {
  return policies_.engine()->maySee(ex.subject.principal, factsOf(version), *accounts_.unitTree());
}

core::Status Access::requireOnDocument(const Exchange& ex, const core::DocumentVersion& version,
                                       std::string_view permission) const {
  const auto engine = policies_.engine();
  const auto tree = accounts_.unitTree();
  const auto facts = factsOf(version);
  if (!engine->maySee(ex.subject.principal, facts, *tree)) {
    // The same answer as for a document that does not exist.
    return Error::make(ErrorCode::kNotFound, "document_not_found",
                       "文档不存在 (no such document): " + std::to_string(version.document_id));
  }
  if (permission.empty() || engine->may(ex.subject.principal, permission, facts, *tree)) {
    return core::okStatus();
  }
  return denied(ex, permission);
}

core::Status Access::requireForUnit(const Exchange& ex, std::string_view permission,
                                    const std::string& orgUnit, const std::string& scope) const {
  const policies::DocumentFacts facts{orgUnit, scope, "draft"};
  if (policies_.engine()->may(ex.subject.principal, permission, facts, *accounts_.unitTree())) {
    return core::okStatus();
  }
  if (ex.subject.principal.anonymous()) return denied(ex, permission);
  return Error::make(ErrorCode::kForbidden, "unit_forbidden",
                     "您无权管理该单位的文档 (your roles do not cover this unit): " + orgUnit);
}

policies::Visibility Access::visibility(const Exchange& ex) const {
  return policies_.engine()->visibility(ex.subject.principal, *accounts_.unitTree());
}

indexer::Viewer Access::viewer(const Exchange& ex) const {
  const policies::Visibility visible = visibility(ex);
  indexer::Viewer viewer;
  viewer.sees_everything = visible.everything;
  for (const auto& clause : visible.clauses) {
    indexer::ViewerClause out;
    out.scopes.assign(clause.scopes.begin(), clause.scopes.end());
    out.statuses.assign(clause.statuses.begin(), clause.statuses.end());
    if (clause.units)
      out.org_units = std::vector<std::string>(clause.units->begin(), clause.units->end());
    viewer.clauses.push_back(std::move(out));
  }
  return viewer;
}

Handler Access::guarded(std::string permission, Handler handler) const {
  return [this, permission = std::move(permission), handler = std::move(handler)](Exchange& ex) {
    if (auto allowed = require(ex, permission); !allowed.ok())
      return ex.sendProblem(allowed.error());
    handler(ex);
  };
}

}  // namespace gongkai::server::http
