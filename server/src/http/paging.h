#pragma once

#include <Poco/JSON/Array.h>

#include <cstdint>
#include <string>

#include "gongkai/server/http/exchange.h"

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

}  // namespace gongkai::server::http
