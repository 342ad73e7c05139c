#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/search_service.h"
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

}  // namespace gongkai::server::service
