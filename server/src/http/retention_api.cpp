// Retention, disposition and legal holds over HTTP: /api/v1/retention/*. The service decides
// who may; this only reads requests and renders answers.

#include "document_json.h"
#include "routes.h"
#include "toolkit.h"

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

// The one text member `field` of a small body ("" when absent), or the problem with `reason`.
core::Result<std::string> readNote(Exchange& ex, bool bodyOptional, const std::string& field,
                                   const std::string& reason, const std::string& message) {
  auto body =
      bodyOptional ? ex.readOptionalJsonObject(kMaxBodyBytes) : ex.readJsonObject(kMaxBodyBytes);
  if (!body.ok()) return body.error();
  BodyReader reader(body.value(), {field});
  std::string note = reader.anyText(field, true);
  if (auto read = reader.result(reason, message); !read.ok()) return read.error();
  return note;
}

// POST …/dispositions/{id}/approve or …/reject, with an optional {"note"}.
void decide(Exchange& ex, service::RetentionService& retention, bool approve) {
  auto id = ex.idParam("id");
  if (!id.ok()) return ex.sendProblem(id.error());
  auto note = readNote(ex, true, "note", "invalid_decision", "审批内容有误 (invalid decision)");
  if (!note.ok()) return ex.sendProblem(note.error());
  ex.reply(approve ? retention.approve(ex.subject, id.value(), note.value())
                   : retention.reject(ex.subject, id.value(), note.value()),
           decisionJson);
}

}  // namespace

void addRetentionRoutes(Router& router, service::RetentionService& retention) {
  const std::string base = "/api/v1/retention";
  router.add("GET", base + "/due", [&retention](Exchange& ex) {
    auto query = service::parseDueQuery(ex.query);
    if (!query.ok()) return ex.sendProblem(query.error());
    sendPage(ex, "items", retention.due(ex.subject, query.value()),
             {query.value().offset / query.value().limit + 1, query.value().limit}, dueJson);
  });
  router.add("GET", base + "/dispositions", [&retention](Exchange& ex) {
    auto page = service::pageParameters(ex.query);
    if (!page.ok()) return ex.sendProblem(page.error());
    sendPage(ex, "dispositions",
             retention.dispositions(ex.subject, ex.queryValue("state"), page.value().per_page,
                                    page.value().offset()),
             page.value(), dispositionJson);
  });
  router.add("POST", base + "/dispositions", [&retention](Exchange& ex) {
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
    auto made = retention.propose(ex.subject, *document, reason);
    if (made.ok()) {
      ex.response.set("Location",
                      "/api/v1/retention/dispositions/" + std::to_string(made.value().id));
    }
    ex.reply(made, dispositionJson, HTTPResponse::HTTP_CREATED);
  });
  router.add("GET", base + "/dispositions/{id}", [&retention](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(retention.disposition(ex.subject, id.value()), dispositionJson);
  });
  router.add("POST", base + "/dispositions/{id}/approve",
             [&retention](Exchange& ex) { decide(ex, retention, true); });
  router.add("POST", base + "/dispositions/{id}/reject",
             [&retention](Exchange& ex) { decide(ex, retention, false); });
  router.add("GET", base + "/holds", [&retention](Exchange& ex) {
    auto page = service::pageParameters(ex.query);
    if (!page.ok()) return ex.sendProblem(page.error());
    const auto active = ex.queryValue("active");
    if (active && *active != "true" && *active != "false") {
      return ex.sendProblem(core::Error::make(core::ErrorCode::kMalformed, "invalid_query",
                                              "active 须为 true 或 false (true or false)"));
    }
    sendPage(ex, "holds",
             retention.holds(ex.subject, active && *active == "true", page.value().per_page,
                             page.value().offset()),
             page.value(), holdJson);
  });
  router.add("POST", base + "/holds", [&retention](Exchange& ex) {
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
    ex.reply(retention.placeHold(ex.subject, request), holdJson, HTTPResponse::HTTP_CREATED);
  });
  router.add("POST", base + "/holds/{id}/release", [&retention](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto reason =
        readNote(ex, false, "reason", "invalid_release", "解除保全内容有误 (invalid release)");
    if (!reason.ok()) return ex.sendProblem(reason.error());
    ex.reply(retention.releaseHold(ex.subject, id.value(), reason.value()), holdJson);
  });
}

}  // namespace gongkai::server::http
