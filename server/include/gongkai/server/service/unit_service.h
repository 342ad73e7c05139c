#pragma once

#include <Poco/JSON/Object.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/policies/policy_engine.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/account_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// The organisation units and the tree they form. Every change is an audit entry. Thread-safe.
class UnitService {
 public:
  // Creating and changing units needs units.manage, decided on `policies` in force.
  UnitService(store::Store& store, const PolicyService& policies);

  core::Result<std::vector<store::OrgUnit>> units();
  // body: code, name, optional parent.
  core::Result<store::OrgUnit> createUnit(const Subject& subject,
                                          const Poco::JSON::Object::Ptr& body);
  // patch: name, parent ("" for a root); a unit cannot move below itself.
  core::Result<store::OrgUnit> updateUnit(const Subject& subject, const std::string& code,
                                          const Poco::JSON::Object::Ptr& patch);
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
