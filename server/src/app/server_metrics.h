#pragma once

#include <string>

#include "gongkai/server/net/http_metrics.h"
#include "gongkai/server/service/search_service.h"
#include "gongkai/server/service/sign_in_service.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::app {

// Where the figures of GET /metrics come from; all outlive the server's router.
struct MetricsSources {
  store::Store& store;
  const service::SearchService& search;
  const service::SignInService& signIn;
  const net::HttpMetrics& http;
};

// The whole Prometheus text exposition of this server, read at the moment it is asked for.
std::string renderMetrics(const MetricsSources& sources);

}  // namespace gongkai::server::app
