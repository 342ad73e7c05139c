// The roles an account holds: taken from a request, checked against the policy in force and the
// unit tree, and written out. Private to the user service.
#pragma once

#include <Poco/JSON/Array.h>

#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/policies/policy_engine.h"
#include "gongkai/server/service/account.h"
#include "gongkai/server/store/account_repository.h"

namespace gongkai::server::service::user_roles {

// The roles a request names, sorted and without repeats.
std::vector<store::UserRole> fromAccount(const std::vector<AccountRole>& asked);

// Each role must be one of the policy's (not the public's), bound to an existing unit exactly
// when the policy says it is unit-bound.
core::Status check(const std::vector<store::UserRole>& roles, const policies::PolicyEngine& engine,
                   const policies::UnitTree& tree, const std::string& field);

Poco::JSON::Array::Ptr toJson(const std::vector<store::UserRole>& roles);

}  // namespace gongkai::server::service::user_roles
