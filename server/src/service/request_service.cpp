#include "gongkai/server/service/request_service.h"

#include <Poco/JSON/Array.h>

#include "body_reader.h"
#include "gongkai/core/password.h"
#include "gongkai/core/sha256.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/store/request_repository.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {

using core::DisclosureRequest;
using core::Error;
using core::ErrorCode;
using Poco::JSON::Object;
using store::RequestRepository;

namespace {

Error notFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "request_not_found",
                     "申请不存在 (no such application): " + std::to_string(id));
}

void saveWithAudit(store::Transaction& tx, const Subject& subject, const DisclosureRequest& r) {
  const std::string canonical = core::canonicalRecord(r);
  const std::string digest = core::sha256Hex(canonical);
  const auto entry = appendAudit(tx, subject, r.change, "disclosure_request", std::to_string(r.id),
                                 r.version, digest);
  RequestRepository::saveVersion(tx, r, canonical, digest, entry.seq);
}

Poco::Dynamic::Var orNull(const std::string& text) {
  return text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
}

}  // namespace

RequestService::RequestService(store::Store& store, PolicyService& policies,
                               AuthorizerSource authorizer, NameCheck unitExists,
                               SubmissionLimiter& limiter, Clock clock)
    : store_(store),
      policies_(policies),
      cases_(std::move(authorizer)),
      unitExists_(std::move(unitExists)),
      limiter_(limiter),
      clock_(std::move(clock)) {}

core::Result<RequestService::Submitted> RequestService::submit(const Subject& subject,
                                                               const Object::Ptr& body) {
  if (auto allowed = cases_.requireSubmitter(subject); !allowed.ok()) return allowed.error();
  const bool onBehalf = cases_.handlesAnywhere(subject);
  BodyReader read(body, {"applicant", "content", "purpose", "contact", "org_unit"});
  DisclosureRequest r;
  r.applicant = read.text("applicant", true, 200);
  r.content = read.text("content", true, 10000, true);
  r.purpose = read.text("purpose", false, 2000, true);
  r.contact = read.text("contact", true, 200);
  r.org_unit = read.text("org_unit", false, 64);
  if (!r.org_unit.empty() && !unitExists_(r.org_unit)) {
    read.add("org_unit", "unknown_unit", "没有该单位 (no such unit)");
  }
  if (auto ok = read.result("invalid_request", "申请内容有误 (invalid application)"); !ok.ok()) {
    return ok.error();
  }
  if (!onBehalf) {
    if (auto admitted = limiter_.admit(subject.address); !admitted.ok()) return admitted.error();
  }
  const auto engine = policies_.engine();
  r.received_at = clock_();
  policies::setRequestDeadlines(r, engine->policies().time_limits, engine->policies().calendar);
  const std::string receipt = core::newReceiptCode();
  r.receipt_sha256 = core::tokenDigest(receipt);
  r.version = 1;
  r.created_by = r.updated_by = subject.id;
  r.created_at = r.updated_at = r.received_at;
  r.change = "request.submit";
  auto saved = store_.write<DisclosureRequest>(
      [&](store::Transaction& tx) -> core::Result<DisclosureRequest> {
        r.id = RequestRepository::nextId(tx);
        saveWithAudit(tx, subject, r);
        return r;
      });
  if (!saved.ok()) return saved.error();
  return Submitted{std::move(saved).value(), receipt};
}

