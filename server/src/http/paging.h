#pragma once

#include <Poco/JSON/Array.h>

#include <cstdint>
#include <string>

#include "gongkai/server/http/exchange.h"
#include "gongkai/server/service/page.h"
#include "json_build.h"

namespace gongkai::server::http {

// ?page= and ?per_page= (at most 100, 20 by default) as a limit and an offset.
struct PageQuery {
  std::int64_t page = 1, per_page = 20;
  std::int64_t offset() const { return (page - 1) * per_page; }
};
core::Result<PageQuery> pageQuery(Exchange& ex);

// Answers one page of a list: {"total", "page", "per_page", `key`: items}.
void sendPage(Exchange& ex, const std::string& key, std::int64_t total, const PageQuery& page,
              const Poco::JSON::Array::Ptr& items);
// The same for the page `found` holds, each item as `render` shows it; or the problem.
template <typename T, typename Render>
void sendPage(Exchange& ex, const std::string& key, const core::Result<service::Page<T>>& found,
              const PageQuery& page, Render render) {
  if (!found.ok()) return ex.sendProblem(found.error());
  sendPage(ex, key, found.value().total, page, json::array(found.value().items, render));
}

}  // namespace gongkai::server::http
