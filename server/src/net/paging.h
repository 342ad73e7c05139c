#pragma once

#include <Poco/JSON/Array.h>

#include <cstdint>
#include <string>

#include "gongkai/server/net/exchange.h"
#include "gongkai/server/service/page.h"
#include "gongkai/server/service/query_parameters.h"
#include "json_build.h"

namespace gongkai::server::net {

// Answers one page of a list: {"total", "page", "per_page", `key`: items}.
void sendPage(Exchange& ex, const std::string& key, std::int64_t total,
              const service::PageRequest& page, const Poco::JSON::Array::Ptr& items);
// The same for the page `found` holds, each item as `render` shows it; or the problem.
template <typename T, typename Render>
void sendPage(Exchange& ex, const std::string& key, const core::Result<service::Page<T>>& found,
              const service::PageRequest& page, Render render) {
  if (!found.ok()) return ex.sendProblem(found.error());
  sendPage(ex, key, found.value().total, page, json::array(found.value().items, render));
}

}  // namespace gongkai::server::net
