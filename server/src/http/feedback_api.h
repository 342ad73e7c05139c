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
// The units whose cases (feedback and applications) the caller may read: nullopt for every
// unit (feedback.read, or a handling role bound to no unit), else those its handling roles
// cover. 401/403 as requireFeedbackReader.
core::Result<std::optional<std::vector<std::string>>> readableCaseUnits(const Access& access,
                                                                        const Exchange& ex);
// May the caller read a case handled by `unit` ("" for none named yet)?
bool mayReadCase(const Access& access, const Exchange& ex, const std::string& unit);

// ?page= and ?per_page= (at most 100, 20 by default) as a limit and an offset.
struct PageQuery {
  std::int64_t page = 1, per_page = 20;
  std::int64_t offset() const { return (page - 1) * per_page; }
};
core::Result<PageQuery> pageQuery(Exchange& ex);

// Feedback (/api/v1/feedback): public submission with a receipt code, following a case by that
// code without an account, and the handling flow. Handlers (feedback.handle) see and handle the
// cases of their units; feedback.read sees every case. Only they see names and contact details.
// Also the handling report (/api/v1/reports/feedback, JSON or CSV) over feedback and
// applications. The services and `access` must outlive the router.
void addFeedbackRoutes(Router& router, service::FeedbackService& feedback,
                       service::DocumentService& documents,
                       service::CatalogueService& catalogue,
                       const Access& access);

}  // namespace gongkai::server::http
