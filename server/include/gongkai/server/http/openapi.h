#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gongkai/server/http/router.h"

namespace gongkai::server::http {

// The OpenAPI 3.1 description of the whole HTTP API (server/openapi/openapi.json), compiled in so
// that a binary always serves the description of the routes it has (/api/v1/openapi.json).
std::string_view openApiDocument();

// Where `router` and `description` (an OpenAPI document) disagree, one line each: a route the
// description leaves out ("GET /x: not described") or an operation no route serves ("GET /y:
// described but not routed"). HEAD, which the router answers wherever GET is, is not compared.
// Empty when they agree; a single line when the description is no JSON object.
std::vector<std::string> undescribedRoutes(const Router& router, std::string_view description);

}  // namespace gongkai::server::http
