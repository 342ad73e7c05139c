#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "gongkai/server/http/exchange.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/case_flow.h"
#include "json_build.h"
#include "paging.h"

// What the routes of feedback (feedback_api.cpp) and of applications (requests_api.cpp) do
// alike: read a submission or a step, read a list's query, send a receipt view or a case
// just filed.
namespace gongkai::server::http::case_routes {

// A submission is a few paragraphs; anything much larger is not one.
constexpr std::int64_t kMaxBodyBytes = 64 * 1024;

// POST …/{id}/{step}: the step's name, the case's id and the body, an empty object when none
// was sent (a step without fields, as `curl -X POST` sends it). kNotFound for a step not among
// `steps`, as for any path that names nothing.
struct StepCall {
  std::string name;
  std::int64_t id = 0;
  Poco::JSON::Object::Ptr body;
};
core::Result<StepCall> readStep(Exchange& ex, std::initializer_list<std::string_view> steps);

// kMalformed "invalid_query" naming the query parameter and what it may be.
core::Error badQuery(const std::string& name, const std::string& allowed);

// ?status= (checked by `isStatus`, `statuses` saying which there are), ?page= and ?per_page=
// into `query`; the page asked for.
core::Result<PageQuery> listQuery(Exchange& ex, service::CaseQuery& query,
                                  bool (*isStatus)(std::string_view), const std::string& statuses);

// Adds the routes every kind of case has under `base`, served by `routes`, which the router
// keeps alive: POST base (submit), GET base/receipt/{code} (receipt), GET base (list),
// GET base/{id} (get) and POST base/{id}/{step} (step). Routes a kind adds besides go first.
template <typename Routes>
void addCaseRoutes(Router& router, const std::string& base, std::shared_ptr<Routes> routes) {
  router.add("POST", base, [routes](Exchange& ex) { routes->submit(ex); });
  // Anyone holding the code may follow the case: the code is the credential.
  router.add("GET", base + "/receipt/{code}", [routes](Exchange& ex) { routes->receipt(ex); });
  router.add("GET", base, [routes](Exchange& ex) { routes->list(ex); });
  router.add("GET", base + "/{id}", [routes](Exchange& ex) { routes->get(ex); });
  router.add("POST", base + "/{id}/{step}", [routes](Exchange& ex) { routes->step(ex); });
  router.keepAlive(std::move(routes));
}

// GET …/receipt/{code}: the case found by the code, as `render` shows it; never cached, the
// code being the credential.
template <typename Record, typename Render>
void sendByReceipt(Exchange& ex, const core::Result<Record>& found, Render render) {
  if (found.ok()) ex.response.set("Cache-Control", "no-store");
  ex.reply(found, render);
}

// GET …/{id}: the case `find` finds by the id, as `render` shows it.
template <typename Find, typename Render>
void sendById(Exchange& ex, Find find, Render render) {
  auto id = ex.idParam("id");
  if (!id.ok()) return ex.sendProblem(id.error());
  ex.reply(find(id.value()), render);
}

// 201 for a case just filed: its id and receipt code (shown this once), the receipt's URL under
// `base` as Location, and `more` besides.
void sendFiled(Exchange& ex, const std::string& base, std::int64_t id, const std::string& receipt,
               json::Members more);

}  // namespace gongkai::server::http::case_routes
