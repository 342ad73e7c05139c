#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "gongkai/core/metrics.h"

namespace gongkai::server::net {

// Requests by route pattern (never the raw path, whose ids would make a series per document),
// method and status, their latency, and the requests in flight. Thread-safe.
class HttpMetrics {
 public:
  void started() { ++inFlight_; }
  // One finished request; `route` is the matched pattern, or "unmatched".
  void finished(const std::string& method, const std::string& route, int status, double seconds);
  // Appends this server's HTTP families to `out`.
  void write(core::metrics::TextWriter& out) const;

 private:
  std::atomic<int> inFlight_{0};
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<core::metrics::Histogram>> latency_;
};

}  // namespace gongkai::server::net
