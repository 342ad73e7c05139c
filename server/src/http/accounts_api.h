#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <vector>

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/sign_in_service.h"
#include "gongkai/server/service/token_service.h"
#include "gongkai/server/service/unit_service.h"
#include "gongkai/server/service/user_service.h"

namespace gongkai::server::http {

// The routes of units, users, sign-in and tokens, and the policy in force. The services decide
// who may do what; they must outlive the router.

// /api/v1/auth/*: login, logout, me, password, tokens.
void addSignInRoutes(Router& router, service::SignInService& signIn, service::TokenService& tokens,
                     service::UserService& users);
// /api/v1/users.
void addUserRoutes(Router& router, service::UserService& users);
// /api/v1/org-units.
void addUnitRoutes(Router& router, service::UnitService& units);
// /api/v1/policies: the policy in force, why a caller may do something, reloading it.
void addPolicyRoutes(Router& router, service::PolicyService& policies, service::UserService& users);

// The largest request body these routes read.
inline constexpr std::int64_t kMaxAccountBodyBytes = 64 * 1024;

template <typename T>
Poco::JSON::Array::Ptr jsonArrayOf(const std::vector<T>& items,
                                   Poco::JSON::Object::Ptr (*toJson)(const T&)) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& item : items) out->add(toJson(item));
  return out;
}

}  // namespace gongkai::server::http
