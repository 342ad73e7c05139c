#pragma once

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/archive_service.h"

namespace gongkai::server::http {

// Annual archive bundles (/api/v1/archives: build, list, download, signing keys) and the jobs
// that build them (/api/v1/jobs/{id}, cancel). The service decides: building and cancelling need
// archives.build, everything else archives.read. The service must outlive the router.
void addArchiveRoutes(Router& router, service::ArchiveService& archives);

}  // namespace gongkai::server::http
