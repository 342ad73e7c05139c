#include "paging.h"

namespace gongkai::server::net {

void sendPage(Exchange& ex, const std::string& key, std::int64_t total,
              const service::PageRequest& page, const Poco::JSON::Array::Ptr& items) {
  auto out = json::object({"total"_f = total, "page"_f = page.page, "per_page"_f = page.per_page});
  out->set(key, items);
  ex.sendJson(Poco::Net::HTTPResponse::HTTP_OK, out);
}

}  // namespace gongkai::server::net
