// Retention, disposition and legal holds over HTTP: /api/v1/retention/*. The service decides
// who may; this only reads requests and renders answers.

#include "body_reader.h"
#include "document_json.h"
#include "json_build.h"
#include "paging.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

// Reasons are at most 4000 bytes; the rest of a body is small.
constexpr std::int64_t kMaxBodyBytes = 16 * 1024;

Object::Ptr dispositionJson(const service::Disposition& row) {
  return json::object({"id"_f = row.id, "document_id"_f = row.document_id, "state"_f = row.state,
                       "reason"_f = row.reason, "proposed_by"_f = row.proposed_by,
                       "proposed_at"_f = row.proposed_at,
                       "decided_by"_f = json::textOrNull(row.decided_by),
                       "decided_at"_f = json::textOrNull(row.decided_at),
                       "decision_note"_f = json::textOrNull(row.decision_note)});
}

Object::Ptr holdJson(const service::LegalHold& row) {
  return json::object(
      {"id"_f = row.id,
       "document_id"_f =
           row.document_id ? Poco::Dynamic::Var(row.document_id) : Poco::Dynamic::Var(),
       "org_unit"_f = json::textOrNull(row.org_unit), "category"_f = json::textOrNull(row.category),
       "year"_f = row.year ? Poco::Dynamic::Var(row.year) : Poco::Dynamic::Var(),
       "reason"_f = row.reason, "placed_by"_f = row.placed_by, "placed_at"_f = row.placed_at,
       "active"_f = row.released_at.empty(), "released_by"_f = json::textOrNull(row.released_by),
       "released_at"_f = json::textOrNull(row.released_at),
       "release_reason"_f = json::textOrNull(row.release_reason)});
}

Object::Ptr dueJson(const service::DueItem& item) {
  const service::DueRecord& r = item.record;
  const core::DocumentVersion& d = r.document;
  return json::object(
      {"document_id"_f = d.document_id, "title"_f = d.metadata.title,
       "reference_code"_f = r.reference_code, "retention"_f = r.retention, "year"_f = r.year,
       "org_unit"_f = d.metadata.org_unit, "category"_f = d.metadata.category,
       "files"_f = static_cast<std::int64_t>(d.files.size()), "due_on"_f = item.due_on,
       "pending"_f =
           r.pending ? Poco::Dynamic::Var(dispositionJson(*r.pending)) : Poco::Dynamic::Var()});
}

Object::Ptr decisionJson(const service::DispositionDecision& decision) {
  auto out = dispositionJson(decision.disposition);
  if (decision.document) out->set("document", documentJson(*decision.document));
  return out;
}

class RetentionRoutes {
 public:
  explicit RetentionRoutes(service::RetentionService& retention) : retention_(retention) {}

  static void addTo(const std::shared_ptr<RetentionRoutes>& self, Router& router) {
    const std::string base = "/api/v1/retention";
    router.add("GET", base + "/due", [self](Exchange& ex) { self->due(ex); });
    router.add("GET", base + "/dispositions", [self](Exchange& ex) { self->dispositions(ex); });
    router.add("POST", base + "/dispositions", [self](Exchange& ex) { self->propose(ex); });
    router.add("GET", base + "/dispositions/{id}", [self](Exchange& ex) { self->disposition(ex); });
    router.add("POST", base + "/dispositions/{id}/approve",
               [self](Exchange& ex) { self->decide(ex, true); });
    router.add("POST", base + "/dispositions/{id}/reject",
               [self](Exchange& ex) { self->decide(ex, false); });
    router.add("GET", base + "/holds", [self](Exchange& ex) { self->holds(ex); });
    router.add("POST", base + "/holds", [self](Exchange& ex) { self->placeHold(ex); });
    router.add("POST", base + "/holds/{id}/release",
               [self](Exchange& ex) { self->releaseHold(ex); });
  }

 private:
  void due(Exchange& ex) {
    auto page = pageQuery(ex);
    auto year = ex.yearQuery();
    if (const auto* error = firstError(page, year)) return ex.sendProblem(*error);
    service::DueQuery query;
    query.org_unit = ex.queryValue("org_unit");
    query.category = ex.queryValue("category");
    query.year = year.value();
    query.limit = page.value().per_page;
    query.offset = page.value().offset();
    auto found = retention_.due(ex.subject, query);
    if (!found.ok()) return ex.sendProblem(found.error());
    sendPage(ex, "items", found.value().total, page.value(),
             json::array(found.value().items, dueJson));
  }

