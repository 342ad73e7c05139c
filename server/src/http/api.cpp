#include "gongkai/server/http/api.h"

#include "net/web_assets.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

void addHealthRoute(Router& router, std::function<Poco::JSON::Object::Ptr()> healthOf) {
  router.add("GET", "/healthz", [healthOf = std::move(healthOf)](Exchange& ex) {
    Poco::JSON::Object::Ptr body = healthOf ? healthOf() : nullptr;
    if (!body) {
      return ex.sendProblem(core::Error::make(core::ErrorCode::kUnavailable, "unhealthy",
                                              "服务不可用 (not healthy)"));
    }
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(Poco::Net::HTTPResponse::HTTP_OK, body);
  });
}

}  // namespace

Router buildRouter(const Services& services, const ApiOptions& options) {
  Router router;
  addHealthRoute(router, options.health);
  addDocumentRoutes(router, services.documents, services.search,
                    DocumentApiOptions{options.max_json_bytes, options.max_upload_bytes,
                                       options.max_files_per_request});
  addAuditRoutes(router, services.audit, services.checkpoints);
  addSearchRoutes(router, services.search, services.catalogue);
  addSignInRoutes(router, services.signIn, services.tokens, services.users);
  addUserRoutes(router, services.users);
  addUnitRoutes(router, services.units);
  addPolicyRoutes(router, services.policies, services.users);
  addCatalogueRoutes(router, services.catalogue);
  addArchiveRoutes(router, services.archives);
  addFeedbackRoutes(router, services.feedback, services.documents, services.catalogue);
  addRequestRoutes(router, services.requests, services.documents);
  addReportRoutes(router, services.reports, services.categories);
  addDownloadTicketRoutes(router, services.tickets);
  addOpenApiRoute(router);
  net::addWebRoutes(router, options.web_dir);
  return router;
}

}  // namespace gongkai::server::http
