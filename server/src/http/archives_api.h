#pragma once

#include "access.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/archive_service.h"
#include "gongkai/server/service/job_service.h"

namespace gongkai::server::http {

// Annual archive bundles (/api/v1/archives: build, list, download, signing keys) and the jobs
// that build them (/api/v1/jobs/{id}, cancel). Building needs archives.build; everything else
// archives.read. The services and `access` must outlive the router.
void addArchiveRoutes(Router& router, service::ArchiveService& archives, service::JobService& jobs,
                      const Access& access);

}  // namespace gongkai::server::http
