#include "gongkai/server/http/api.h"

#include "net/web_assets.h"
#include "routes.h"
#include "toolkit.h"

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

// GET /readyz: whether the server can do its work now (load balancers take it out of rotation
// while not); /healthz says only that it answers.
void addReadinessRoute(Router& router, std::function<service::Readiness()> readinessOf) {
  if (!readinessOf) return;
  router.add("GET", "/readyz", [readinessOf = std::move(readinessOf)](Exchange& ex) {
    const service::Readiness readiness = readinessOf();
    ex.response.set("Cache-Control", "no-store");
    if (!readiness.ready()) {
      std::vector<core::FieldError> failing;
      std::string names;
      for (const auto& check : readiness.checks) {
        if (check.ok) continue;
        failing.push_back({check.name, "not_ready", check.problem});
        names += (names.empty() ? "" : ", ") + check.name;
      }
      return ex.sendProblem(core::Error{core::ErrorCode::kUnavailable, "not_ready",
                                        "服务尚未就绪 (not ready): " + names, failing});
    }
    Poco::JSON::Object::Ptr checks = new Poco::JSON::Object;
    for (const auto& check : readiness.checks) checks->set(check.name, "ok");
    ex.sendJson(Poco::Net::HTTPResponse::HTTP_OK,
                json::object({"status"_f = "ready", "checks"_f = checks}));
  });
}

// GET /metrics in Prometheus' text format, to whom service::MetricsAccess lets read it.
void addMetricsRoute(Router& router,
                     std::function<core::Result<std::string>(const service::Subject&)> metricsOf) {
  if (!metricsOf) return;
  router.add("GET", "/metrics", [metricsOf = std::move(metricsOf)](Exchange& ex) {
    auto text = metricsOf(ex.subject);
    if (!text.ok()) return ex.sendProblem(text.error());
    ex.response.set("Cache-Control", "no-store");
    ex.sendText("text/plain; version=0.0.4; charset=utf-8", text.value());
  });
}

}  // namespace

Router buildRouter(const Services& services, const ApiOptions& options) {
  Router router;
  addHealthRoute(router, options.health);
  addReadinessRoute(router, options.readiness);
  addMetricsRoute(router, options.metrics);
  addDocumentRoutes(router, services.documents, services.search,
                    net::UploadLimits{options.max_json_bytes, options.max_upload_bytes,
                                      options.max_files_per_request});
  addAuditRoutes(router, services.audit, services.checkpoints);
  addSearchRoutes(router, services.search, services.catalogue);
  addSignInRoutes(router, services.signIn, services.tokens, services.users);
  addUserRoutes(router, services.users);
  addUnitRoutes(router, services.units);
  addPolicyRoutes(router, services.policies, services.users);
  addCatalogueRoutes(router, services.catalogue);
  addArchiveRoutes(router, services.archives);
  if (services.imports != nullptr) addImportRoutes(router, *services.imports);
  if (services.retention != nullptr) addRetentionRoutes(router, *services.retention);
  if (services.receipts != nullptr) addArchiveReceiptRoutes(router, *services.receipts);
  addFeedbackRoutes(router, services.feedback);
  addRequestRoutes(router, services.requests);
  addReportRoutes(router, services.reports);
  addDownloadTicketRoutes(router, services.tickets);
  addOpenApiRoute(router);
  net::addWebRoutes(router, options.web_dir);
  return router;
}

}  // namespace gongkai::server::http
