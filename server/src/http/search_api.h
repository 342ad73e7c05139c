#pragma once

#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/search_service.h"

namespace gongkai::server::http {

// GET /api/v1/search (hits and facets narrowed to what the caller may see), and for search.manage
// GET /api/v1/search/status and POST /api/v1/search/rebuild; the service decides. The service and
// the catalogue must outlive the router.
void addSearchRoutes(Router& router, service::SearchService& search,
                     const policies::CategoryCatalogue& categories);

}  // namespace gongkai::server::http
