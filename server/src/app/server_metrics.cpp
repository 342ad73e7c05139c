#include "server_metrics.h"

#include <Poco/Logger.h>

#include "gongkai/core/metrics.h"
#include "gongkai/server/service/server_figures.h"

namespace gongkai::server::app {

std::string renderMetrics(const MetricsSources& sources) {
  core::metrics::TextWriter out;
  sources.http.write(out);
  sources.store.writeMetrics(out);
  out.counter("gongkai_login_refusals_total",
              "Logins refused since the server started (wrong password, unknown name, throttled).",
              static_cast<double>(sources.signIn.refusedLogins()));
  auto figures = service::gatherFigures(sources.store, sources.search);
  // A scrape that cannot read the store says so by the missing families and this gauge.
  out.gauge("gongkai_figures_up", "1 when the store and index figures below could be read.",
            figures.ok() ? 1 : 0);
  if (!figures.ok()) {
    Poco::Logger::get("gongkai").warning("metrics: " + figures.error().message);
    return out.text();
  }
  const service::ServerFigures& f = figures.value();
  out.gauge("gongkai_audit_entries", "Entries in the audit log.",
            static_cast<double>(f.audit_entries));
  out.gauge("gongkai_checkpoint_size", "Entries covered by the newest signed checkpoint.",
            static_cast<double>(f.checkpoint_size));
  if (f.checkpoint_age_seconds) {
    out.gauge("gongkai_checkpoint_age_seconds", "Seconds since the newest checkpoint was signed.",
              *f.checkpoint_age_seconds);
  }
  out.gauge("gongkai_search_outbox_pending", "Changes waiting to reach the search index.",
            static_cast<double>(f.outbox_pending));
  if (f.index_commit_age_seconds) {
    out.gauge("gongkai_search_index_commit_age_seconds",
              "Seconds since the search index last committed (its lag when changes are pending).",
              *f.index_commit_age_seconds);
  }
  out.gauge("gongkai_search_index_versions", "Document versions in the search index.",
            static_cast<double>(f.index_versions));
  for (const char* state : {"queued", "running", "done", "failed", "cancelled"}) {
    const auto found = f.jobs_by_state.find(state);
    out.gauge("gongkai_jobs", "Background jobs by state.",
              found == f.jobs_by_state.end() ? 0 : static_cast<double>(found->second),
              {{"state", state}});
  }
  return out.text();
}

}  // namespace gongkai::server::app
