#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gongkai/server/net/exchange.h"

namespace gongkai::server::net {

using Handler = std::function<void(Exchange&)>;

// Maps a method and a path pattern such as "/api/v1/documents/{id}/files/{file_id}" to a
// handler. Segments in braces match any one non-empty segment. HEAD falls back to GET.
class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;      // nullptr: no route for this method
    const std::string* pattern = nullptr;  // the matched route's pattern, for metrics
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // methods the path does accept, for 405
  };
  Match match(const std::string& method, const std::string& path) const;
  // Every route as it was added: its method and its pattern, e.g. {"GET", "/api/v1/jobs/{id}"}.
  std::vector<std::pair<std::string, std::string>> routes() const;
  // Keeps `object` alive as long as the router (something its handlers refer to).
  void keepAlive(std::shared_ptr<const void> object) { owned_.push_back(std::move(object)); }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
  std::vector<std::shared_ptr<const void>> owned_;
};

}  // namespace gongkai::server::net
