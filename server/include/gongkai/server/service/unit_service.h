#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/policies/policy_engine.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/account_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// An organisation unit as the service shows it.
struct Unit {
  std::string code;         // ASCII: letters, digits, '-', '_', '.'; documents name it in org_unit
  std::string name;         // e.g. 孝德镇卫生院党支部
  std::string parent_code;  // "" for a root
  std::string created_at;   // RFC 3339
  std::string revision;     // as Account::revision
};

// A unit to create, as the caller asked for it. `form_errors` is what the transport found wrong
// with the request's form (unknown or mistyped members): the service reports them with its own
// once it has decided that the caller may act at all.
struct NewUnit {
  std::string code;
  std::string name;
  std::string parent_code;  // "" for a root
  std::vector<core::FieldError> form_errors;
};

// A change to a unit: only what is given changes. `form_errors` as for NewUnit.
struct UnitChange {
  std::optional<std::string> name;
  std::optional<std::string> parent_code;  // "" for a root
  std::vector<core::FieldError> form_errors;
  // The revision the caller last saw; nullopt for an unconditional change.
  std::optional<std::string> expected_revision;
};

// The organisation units and the tree they form. Every change is an audit entry. Thread-safe.
class UnitService {
 public:
  // Creating and changing units needs units.manage, decided on `policies` in force.
  UnitService(store::Store& store, const PolicyService& policies);

  core::Result<std::vector<Unit>> units();
  // A unit below an existing parent (or a root); its code must be new.
  core::Result<Unit> createUnit(const Subject& subject, const NewUnit& unit);
  // A new name or parent; a unit cannot move below itself.
  core::Result<Unit> updateUnit(const Subject& subject, const std::string& code,
                                const UnitChange& change);
  // The tree as of the last change; cheap to call on every request.
  std::shared_ptr<const policies::UnitTree> unitTree() const;

 private:
  core::Status mayManage(const Subject& subject) const;
  void refreshTree();

  store::Store& store_;
  const PolicyService& policies_;
  std::mutex refreshMutex_;
  mutable std::mutex treeMutex_;
  std::shared_ptr<const policies::UnitTree> tree_;
};

// True for an organisation unit code: 1-64 of letters, digits, '-', '_', '.'.
bool isUnitCode(const std::string& code);

}  // namespace gongkai::server::service
