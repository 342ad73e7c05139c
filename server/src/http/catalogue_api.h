#pragma once

#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/catalogue_service.h"

namespace gongkai::server::http {

// The disclosure catalogue (/api/v1/catalogue: items, their versions, changes) and the categories
// of disclosure (/api/v1/categories). The service and the categories must outlive the router.
void addCatalogueRoutes(Router& router, service::CatalogueService& catalogue,
                        const policies::CategoryCatalogue& categories);

}  // namespace gongkai::server::http
