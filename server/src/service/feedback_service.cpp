#include "gongkai/server/service/feedback_service.h"

#include <algorithm>

#include "body_reader.h"
#include "gongkai/core/password.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {

using core::Error;
using core::ErrorCode;
using core::FeedbackRecord;
using core::FieldError;
using Poco::JSON::Object;
using store::FeedbackRepository;

namespace {

Error notFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "feedback_not_found",
                     "意见记录不存在 (no such feedback): " + std::to_string(id));
}

// Saves `record` as a new version with the audit entry that makes it.
void saveWithAudit(store::Transaction& tx, const Subject& subject, const FeedbackRecord& record) {
  const std::string canonical = core::canonicalRecord(record);
  const std::string digest = core::sha256Hex(canonical);
  const auto entry = appendAudit(tx, subject, record.change, "feedback", std::to_string(record.id),
                                 record.version, digest);
  FeedbackRepository::saveVersion(tx, record, canonical, digest, entry.seq);
}

Poco::Dynamic::Var orNull(const std::string& text) {
  return text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
}

}  // namespace

FeedbackService::FeedbackService(store::Store& store, PolicyService& policies,
                                 AuthorizerSource authorizer, NameCheck unitExists,
                                 NameCheck userExists, SubmissionLimiter& limiter,
                                 FeedbackLimits limits, Clock clock)
    : store_(store),
      policies_(policies),
      cases_(std::move(authorizer)),
      unitExists_(std::move(unitExists)),
      userExists_(std::move(userExists)),
      limiter_(limiter),
      limits_(limits),
      clock_(std::move(clock)) {}

core::Result<FeedbackService::Submitted> FeedbackService::submit(const Subject& subject,
                                                                 const Object::Ptr& body,
                                                                 const FeedbackSubject& concerns) {
  if (auto allowed = cases_.requireSubmitter(subject); !allowed.ok()) return allowed.error();
  const bool onBehalf = cases_.handles(subject, concerns.org_unit);
  BodyReader read(body, {"channel", "content", "name", "contact", "document_id", "catalogue_item",
                         "received_at"});
  FeedbackRecord record;
  record.channel = read.text("channel", true, 32);
  if (!record.channel.empty() && !core::isFeedbackChannel(record.channel)) {
    read.add("channel", "invalid_value",
             "渠道须为 hotline、suggestion_box、letter、reception_day、meeting 或 online "
             "(unknown channel)");
  }
  record.content = read.text("content", true, limits_.max_content_bytes, true);
  record.name = read.text("name", false, limits_.max_name_bytes);
  record.contact = read.text("contact", false, limits_.max_contact_bytes);
  read.id("document_id");
  read.id("catalogue_item");
  record.received_at = clock_();
  if (body->has("received_at") && !body->isNull("received_at")) {
    const std::string when = read.text("received_at", false, 40);
    const auto parsed = core::parseRfc3339(when);
    if (!onBehalf) {
      read.add("received_at", "not_allowed",
               "只有承办人登记来信来电时才能填写收到时间 (only handlers entering a letter or "
               "call may set received_at)");
    } else if (!parsed || *parsed > record.received_at) {
      read.add("received_at", "invalid_value",
               "收到时间须为不晚于现在的 RFC 3339 时间 (must be an RFC 3339 time not in the "
               "future)");
    } else {
      record.received_at = *parsed;
    }
  }
  if (auto ok = read.result("invalid_feedback", "意见内容有误 (invalid feedback)"); !ok.ok()) {
    return ok.error();
  }
  if (!onBehalf) {
    if (auto admitted = limiter_.admit(subject.address); !admitted.ok()) return admitted.error();
  }
  const auto engine = policies_.engine();
  record.document_id = concerns.document_id;
  record.catalogue_item = concerns.catalogue_item;
  record.category = concerns.category;
  record.org_unit = concerns.org_unit;
  record.deadline = policies::feedbackDeadline(record.received_at, engine->policies().time_limits,
                                               engine->policies().calendar);
  const std::string receipt = core::newReceiptCode();
  record.receipt_sha256 = core::tokenDigest(receipt);
  record.version = 1;
  record.status = core::FeedbackStatus::kReceived;
  record.created_by = record.updated_by = subject.id;
  record.created_at = record.updated_at = clock_();
  record.change = "feedback.submit";
  auto saved =
      store_.write<FeedbackRecord>([&](store::Transaction& tx) -> core::Result<FeedbackRecord> {
        record.id = FeedbackRepository::nextId(tx);
        saveWithAudit(tx, subject, record);
        return record;
      });
  if (!saved.ok()) return saved.error();
  return Submitted{std::move(saved).value(), receipt};
}

