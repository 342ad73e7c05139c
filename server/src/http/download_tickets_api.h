#pragma once

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/download_tickets.h"

namespace gongkai::server::http {

// POST /api/v1/auth/download-tickets {"path": "/api/v1/archives/3/download"} → 201
// {url, expires_at}: a link that GETs that path for a minute as the caller's session (see
// service::DownloadTickets). The request that follows the link is authenticated by
// HandlerFactory and checked by the path's own handler as usual.
void addDownloadTicketRoutes(Router& router, const service::DownloadTickets& tickets);

}  // namespace gongkai::server::http
