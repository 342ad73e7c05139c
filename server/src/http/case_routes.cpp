#include "case_routes.h"

#include <algorithm>

namespace gongkai::server::http::case_routes {

using core::Error;
using core::ErrorCode;
using Poco::Net::HTTPResponse;

core::Result<StepCall> readStep(Exchange& ex, std::initializer_list<std::string_view> steps) {
  StepCall call;
  call.name = ex.params.at("step");
  if (std::find(steps.begin(), steps.end(), call.name) == steps.end()) {
    return Error::make(ErrorCode::kNotFound, "not_found",
                       "资源不存在 (no such resource): " + ex.path);
  }
  auto id = ex.idParam("id");
  if (!id.ok()) return id.error();
  call.id = id.value();
  auto body = ex.readOptionalJsonObject(kMaxBodyBytes);
  if (!body.ok()) return body.error();
  call.body = body.value();
  return call;
}

Error badQuery(const std::string& name, const std::string& allowed) {
  const std::string message = "查询参数 " + name + " 须为 " + allowed + " (invalid " + name + ")";
  return Error{ErrorCode::kMalformed, "invalid_query", message, {{name, "invalid_value", message}}};
}

core::Result<PageQuery> listQuery(Exchange& ex, service::CaseQuery& query,
                                  bool (*isStatus)(std::string_view), const std::string& statuses) {
  query.status = ex.queryValue("status");
  if (query.status && !isStatus(*query.status)) return badQuery("status", statuses);
  auto page = pageQuery(ex);
  if (!page.ok()) return page.error();
  query.limit = page.value().per_page;
  query.offset = page.value().offset();
  return page;
}

void sendFiled(Exchange& ex, const std::string& base, std::int64_t id, const std::string& receipt,
               json::Members more) {
  const std::string url = base + "/receipt/" + receipt;
  ex.response.set("Location", url);
  auto out = json::object({"id"_f = id, "receipt"_f = receipt, "receipt_url"_f = url});
  json::set(out, more);
  ex.sendJson(HTTPResponse::HTTP_CREATED, out);
}

}  // namespace gongkai::server::http::case_routes
