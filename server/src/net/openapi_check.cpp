#include "gongkai/server/net/openapi_check.h"

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <set>
#include <utility>

namespace gongkai::server::net {
namespace {

using RouteSet = std::set<std::pair<std::string, std::string>>;

// The operations of an OpenAPI document as {METHOD, path template}.
RouteSet describedOperations(const Poco::JSON::Object::Ptr& document) {
  RouteSet out;
  const auto paths = document->getObject("paths");
  if (!paths) return out;
  for (const auto& [path, item] : *paths) {
    const auto operations = item.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [method, ignored] : *operations) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      out.emplace(Poco::toUpper(method), path);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> undescribedRoutes(const Router& router, std::string_view description) {
  RouteSet described;
  try {
    described = describedOperations(
        Poco::JSON::Parser().parse(std::string(description)).extract<Poco::JSON::Object::Ptr>());
  } catch (const Poco::Exception& e) {
    return {"the OpenAPI description is no JSON object: " + e.displayText()};
  }
  std::vector<std::string> out;
  RouteSet routed;
  for (const auto& route : router.routes()) {
    routed.insert(route);
    if (!described.count(route))
      out.push_back(route.first + " " + route.second + ": not described");
  }
  for (const auto& operation : described) {
    if (!routed.count(operation)) {
      out.push_back(operation.first + " " + operation.second + ": described but not routed");
    }
  }
  return out;
}

}  // namespace gongkai::server::net
