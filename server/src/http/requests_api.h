#pragma once

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/request_service.h"

namespace gongkai::server::http {

// Disclosure on request (/api/v1/disclosure-requests): public application with a receipt code,
// the public log of decisions (no applicant), and handling by feedback handlers; the service
// decides who may do what. The services must outlive the router.
void addRequestRoutes(Router& router, service::RequestService& requests,
                      service::DocumentService& documents);

}  // namespace gongkai::server::http
