#include "access.h"

#include <set>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/feedback.h"
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

bool Access::maySee(const Exchange& ex, const core::CatalogueItem& item) const {
  return visibility(ex).admits(
      {item.org_unit, std::string(core::toString(item.scope)), "published"});
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
  // Documents as the visibility rules say; feedback and applications as the feedback
  // permissions say (below). Seeing every document is not seeing every feedback record.
  const bool readsFeedback = may(ex, "feedback.read");
  viewer.sees_everything = visible.everything && readsFeedback;
  if (visible.everything && !readsFeedback) {
    indexer::ViewerClause all;
    all.scopes.assign(std::begin(policies::kScopes), std::end(policies::kScopes));
    all.statuses.assign(std::begin(policies::kStatuses), std::end(policies::kStatuses));
    viewer.clauses.push_back(std::move(all));
  }
  for (const auto& clause : visible.clauses) {
    indexer::ViewerClause out;
    out.scopes.assign(clause.scopes.begin(), clause.scopes.end());
    out.statuses.assign(clause.statuses.begin(), clause.statuses.end());
    if (clause.units)
      out.org_units = std::vector<std::string>(clause.units->begin(), clause.units->end());
    viewer.clauses.push_back(std::move(out));
  }
  if (viewer.sees_everything) return viewer;
  std::vector<std::string> feedbackStatuses, requestStatuses;
  for (auto status : {core::FeedbackStatus::kReceived, core::FeedbackStatus::kAssigned,
                      core::FeedbackStatus::kInProgress, core::FeedbackStatus::kAnswered,
                      core::FeedbackStatus::kClosed}) {
    feedbackStatuses.emplace_back(core::toString(status));
  }
  for (auto status : {core::RequestStatus::kReceived, core::RequestStatus::kAcknowledged,
                      core::RequestStatus::kDecided}) {
    requestStatuses.emplace_back(core::toString(status));
  }
  const auto add = [&](std::string_view type, const std::vector<std::string>& statuses,
                       std::optional<std::vector<std::string>> units) {
    viewer.clauses.push_back({{std::string(type)}, statuses, std::move(units)});
  };
  if (readsFeedback) {
    add(indexer::kTypeFeedback, feedbackStatuses, std::nullopt);
    add(indexer::kTypeRequest, requestStatuses, std::nullopt);
    return viewer;
  }
  if (!may(ex, "feedback.handle")) return viewer;
  // Handlers: the feedback and applications of the units their handling roles cover.
  const auto units = unitsWhere(ex, "feedback.handle");
  add(indexer::kTypeFeedback, feedbackStatuses, units);
  add(indexer::kTypeRequest, requestStatuses, units);
  return viewer;
}

std::optional<std::vector<std::string>> Access::unitsWhere(const Exchange& ex,
                                                           std::string_view permission) const {
  const auto engine = policies_.engine();
  const auto tree = accounts_.unitTree();
  std::set<std::string> units;
  for (const auto& grant : ex.subject.principal.grants) {
    const policies::Role* role = engine->policies().role(grant.role);
    if (role == nullptr || !role->permissions.count(std::string(permission))) continue;
    if (!role->unit_bound) return std::nullopt;
    const auto subtree = tree->subtree(grant.unit);
    units.insert(subtree.begin(), subtree.end());
  }
  return std::vector<std::string>(units.begin(), units.end());
}

Handler Access::guarded(std::string permission, Handler handler) const {
  return [this, permission = std::move(permission), handler = std::move(handler)](Exchange& ex) {
    if (auto allowed = require(ex, permission); !allowed.ok())
      return ex.sendProblem(allowed.error());
    handler(ex);
  };
}

}  // namespace gongkai::server::http
