#pragma once

#include <functional>

#include "gongkai/policies/authorizer.h"
#include "gongkai/server/service/subject.h"

namespace gongkai::server::service {

// The decision point as the services reach it: the policy in force over the unit tree of the
// moment. A use case takes it once and makes all its decisions on that one.
using AuthorizerSource = std::function<policies::Authorizer()>;

}  // namespace gongkai::server::service
