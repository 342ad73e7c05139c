#include "gongkai/server/net/router.h"

#include <algorithm>

namespace gongkai::server::net {
namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const std::string& want = pattern[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (path[i].empty()) return false;
      found[want.substr(1, want.size() - 2)] = path[i];
    } else if (want != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{method, pattern, split(pattern), std::move(handler)});
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route& route : routes_) out.emplace_back(route.method, route.pattern);
  return out;
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match result;
  if (path.empty() || path.front() != '/') return result;
  const auto segments = split(path);
  const Route* fallback = nullptr;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!matches(route.segments, segments, params)) continue;
    result.allowed.push_back(route.method);
    if (route.method == method) {
      result.handler = &route.handler;
      result.pattern = &route.pattern;
      result.params = std::move(params);
      return result;
    }
    if (method == "HEAD" && route.method == "GET") {
      fallback = &route;
      result.params = std::move(params);
    }
  }
  if (fallback) {
    result.handler = &fallback->handler;
    result.pattern = &fallback->pattern;
  }
  if (std::find(result.allowed.begin(), result.allowed.end(), "GET") != result.allowed.end()) {
    result.allowed.push_back("HEAD");
  }
  return result;
}

}  // namespace gongkai::server::net