core::Result<DisclosureRequest> RequestService::get(const Subject& subject, std::int64_t id) {
  // Who may read no application learns nothing, not even whether the id exists.
  if (auto readable = cases_.readableUnits(subject); !readable.ok()) return readable.error();
  try {
    auto session = store_.read();
    auto found = RequestRepository::current(*session, id);
    if (!found) return notFound(id);
    if (auto allowed = cases_.requireReader(subject, found->org_unit, notFound(id)); !allowed.ok())
      return allowed.error();
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<DisclosureRequest> RequestService::byReceipt(const std::string& code) {
  const Error unknown = Error::make(ErrorCode::kNotFound, "receipt_not_found",
                                    "回执码无效或不存在 (no application with that receipt code)");
  const auto digest = core::receiptDigest(code);
  if (!digest) return unknown;
  try {
    auto session = store_.read();
    auto found = RequestRepository::byReceipt(*session, *digest);
    if (!found) return unknown;
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Page<DisclosureRequest>> RequestService::list(const Subject& subject,
                                                           store::RequestFilter filter) {
  auto readable = cases_.readableUnits(subject);
  if (!readable.ok()) return readable.error();
  if (!subject.system) filter.units = std::move(readable).value();
  return page(filter);
}

core::Result<Page<DisclosureRequest>> RequestService::decisionLog(std::int64_t limit,
                                                                  std::int64_t offset) {
  store::RequestFilter filter;
  filter.status = "decided";
  filter.limit = limit;
  filter.offset = offset;
  return page(filter);
}

core::Result<Page<DisclosureRequest>> RequestService::page(const store::RequestFilter& filter) {
  try {
    auto session = store_.read();
    Page<DisclosureRequest> page;
    page.items = RequestRepository::list(*session, filter);
    page.total = RequestRepository::count(*session, filter);
    return page;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<DisclosureRequest> RequestService::step(const Subject& subject, std::int64_t id,
                                                     const std::string& name,
                                                     const Object::Ptr& body,
                                                     const DocumentCheck& releasable) {
  if (auto allowed = cases_.requireHandler(subject); !allowed.ok()) return allowed.error();
  BodyReader read(body, {"notice", "outcome", "reason", "answer", "document_ids", "category",
                         "public_summary", "org_unit"});
  policies::RequestStep step;
  step.name = name;
  step.notice = read.text("notice", false, 2000, true);
  step.outcome = read.text("outcome", false, 32);
  step.reason = read.text("reason", false, 200);
  step.answer = read.text("answer", false, 20000, true);
  step.document_ids = read.ids("document_ids", 100);
  step.category = read.text("category", false, 8);
  step.public_summary = read.text("public_summary", false, 2000, true);
  // Handing the application to the unit that holds what is asked for is part of acknowledging.
  const std::string handTo = read.text("org_unit", false, 64);
  if (!handTo.empty() && name != "acknowledge") {
    read.add("org_unit", "unknown_field",
             "只能在受理时指定办理单位 (the unit is named on acknowledgement)");
  } else if (!handTo.empty() && !unitExists_(handTo)) {
    read.add("org_unit", "unknown_unit", "没有该单位 (no such unit)");
  }
  for (std::int64_t document : step.document_ids) {
    const auto category = releasable(document);
    if (!category) {
      read.add("document_ids", "not_public",
               "文件 " + std::to_string(document) +
                   " 不存在或尚未公开 (no such published public document)");
    } else if (step.category.empty()) {
      step.category = *category;
    }
  }
  const auto engine = policies_.engine();
  if (!step.category.empty() && engine->policies().categories.find(step.category) == nullptr) {
    read.add("category", "unknown_category", "没有该公开类别 (no such category)");
  }
  if (auto ok = read.result("invalid_step", "办理内容有误 (invalid step)"); !ok.ok()) {
    return ok.error();
  }
  return store_.write<DisclosureRequest>(
      [&](store::Transaction& tx) -> core::Result<DisclosureRequest> {
        auto current = RequestRepository::current(tx, id);
        if (!current) return notFound(id);
        if (!cases_.handles(subject, current->org_unit) ||
            (!handTo.empty() && !cases_.handles(subject, handTo))) {
          return Error::make(ErrorCode::kForbidden, "unit_forbidden",
                             "您无权办理该单位的申请 (your roles do not cover this unit)");
        }
        auto next =
            policies::applyRequestStep(*current, step, subject.id, clock_(),
                                       engine->policies().time_limits, engine->policies().calendar);
        if (!next.ok()) return next.error();
        DisclosureRequest r = std::move(next).value();
        if (!handTo.empty()) r.org_unit = handTo;
        r.version = current->version + 1;
        r.updated_by = subject.id;
        r.updated_at = clock_();
        saveWithAudit(tx, subject, r);
        return r;
      });
}

policies::Timeliness RequestService::timeliness(const DisclosureRequest& r) const {
  const auto engine = policies_.engine();
  return policies::timelinessOf(r, core::chinaDate(clock_()), engine->policies().time_limits,
                                engine->policies().calendar);
}

Object::Ptr RequestService::toJson(const DisclosureRequest& r, View view) const {
  Object::Ptr out = new Object;
  out->set("id", static_cast<Poco::Int64>(r.id));
  out->set("received_at", core::formatRfc3339(r.received_at));
  // The public log shows only what a handler released, the summary (null without one): the
  // application's text and the answer to it may name the applicant.
  if (view == View::kLog) {
    out->set("content", r.public_summary.empty() ? Poco::Dynamic::Var()
                                                 : Poco::Dynamic::Var(r.public_summary));
  } else {
    out->set("content", r.content);
  }
  out->set("status", std::string(core::toString(r.status)));
  out->set("category", orNull(r.category));
  out->set("org_unit", orNull(r.org_unit));
  out->set("decide_by", r.decide_by.toString());
  out->set("extended", r.extended.has_value());
  out->set("extension_notice", orNull(r.extension_notice));
  out->set("outcome", orNull(r.outcome));
  out->set("reason", orNull(r.reason));
  if (view != View::kLog) out->set("answer", orNull(r.answer));
  Poco::JSON::Array::Ptr documents = new Poco::JSON::Array;
  for (std::int64_t id : r.document_ids) documents->add(static_cast<Poco::Int64>(id));
  out->set("document_ids", documents);
  out->set("decided_at", r.decided ? Poco::Dynamic::Var(core::formatRfc3339(r.decided->at))
                                   : Poco::Dynamic::Var());
  const auto t = timeliness(r);
  out->set("decided_on_time",
           t.finished ? Poco::Dynamic::Var(t.answered_on_time) : Poco::Dynamic::Var());
  if (view == View::kLog) return out;
  out->set("acknowledge_by", r.acknowledge_by.toString());
  out->set("acknowledged_at", r.acknowledged
                                  ? Poco::Dynamic::Var(core::formatRfc3339(r.acknowledged->at))
                                  : Poco::Dynamic::Var());
  out->set("due_soon", t.due_soon);
  out->set("overdue", t.overdue);
  if (view == View::kReceipt) return out;
  out->set("public_summary", orNull(r.public_summary));
  out->set("version", static_cast<Poco::Int64>(r.version));
  out->set("applicant", r.applicant);
  out->set("contact", r.contact);
  out->set("purpose", orNull(r.purpose));
  out->set("updated_by", r.updated_by);
  out->set("updated_at", core::formatRfc3339(r.updated_at));
  return out;
}

}  // namespace gongkai::server::service
