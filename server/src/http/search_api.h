#pragma once

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/search_service.h"

namespace gongkai::server::http {

// GET /api/v1/search (hits and facets narrowed to what the caller may see), and for search.manage
// GET /api/v1/search/status and POST /api/v1/search/rebuild; the service decides. The service and
// the catalogue (for the categories' names) must outlive the router.
void addSearchRoutes(Router& router, service::SearchService& search,
                     const service::CatalogueService& catalogue);

}  // namespace gongkai::server::http
