#include "gongkai/server/net/http_metrics.h"

namespace gongkai::server::net {

using core::metrics::Histogram;
using core::metrics::kSecondsBuckets;

void HttpMetrics::finished(const std::string& method, const std::string& route, int status,
                           double seconds) {
  --inFlight_;
  Histogram* histogram = nullptr;
  {
    std::lock_guard lock(mutex_);
    ++requests_[{method, route, status}];
    auto& slot = latency_[{method, route}];
    if (!slot) {
      slot = std::make_unique<Histogram>(
          std::vector<double>(kSecondsBuckets.begin(), kSecondsBuckets.end()));
    }
    histogram = slot.get();  // histograms are never removed
  }
  histogram->observe(seconds);
}

void HttpMetrics::write(core::metrics::TextWriter& out) const {
  out.gauge("gongkai_http_requests_in_flight", "Requests being served now.", inFlight_.load());
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out.counter("gongkai_http_requests_total", "Requests answered, by route, method and status.",
                static_cast<double>(count),
                {{"method", method}, {"route", route}, {"status", std::to_string(status)}});
  }
  for (const auto& [key, histogram] : latency_) {
    out.histogram("gongkai_http_request_duration_seconds",
                  "Time from the request's arrival to the end of its answer, by route.",
                  histogram->snapshot(), {{"method", key.first}, {"route", key.second}});
  }
}

}  // namespace gongkai::server::net
