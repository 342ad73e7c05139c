#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/catalogue.h"
#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/policy_engine.h"

// Every decision of a use case, as the services ask for it: the policy engine's answers over one
// principal, the policy in force and the unit tree of the moment, turned into the errors the
// callers see. Denials: kUnauthenticated for an anonymous caller, kForbidden for a known one, and
// kNotFound wherever a caller who may not see a record must not learn that it exists.
namespace gongkai::policies {

// kUnauthenticated (anonymous) or kForbidden unless the principal may `permission` at all.
core::Status requirePermission(const PolicyEngine& engine, const Principal& who,
                               std::string_view permission);

// The facts the policy decides on for one document version.
DocumentFacts factsOf(const core::DocumentVersion& version);

// The permission each step of the disclosure procedure (core/workflow.h) needs: archivists
// submit and archive their units' documents, reviewers approve, reject, publish and withdraw
// them. nullopt for a step that is not one.
std::optional<std::string_view> stepPermission(std::string_view step);

// Who may read the cases (feedback and applications) of which units: `all` for feedback.read or
// a handling role bound to no unit; else the units handling roles cover (none: no case).
struct CaseUnits {
  bool all = false;
  std::vector<std::string> units;
  // The list as the stores filter by it: nullopt for every unit.
  std::optional<std::vector<std::string>> filter() const {
    return all ? std::nullopt : std::optional<std::vector<std::string>>(units);
  }
};

// What a principal may find in search: documents as `documents` says, cases as `cases` says.
struct SearchVisibility {
  Visibility documents;
  CaseUnits cases;
};

class Authorizer {
 public:
  Authorizer(std::shared_ptr<const PolicyEngine> engine, std::shared_ptr<const UnitTree> units);

  const PolicyEngine& engine() const { return *engine_; }
  const UnitTree& units() const { return *units_; }

  // May the principal `permission` at all (a unit-bound role counts whatever its unit)?
  bool may(const Principal& who, std::string_view permission) const;
  core::Status require(const Principal& who, std::string_view permission) const;
  // For something of `unit` ("" is no unit, which only roles bound to none cover).
  bool mayInUnit(const Principal& who, std::string_view permission, const std::string& unit) const;
  // The units where the principal may `permission`: nullopt when a role bound to no unit grants
  // it (every unit, and records with none), else the units its unit-bound roles cover with the
  // units under them (empty when none does).
  std::optional<std::vector<std::string>> unitsWhere(const Principal& who,
                                                     std::string_view permission) const;

  // Documents.
  Visibility visibility(const Principal& who) const;
  bool maySee(const Principal& who, const core::DocumentVersion& version) const;
  // kNotFound ("document_not_found") when the principal may not see the version; then, when
  // `permission` is given, kForbidden unless the principal may do it to this document.
  core::Status requireOnDocument(const Principal& who, const core::DocumentVersion& version,
                                 std::string_view permission = {}) const;
  // kForbidden ("unit_forbidden"; kUnauthenticated when anonymous) unless the principal may
  // `permission` for a document in `unit` with `scope`: creating one, or moving one there.
  core::Status requireForUnit(const Principal& who, std::string_view permission,
                              const std::string& unit, const std::string& scope) const;

  // A catalogue item is seen by whoever may see a published document of its unit and scope.
  bool maySee(const Principal& who, const core::CatalogueItem& item) const;

  // Cases: feedback and disclosure-on-request applications. Reading them needs feedback.read,
  // or feedback.handle for the cases of the handler's units.
  core::Status requireCaseReader(const Principal& who) const;
  // The cases the principal may read (none for one who may read no case).
  CaseUnits caseUnitsOf(const Principal& who) const;
  // The same, but 401/403 (as requireCaseReader) for one who may read no case.
  core::Result<CaseUnits> readableCaseUnits(const Principal& who) const;
  bool mayReadCase(const Principal& who, const std::string& unit) const;
  // kForbidden ("unit_forbidden") unless the principal may handle cases of `unit`.
  core::Status requireCaseHandler(const Principal& who, const std::string& unit) const;

  SearchVisibility searchVisibility(const Principal& who) const;

 private:
  std::shared_ptr<const PolicyEngine> engine_;
  std::shared_ptr<const UnitTree> units_;
};

}  // namespace gongkai::policies
