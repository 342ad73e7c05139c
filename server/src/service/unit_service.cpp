#include "gongkai/server/service/unit_service.h"

#include <algorithm>
#include <map>
#include <optional>

#include "account_support.h"
#include "gongkai/core/time.h"
#include "gongkai/policies/authorizer.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {
namespace {

using account_support::audit;
using account_support::invalid;
using account_support::isValidName;
using account_support::revisionOf;
using account_support::staleRevision;
using account_support::withFields;
using core::Error;
using core::ErrorCode;
using Poco::JSON::Object;
using store::AccountRepository;
using store::OrgUnit;
using store::Transaction;

// What an audit entry about a unit covers.
Object::Ptr unitRecord(const OrgUnit& unit) {
  Object::Ptr record = new Object;
  record->set("code", unit.code);
  record->set("name", unit.name);
  record->set("parent", unit.parent_code);
  return record;
}

Unit unitOf(const OrgUnit& unit) {
  return Unit{unit.code, unit.name, unit.parent_code, unit.created_at,
              revisionOf(unitRecord(unit))};
}

Error invalidUnit(std::vector<core::FieldError> errors) {
  return withFields("invalid_unit", "单位信息有误 (invalid unit)", std::move(errors));
}

const core::FieldError kInvalidUnitName{
    "name", "invalid_name", "单位名称须为 1-200 字节的文字 (name: 1-200 bytes of text)"};

}  // namespace

bool isUnitCode(const std::string& code) {
  if (code.empty() || code.size() > 64) return false;
  return std::all_of(code.begin(), code.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

UnitService::UnitService(store::Store& store, const PolicyService& policies)
    : store_(store), policies_(policies) {
  refreshTree();
}

core::Status UnitService::mayManage(const Subject& subject) const {
  if (subject.system) return core::okStatus();
  return policies::requirePermission(*policies_.engine(), subject.principal, "units.manage");
}

void UnitService::refreshTree() {
  // One refresh at a time, each reading after the change it follows: the newest tree wins.
  std::lock_guard refreshing(refreshMutex_);
  std::map<std::string, std::string> parents;
  auto rs = store_.read();
  for (const auto& unit : AccountRepository::units(*rs)) parents[unit.code] = unit.parent_code;
  auto tree = std::make_shared<const policies::UnitTree>(parents);
  std::lock_guard lock(treeMutex_);
  tree_ = std::move(tree);
}

std::shared_ptr<const policies::UnitTree> UnitService::unitTree() const {
  std::lock_guard lock(treeMutex_);
  return tree_;
}

core::Result<std::vector<Unit>> UnitService::units() {
  try {
    auto rs = store_.read();
    std::vector<Unit> out;
    for (const auto& unit : AccountRepository::units(*rs)) out.push_back(unitOf(unit));
    return out;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Unit> UnitService::createUnit(const Subject& subject, const NewUnit& asked) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  std::vector<core::FieldError> errors = asked.form_errors;
  OrgUnit unit{asked.code, asked.name, asked.parent_code, ""};
  if (!isUnitCode(unit.code)) {
    errors.push_back(
        {"code", "invalid_unit_code",
         "单位代码须为 1-64 个字母、数字或 - _ . (unit code: 1-64 letters, digits, - _ .)"});
  }
  if (!isValidName(unit.name)) errors.push_back(kInvalidUnitName);
  if (!errors.empty()) return invalidUnit(std::move(errors));
  unit.created_at = core::formatRfc3339(core::nowUtc());
  auto stored = store_.write<OrgUnit>([&](Transaction& tx) -> core::Result<OrgUnit> {
    bool exists = false, parentExists = unit.parent_code.empty();
    for (const auto& known : AccountRepository::units(tx)) {
      exists = exists || known.code == unit.code;
      parentExists = parentExists || known.code == unit.parent_code;
    }
    if (exists) {
      return Error::make(ErrorCode::kConflict, "unit_exists",
                         "单位代码已存在 (unit code already exists): " + unit.code);
    }
    if (!parentExists)
      return invalid("unknown_unit", "parent",
                     "上级单位不存在 (no such parent unit): " + unit.parent_code);
    AccountRepository::insertUnit(tx, unit);
    audit(tx, subject, "unit.create", "unit", unit.code, unitRecord(unit));
    return unit;
  });
  if (!stored.ok()) return stored.error();
  refreshTree();
  return unitOf(stored.value());
}

core::Result<Unit> UnitService::updateUnit(const Subject& subject, const std::string& code,
                                           const UnitChange& change) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  std::vector<core::FieldError> errors = change.form_errors;
  const auto& name = change.name;
  const auto& parent = change.parent_code;
  if (name && !isValidName(*name)) errors.push_back(kInvalidUnitName);
  if (!errors.empty()) return invalidUnit(std::move(errors));
  auto stored = store_.write<OrgUnit>([&](Transaction& tx) -> core::Result<OrgUnit> {
    std::map<std::string, std::string> parents;
    std::optional<OrgUnit> found;
    for (auto& known : AccountRepository::units(tx)) {
      parents[known.code] = known.parent_code;
      if (known.code == code) found = known;
    }
    if (!found)
      return Error::make(ErrorCode::kNotFound, "unit_not_found",
                         "单位不存在 (no such unit): " + code);
    if (change.expected_revision && *change.expected_revision != revisionOf(unitRecord(*found)))
      return staleRevision("单位");
    OrgUnit unit = *found;
    if (name) unit.name = *name;
    if (parent) {
      if (!parent->empty() && !parents.count(*parent)) {
        return invalid("unknown_unit", "parent",
                       "上级单位不存在 (no such parent unit): " + *parent);
      }
      // A unit may not move below itself.
      if (!parent->empty() && policies::UnitTree(parents).within(*parent, code)) {
        return invalid("unit_cycle", "parent",
                       "上级单位不能是本单位或其下级 (a unit cannot be placed below itself)");
      }
      unit.parent_code = *parent;
    }
    if (unit.name == found->name && unit.parent_code == found->parent_code) return unit;
    AccountRepository::updateUnit(tx, unit);
    audit(tx, subject, "unit.update", "unit", unit.code, unitRecord(unit));
    return unit;
  });
  if (!stored.ok()) return stored.error();
  refreshTree();
  return unitOf(stored.value());
}

}  // namespace gongkai::server::service
