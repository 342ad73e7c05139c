#pragma once

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/catalogue_service.h"

namespace gongkai::server::http {

// The disclosure catalogue (/api/v1/catalogue: items, their versions, changes) and the categories
// of disclosure (/api/v1/categories). The service must outlive the router.
void addCatalogueRoutes(Router& router, service::CatalogueService& catalogue);

}  // namespace gongkai::server::http
