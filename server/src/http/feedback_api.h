#pragma once

#include "access.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/feedback_service.h"
#include "gongkai/server/service/request_service.h"

namespace gongkai::server::http {

// Who may read feedback and applications at all: feedback.read, or feedback.handle (for the
// records of their units). 401/403 for everyone else.
core::Status requireFeedbackReader(const Access& access, const Exchange& ex);

// Feedback (/api/v1/feedback): public submission with a receipt code, following a case by that
// code without an account, and the handling flow. Handlers (feedback.handle) see and handle the
// cases of their units; feedback.read sees every case. Only they see names and contact details.
// Also the handling report (/api/v1/reports/feedback, JSON or CSV) over feedback and
// applications. The services and `access` must outlive the router.
void addFeedbackRoutes(Router& router, service::FeedbackService& feedback,
                       service::RequestService& requests, service::DocumentService& documents,
                       service::CatalogueService& catalogue, service::AccountService& accounts,
                       const Access& access);

}  // namespace gongkai::server::http
