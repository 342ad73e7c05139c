#pragma once

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/report_service.h"

namespace gongkai::server::http {

// GET /api/v1/board (public), /api/v1/reports/compliance and /api/v1/reports/feedback (JSON, or
// CSV on Accept: text/csv or ?format=csv for the feedback report). The service must outlive the
// router.
void addReportRoutes(Router& router, service::ReportService& reports,
                     const policies::CategoryCatalogue& categories);

}  // namespace gongkai::server::http
