#pragma once

#include "access.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/account_service.h"
#include "gongkai/server/service/policy_service.h"

namespace gongkai::server::http {

// /api/v1/auth/* (login, logout, me, password, tokens), /api/v1/users, /api/v1/org-units and
// /api/v1/policies. The services and `access` must outlive the router.
void addAccountRoutes(Router& router, service::AccountService& accounts,
                      service::PolicyService& policies, const Access& access);

}  // namespace gongkai::server::http
