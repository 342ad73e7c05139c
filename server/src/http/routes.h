#pragma once

#include <cstdint>

#include "gongkai/server/service/archive_receipts.h"
#include "gongkai/server/service/archive_service.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/checkpoint_service.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/download_tickets.h"
#include "gongkai/server/service/feedback_service.h"
#include "gongkai/server/service/import_service.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/report_service.h"
#include "gongkai/server/service/request_service.h"
#include "gongkai/server/service/retention_service.h"
#include "gongkai/server/service/search_service.h"
#include "gongkai/server/service/sign_in_service.h"
#include "gongkai/server/service/token_service.h"
#include "gongkai/server/service/unit_service.h"
#include "gongkai/server/service/user_service.h"
#include "net/multipart_upload.h"
#include "toolkit.h"

// The groups of routes buildRouter puts together, one file each. The services decide who may do
// what; they must outlive the router.
namespace gongkai::server::http {

// /api/v1/documents: filing, changes while a draft, the procedure's steps, versions, files; a
// JSON body or an upload's metadata part at most limits.max_json_bytes.
void addDocumentRoutes(Router& router, service::DocumentService& documents,
                       service::SearchService& search, const net::UploadLimits& limits);

// GET /api/v1/audit/{checkpoint, checkpoints, checkpoints/{size}, proof/inclusion,
// proof/consistency, entries, key, keys, export}, all for callers with audit.read.
void addAuditRoutes(Router& router, service::AuditService& audit,
                    service::CheckpointService& checkpoints);

// GET /api/v1/search (hits and facets narrowed to what the caller may see), and for search.manage
// GET /api/v1/search/status and POST /api/v1/search/rebuild. The catalogue names the categories.
void addSearchRoutes(Router& router, service::SearchService& search,
                     const service::CatalogueService& catalogue);

// /api/v1/auth/*: login, logout, me, password, tokens.
void addSignInRoutes(Router& router, service::SignInService& signIn, service::TokenService& tokens,
                     service::UserService& users);
// POST /api/v1/auth/download-tickets {"path": "/api/v1/archives/3/download"} → 201
// {url, expires_at}: a link that GETs that path for a minute as the caller's session (see
// service::DownloadTickets). The request that follows the link is authenticated by
// HandlerFactory and checked by the path's own handler as usual.
void addDownloadTicketRoutes(Router& router, const service::DownloadTickets& tickets);
// /api/v1/users.
void addUserRoutes(Router& router, service::UserService& users);
// /api/v1/org-units.
void addUnitRoutes(Router& router, service::UnitService& units);
// /api/v1/policies: the policy in force, why a caller may do something, reloading it.
void addPolicyRoutes(Router& router, service::PolicyService& policies, service::UserService& users);
// The largest request body the account, unit and sign-in routes read.
inline constexpr std::int64_t kMaxAccountBodyBytes = 64 * 1024;

// The disclosure catalogue (/api/v1/catalogue: items, their versions, changes) and the categories
// of disclosure (/api/v1/categories).
void addCatalogueRoutes(Router& router, service::CatalogueService& catalogue);

// Annual archive bundles (/api/v1/archives: build, list, download, signing keys) and the jobs
// that build them (/api/v1/jobs: the recent ones; /api/v1/jobs/{id}, cancel). Building and
// cancelling need archives.build, everything else archives.read.
void addArchiveRoutes(Router& router, service::ArchiveService& archives);
// The receiving office's countersignature of a bundle (POST /api/v1/archives/{id}/receipt,
// archives.receive) and the receipts so far (GET /api/v1/archives/{id}/receipts, archives.read).
void addArchiveReceiptRoutes(Router& router, service::ArchiveReceipts& receipts);

// POST /api/v1/imports: checks a legacy archive's catalogue in a folder under the import root
// and starts the import job (202, its status at /api/v1/jobs/{id}), or only reports
// ("dry_run": true, 200). documents.import; see service::ImportService.
void addImportRoutes(Router& router, service::ImportService& imports);

// Feedback (/api/v1/feedback): public submission with a receipt code, following a case by that
// code without an account, and the handling flow. Handlers (feedback.handle) see and handle the
// cases of their units; feedback.read sees every case. Only they see names and contact details.
void addFeedbackRoutes(Router& router, service::FeedbackService& feedback);

// Disclosure on request (/api/v1/disclosure-requests): public application with a receipt code,
// the public log of decisions (no applicant), and handling by feedback handlers.
void addRequestRoutes(Router& router, service::RequestService& requests);

// GET /api/v1/board (public), /api/v1/reports/compliance and /api/v1/reports/feedback (JSON, or
// CSV on Accept: text/csv or ?format=csv for the feedback report).
void addReportRoutes(Router& router, service::ReportService& reports);

// Retention and disposition (/api/v1/retention/due, /dispositions: propose, approve, reject) and
// legal holds (/api/v1/retention/holds: place, list, release); see service::RetentionService.
void addRetentionRoutes(Router& router, service::RetentionService& retention);

// GET /api/v1/openapi.json: the API's description (openApiDocument()), public, revalidated by
// its ETag.
void addOpenApiRoute(Router& router);

}  // namespace gongkai::server::http
