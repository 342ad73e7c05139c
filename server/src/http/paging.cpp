#include "paging.h"

#include "json_build.h"

namespace gongkai::server::http {

core::Result<PageQuery> pageQuery(Exchange& ex) {
  auto page = ex.intQuery("page", 1, 100000);
  if (!page.ok()) return page.error();
  auto perPage = ex.intQuery("per_page", 1, 100);
  if (!perPage.ok()) return perPage.error();
  return PageQuery{page.value().value_or(1), perPage.value().value_or(20)};
}

void sendPage(Exchange& ex, const std::string& key, std::int64_t total, const PageQuery& page,
              const Poco::JSON::Array::Ptr& items) {
  auto out = json::object({"total"_f = total, "page"_f = page.page, "per_page"_f = page.per_page});
  out->set(key, items);
  ex.sendJson(Poco::Net::HTTPResponse::HTTP_OK, out);
}

}  // namespace gongkai::server::http