core::Result<FeedbackRecord> FeedbackService::get(const Subject& subject, std::int64_t id) {
  // Who may read no case learns nothing, not even whether the id exists.
  if (auto readable = cases_.readableUnits(subject); !readable.ok()) return readable.error();
  try {
    auto session = store_.read();
    auto found = FeedbackRepository::current(*session, id);
    if (!found) return notFound(id);
    if (auto allowed = cases_.requireReader(subject, found->org_unit, notFound(id)); !allowed.ok())
      return allowed.error();
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<std::vector<FeedbackRecord>> FeedbackService::versions(std::int64_t id) {
  try {
    auto session = store_.read();
    auto all = FeedbackRepository::versions(*session, id);
    if (all.empty()) return notFound(id);
    return all;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<FeedbackRecord> FeedbackService::byReceipt(const std::string& code) {
  const Error unknown = Error::make(ErrorCode::kNotFound, "receipt_not_found",
                                    "回执码无效或不存在 (no case with that receipt code)");
  const auto digest = core::receiptDigest(code);
  if (!digest) return unknown;
  try {
    auto session = store_.read();
    auto found = FeedbackRepository::byReceipt(*session, *digest);
    if (!found) return unknown;
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<Page<FeedbackRecord>> FeedbackService::list(const Subject& subject,
                                                         store::FeedbackFilter filter) {
  auto readable = cases_.readableUnits(subject);
  if (!readable.ok()) return readable.error();
  if (!subject.system) filter.units = std::move(readable).value();
  try {
    auto session = store_.read();
    Page<FeedbackRecord> page;
    page.items = FeedbackRepository::list(*session, filter);
    page.total = FeedbackRepository::count(*session, filter);
    return page;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

core::Result<FeedbackRecord> FeedbackService::step(const Subject& subject, std::int64_t id,
                                                   const std::string& name,
                                                   const Object::Ptr& body) {
  if (auto allowed = cases_.requireHandler(subject); !allowed.ok()) return allowed.error();
  auto before = get(subject, id);
  if (!before.ok()) return before.error();
  if (auto allowed = cases_.requireHandlerOf(subject, before.value().org_unit); !allowed.ok())
    return allowed.error();
  // Handing a case to another unit needs the right to handle cases there too.
  if (name == "assign" && body && body->has("org_unit") && body->get("org_unit").isString()) {
    const std::string unit = body->getValue<std::string>("org_unit");
    if (auto allowed = unit.empty() ? core::okStatus() : cases_.requireHandlerOf(subject, unit);
        !allowed.ok()) {
      return allowed.error();
    }
  }
  policies::FeedbackStep step;
  step.name = name;
  BodyReader read(body, {"org_unit", "handler", "category", "answer", "rectification",
                         "satisfaction", "reason"});
  step.org_unit = read.text("org_unit", false, 64);
  step.handler = read.text("handler", false, 64);
  step.category = read.text("category", false, 8);
  step.answer = read.text("answer", false, 20000, true);
  step.rectification = read.text("rectification", false, 20000, true);
  step.satisfaction = read.text("satisfaction", false, 32);
  step.reason = read.text("reason", false, 2000, true);
  const auto engine = policies_.engine();
  if (!step.org_unit.empty() && !unitExists_(step.org_unit)) {
    read.add("org_unit", "unknown_unit", "没有该单位 (no such unit)");
  }
  if (!step.handler.empty() && !userExists_(step.handler)) {
    read.add("handler", "unknown_user", "没有该用户 (no such user)");
  }
  if (!step.category.empty() && engine->policies().categories.find(step.category) == nullptr) {
    read.add("category", "unknown_category", "没有该公开类别 (no such category)");
  }
  if (auto ok = read.result("invalid_step", "办理内容有误 (invalid step)"); !ok.ok()) {
    return ok.error();
  }
  return store_.write<FeedbackRecord>([&](store::Transaction& tx) -> core::Result<FeedbackRecord> {
    auto current = FeedbackRepository::current(tx, id);
    if (!current) return notFound(id);
    if (!cases_.handles(subject, current->org_unit)) {
      return Error::make(ErrorCode::kForbidden, "unit_forbidden",
                         "您无权办理该单位的意见 (your roles do not cover this unit)");
    }
    auto next =
        policies::applyFeedbackStep(*current, step, subject.id, clock_(),
                                    engine->policies().time_limits, engine->policies().calendar);
    if (!next.ok()) return next.error();
    FeedbackRecord record = std::move(next).value();
    record.version = current->version + 1;
    record.updated_by = subject.id;
    record.updated_at = clock_();
    saveWithAudit(tx, subject, record);
    return record;
  });
}

policies::Timeliness FeedbackService::timeliness(const FeedbackRecord& record) const {
  const auto engine = policies_.engine();
  return policies::timelinessOf(record, today(), engine->policies().time_limits,
                                engine->policies().calendar);
}

Object::Ptr FeedbackService::toJson(const FeedbackRecord& r, View view) const {
  Object::Ptr out = new Object;
  out->set("id", static_cast<Poco::Int64>(r.id));
  out->set("channel", r.channel);
  out->set("received_at", core::formatRfc3339(r.received_at));
  out->set("content", r.content);
  out->set("status", std::string(core::toString(r.status)));
  out->set("deadline", r.deadline.toString());
  const auto t = timeliness(r);
  out->set("due_soon", t.due_soon);
  out->set("overdue", t.overdue);
  out->set("working_days_left",
           t.finished ? Poco::Dynamic::Var() : Poco::Dynamic::Var(t.working_days_left));
  out->set("answered_on_time",
           t.finished ? Poco::Dynamic::Var(t.answered_on_time) : Poco::Dynamic::Var());
  out->set("extended", r.extended.has_value());
  out->set("extension_reason", orNull(r.extension_reason));
  out->set("answer", orNull(r.answer));
  out->set("rectification", orNull(r.rectification));
  out->set("answered_at", r.answered ? Poco::Dynamic::Var(core::formatRfc3339(r.answered->at))
                                     : Poco::Dynamic::Var());
  out->set("closed_at",
           r.closed ? Poco::Dynamic::Var(core::formatRfc3339(r.closed->at)) : Poco::Dynamic::Var());
  out->set("satisfaction", orNull(r.satisfaction));
  if (view == View::kReceipt) return out;
  out->set("version", static_cast<Poco::Int64>(r.version));
  out->set("name", orNull(r.name));
  out->set("contact", orNull(r.contact));
  out->set("document_id", r.document_id
                              ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*r.document_id))
                              : Poco::Dynamic::Var());
  out->set("catalogue_item", r.catalogue_item
                                 ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*r.catalogue_item))
                                 : Poco::Dynamic::Var());
  out->set("category", orNull(r.category));
  out->set("org_unit", orNull(r.org_unit));
  out->set("handler", orNull(r.handler));
  out->set("created_by", r.created_by);
  out->set("updated_by", r.updated_by);
  out->set("updated_at", core::formatRfc3339(r.updated_at));
  return out;
}

}  // namespace gongkai::server::service
