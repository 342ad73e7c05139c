#pragma once

#include <string_view>

namespace gongkai::server::http {

// The OpenAPI 3.1 description of the whole HTTP API (server/openapi/openapi.json), compiled in so
// that a binary always serves the description of the routes it has (/api/v1/openapi.json).
std::string_view openApiDocument();

}  // namespace gongkai::server::http
