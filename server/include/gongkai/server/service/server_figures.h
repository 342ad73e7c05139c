#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/search_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// What an operator watches, read from the store and the index at one moment (for /metrics).
struct ServerFigures {
  std::int64_t audit_entries = 0;
  std::int64_t checkpoint_size = 0;                // of the newest checkpoint
  std::optional<double> checkpoint_age_seconds;    // none before the first
  std::int64_t outbox_pending = 0;                 // versions not yet in the index
  std::optional<double> index_commit_age_seconds;  // since the index last committed
  std::int64_t index_versions = 0;
  std::map<std::string, std::int64_t> jobs_by_state;
};
core::Result<ServerFigures> gatherFigures(store::Store& store, const SearchService& search);

// Whether the server can do its work now: each part checked, with what is wrong when it is not.
struct Readiness {
  struct Check {
    std::string name;  // store, search_index, signing_key
    bool ok = false;
    std::string problem;
  };
  std::vector<Check> checks;
  bool ready() const;
};
Readiness checkReadiness(store::Store& store, const SearchService& search,
                         const std::string& signingKeyFile);

// Who may read GET /metrics: clients at the allowed addresses only (canonical addresses, see
// net::ClientAddressResolver), since the figures say how busy the server is and how many failed
// logins it saw, nothing for the public. Anyone else is told there is no such resource.
class MetricsAccess {
 public:
  MetricsAccess(std::vector<std::string> allowed, std::function<std::string()> render)
      : allowed_(std::move(allowed)), render_(std::move(render)) {}
  // The Prometheus text, or kNotFound.
  core::Result<std::string> read(const Subject& subject) const;

 private:
  std::vector<std::string> allowed_;
  std::function<std::string()> render_;
};

}  // namespace gongkai::server::service
