#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gongkai/server/net/router.h"

namespace gongkai::server::net {

// Where `router` and `description` (an OpenAPI document) disagree, one line each: a route the
// description leaves out ("GET /x: not described") or an operation no route serves ("GET /y:
// described but not routed"). HEAD, which the router answers wherever GET is, is not compared.
// Empty when they agree; a single line when the description is no JSON object.
std::vector<std::string> undescribedRoutes(const Router& router, std::string_view description);

}  // namespace gongkai::server::net