  void dispositions(Exchange& ex) {
    auto page = pageQuery(ex);
    if (!page.ok()) return ex.sendProblem(page.error());
    auto found = retention_.dispositions(ex.subject, ex.queryValue("state"), page.value().per_page,
                                         page.value().offset());
    if (!found.ok()) return ex.sendProblem(found.error());
    sendPage(ex, "dispositions", found.value().total, page.value(),
             json::array(found.value().items, dispositionJson));
  }

  void disposition(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(retention_.disposition(ex.subject, id.value()), dispositionJson);
  }

  void propose(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    BodyReader reader(body.value(), {"document_id", "reason"});
    const auto document = reader.id("document_id");
    const std::string reason = reader.anyText("reason", true);
    if (!document && !reader.has("document_id")) {
      reader.add("document_id", "missing_field", "须指定文档 (document_id is required)");
    }
    if (auto read = reader.result("invalid_disposition", "销毁申请有误 (invalid proposal)");
        !read.ok()) {
      return ex.sendProblem(read.error());
    }
    auto made = retention_.propose(ex.subject, *document, reason);
    if (made.ok()) {
      ex.response.set("Location",
                      "/api/v1/retention/dispositions/" + std::to_string(made.value().id));
    }
    ex.reply(made, dispositionJson, HTTPResponse::HTTP_CREATED);
  }

  void decide(Exchange& ex, bool approve) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto body = ex.readOptionalJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    BodyReader reader(body.value(), {"note"});
    const std::string note = reader.anyText("note", true);
    if (auto read = reader.result("invalid_decision", "审批内容有误 (invalid decision)");
        !read.ok()) {
      return ex.sendProblem(read.error());
    }
    ex.reply(approve ? retention_.approve(ex.subject, id.value(), note)
                     : retention_.reject(ex.subject, id.value(), note),
             decisionJson);
  }

  void holds(Exchange& ex) {
    auto page = pageQuery(ex);
    if (!page.ok()) return ex.sendProblem(page.error());
    const auto active = ex.queryValue("active");
    if (active && *active != "true" && *active != "false") {
      return ex.sendProblem(core::Error::make(core::ErrorCode::kMalformed, "invalid_query",
                                              "active 须为 true 或 false (true or false)"));
    }
    auto found = retention_.holds(ex.subject, active && *active == "true", page.value().per_page,
                                  page.value().offset());
    if (!found.ok()) return ex.sendProblem(found.error());
    sendPage(ex, "holds", found.value().total, page.value(),
             json::array(found.value().items, holdJson));
  }

  void placeHold(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    BodyReader reader(body.value(), {"document_id", "org_unit", "category", "year", "reason"});
    service::HoldRequest request;
    request.document_id = reader.id("document_id");
    for (auto [field, target] :
         {std::pair{"org_unit", &request.org_unit}, std::pair{"category", &request.category}}) {
      if (reader.has(field)) *target = reader.text(field, true, 64);
    }
    if (const auto year = reader.id("year")) request.year = static_cast<int>(*year);
    request.reason = reader.anyText("reason", true);
    if (auto read = reader.result("invalid_hold", "保全内容有误 (invalid legal hold)");
        !read.ok()) {
      return ex.sendProblem(read.error());
    }
    auto made = retention_.placeHold(ex.subject, request);
    ex.reply(made, holdJson, HTTPResponse::HTTP_CREATED);
  }

  void releaseHold(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    BodyReader reader(body.value(), {"reason"});
    const std::string reason = reader.anyText("reason", true);
    if (auto read = reader.result("invalid_release", "解除保全内容有误 (invalid release)");
        !read.ok()) {
      return ex.sendProblem(read.error());
    }
    ex.reply(retention_.releaseHold(ex.subject, id.value(), reason), holdJson);
  }

  service::RetentionService& retention_;
};

}  // namespace

void addRetentionRoutes(Router& router, service::RetentionService& retention) {
  RetentionRoutes::addTo(std::make_shared<RetentionRoutes>(retention), router);
}

}  // namespace gongkai::server::http
