#pragma once

#include "gongkai/server/http/exchange.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/checkpoint_service.h"

namespace gongkai::server::http {

// GET /api/v1/audit/{checkpoint, checkpoints, checkpoints/{size}, proof/inclusion,
// proof/consistency, entries, key, keys, export}, all for callers with audit.read. The services
// must outlive the router.
void addAuditRoutes(Router& router, service::AuditService& audit,
                    service::CheckpointService& checkpoints);

}  // namespace gongkai::server::http
