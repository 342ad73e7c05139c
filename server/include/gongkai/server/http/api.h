#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <string>

#include "gongkai/server/net/router.h"
#include "gongkai/server/service/archive_receipts.h"
#include "gongkai/server/service/archive_service.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/checkpoint_service.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/download_tickets.h"
#include "gongkai/server/service/feedback_service.h"
#include "gongkai/server/service/import_service.h"
#include "gongkai/server/service/job_service.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/report_service.h"
#include "gongkai/server/service/request_service.h"
#include "gongkai/server/service/retention_service.h"
#include "gongkai/server/service/search_service.h"
#include "gongkai/server/service/server_figures.h"
#include "gongkai/server/service/sign_in_service.h"
#include "gongkai/server/service/token_service.h"
#include "gongkai/server/service/unit_service.h"
#include "gongkai/server/service/user_service.h"

namespace gongkai::server::http {

struct ApiOptions {
  std::int64_t max_json_bytes = 1 << 20;
  std::int64_t max_upload_bytes = std::int64_t{8} << 30;
  int max_files_per_request = 100;
  std::string web_dir;  // static pages served at "/", "" for none
  // Fills the body of GET /healthz; returning nullptr answers 503.
  std::function<Poco::JSON::Object::Ptr()> health;
  // The checks of GET /readyz: 200 when all pass, else 503 naming the failing ones.
  std::function<service::Readiness()> readiness;
  // The Prometheus text of GET /metrics for the caller, or the problem (see
  // service::MetricsAccess, which decides who may read it); no route when unset.
  std::function<core::Result<std::string>(const service::Subject&)> metrics;
};

// The services the API serves; they must outlive the router.
struct Services {
  service::DocumentService& documents;
  service::AuditService& audit;
  service::CheckpointService& checkpoints;
  service::SearchService& search;
  service::UnitService& units;
  service::UserService& users;
  service::SignInService& signIn;
  service::TokenService& tokens;
  service::PolicyService& policies;
  service::CatalogueService& catalogue;
  service::ArchiveService& archives;
  service::JobService& jobs;
  service::FeedbackService& feedback;
  service::RequestService& requests;
  service::ReportService& reports;
  const service::DownloadTickets& tickets;
  service::ImportService* imports = nullptr;       // POST /api/v1/imports when set
  service::RetentionService* retention = nullptr;  // /api/v1/retention/* when set
  service::ArchiveReceipts* receipts = nullptr;    // /api/v1/archives/{id}/receipt(s) when set
};

// The route table of the whole HTTP API (/healthz, /api/v1/...). Each route parses the request,
// calls one service method, which decides through the policies::Authorizer whether the caller
// may, and renders the answer.
net::Router buildRouter(const Services& services, const ApiOptions& options);

}  // namespace gongkai::server::http
