// The API's own description, served (net::undescribedRoutes compares it with the router).
#include "gongkai/server/http/openapi.h"
#include "net/web_assets.h"
#include "routes.h"

namespace gongkai::server::http {

void addOpenApiRoute(Router& router) {
  router.add("GET", "/api/v1/openapi.json", [](Exchange& ex) {
    // It changes only with the binary: caches keep it and ask again with its ETag.
    net::sendCached(ex, std::string(openApiDocument()), "application/json; charset=utf-8",
                    "public, no-cache", "");
  });
}

}  // namespace gongkai::server::http
