#pragma once

#include "access.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/policy_service.h"

namespace gongkai::server::http {

// The disclosure catalogue (/api/v1/catalogue) and the compliance calendar
// (/api/v1/reports/compliance, JSON or CSV). The services and `access` must outlive the router.
void addProcedureRoutes(Router& router, service::CatalogueService& catalogue,
                        service::DocumentService& documents, service::PolicyService& policies,
                        const policies::CategoryCatalogue& categories, const Access& access);

}  // namespace gongkai::server::http
