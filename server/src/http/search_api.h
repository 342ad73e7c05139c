#pragma once

#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/search_service.h"

namespace gongkai::server::http {

// GET /api/v1/search, GET /api/v1/search/status, POST /api/v1/search/rebuild. The service and the
// catalogue must outlive the router.
void addSearchRoutes(Router& router, service::SearchService& search,
                     const policies::CategoryCatalogue& categories);

}  // namespace gongkai::server::http
