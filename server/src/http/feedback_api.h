#pragma once

#include "gongkai/server/http/exchange.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/feedback_service.h"
#include "gongkai/server/service/request_service.h"

namespace gongkai::server::http {

// Feedback (/api/v1/feedback): public submission with a receipt code, following a case by that
// code without an account, and the handling flow. Handlers (feedback.handle) see and handle the
// cases of their units; feedback.read sees every case. Only they see names and contact details.
// The services decide who may do what; they must outlive the router.
void addFeedbackRoutes(Router& router, service::FeedbackService& feedback,
                       service::DocumentService& documents, service::CatalogueService& catalogue);

}  // namespace gongkai::server::http
