#pragma once

#include "access.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/search_service.h"

namespace gongkai::server::http {

// GET /api/v1/search (hits and facets narrowed to what the caller may see), and for search.manage
// GET /api/v1/search/status and POST /api/v1/search/rebuild. The service, the catalogue and
// `access` must outlive the router.
void addSearchRoutes(Router& router, service::SearchService& search,
                     const policies::CategoryCatalogue& categories, const Access& access);

}  // namespace gongkai::server::http
