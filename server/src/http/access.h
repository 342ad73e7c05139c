#pragma once

#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "gongkai/core/catalogue.h"
#include "gongkai/core/document.h"
#include "gongkai/indexer/search_index.h"
#include "gongkai/server/http/exchange.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/account_service.h"
#include "gongkai/server/service/policy_service.h"

namespace gongkai::server::http {

// The HTTP side of the one decision point: every route asks here, and here asks the policy
// engine. Denials: 401 for an anonymous caller, 403 for a known one, and 404 wherever a caller
// who may not see a document must not learn that it exists.
class Access {
 public:
  Access(service::PolicyService& policies, service::AccountService& accounts)
      : policies_(policies), accounts_(accounts) {}

  // kUnauthenticated or kForbidden unless the caller may `permission` at all.
  core::Status require(const Exchange& ex, std::string_view permission) const;
  // kNotFound when the caller may not see the version; then, when `permission` is given,
  // kForbidden unless the caller may do it to this document.
  core::Status requireOnDocument(const Exchange& ex, const core::DocumentVersion& version,
                                 std::string_view permission = {}) const;
  // kForbidden (kUnauthenticated when anonymous) unless the caller may `permission` for a
  // document in `orgUnit` with `scope`: creating one, or moving one there.
  core::Status requireForUnit(const Exchange& ex, std::string_view permission,
                              const std::string& orgUnit, const std::string& scope) const;
  bool maySee(const Exchange& ex, const core::DocumentVersion& version) const;
  // A catalogue item is seen by whoever may see a published document of its unit and scope.
  bool maySee(const Exchange& ex, const core::CatalogueItem& item) const;
  // May the caller `permission` at all, or for something of `orgUnit` (a unit-bound role counts
  // only within its units; "" is no unit, which only roles bound to none cover).
  bool may(const Exchange& ex, std::string_view permission) const;
  bool mayInUnit(const Exchange& ex, std::string_view permission, const std::string& orgUnit) const;
  // The units where the caller may `permission`: nullopt when a role bound to no unit grants it
  // (every unit, and cases with none), else the units its unit-bound roles cover with the units
  // under them (empty when none does).
  std::optional<std::vector<std::string>> unitsWhere(const Exchange& ex, std::string_view permission) const;
  policies::Visibility visibility(const Exchange& ex) const;
  indexer::Viewer viewer(const Exchange& ex) const;

  // The policy in force, for handlers that need more of it than a decision (limits, calendar).
  std::shared_ptr<const policies::PolicyEngine> engine() const { return policies_.engine(); }

  // A handler that runs only when the caller may `permission`.
  Handler guarded(std::string permission, Handler handler) const;

 private:
  core::Error denied(const Exchange& ex, std::string_view permission) const;

  service::PolicyService& policies_;
  service::AccountService& accounts_;
};

policies::DocumentFacts factsOf(const core::DocumentVersion& version);

}  // namespace gongkai::server::http
