#include "gongkai/server/service/retention_service.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <utility>

#include "gongkai/core/json.h"
#include "gongkai/core/retention.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/search_repository.h"
#include "gongkai/server/store/storage_error.h"
#include "preservation_renditions.h"
#include "versioned_save.h"

namespace gongkai::server::service {
namespace {

using core::Error;
using core::ErrorCode;
using store::DispositionRow;
using store::DocumentRepository;
using store::LegalHoldRow;
using store::RetentionRepository;
using store::Transaction;

constexpr std::string_view kRead = "retention.read";
constexpr std::string_view kPropose = "retention.propose";
constexpr std::string_view kApprove = "retention.approve";
constexpr std::string_view kHolds = "holds.manage";

Error fieldProblem(const std::string& field, const std::string& code, const std::string& message) {
  Error error = Error::make(ErrorCode::kInvalidArgument, code, message);
  error.fields.push_back({field, code, message});
  return error;
}

// A reason or note as people type it: clean UTF-8 text of at most kMaxReasonBytes, line breaks
// allowed; `required` ones must say something.
core::Status checkText(const std::string& field, const std::string& text, bool required) {
  if (text.size() > RetentionService::kMaxReasonBytes) {
    return fieldProblem(field, "text_too_long",
                        "不能超过 4000 字节 (at most 4000 bytes): " + field);
  }
  if (!core::isValidUtf8(text) || core::hasControlCharacters(text, true)) {
    return fieldProblem(field, "invalid_text", "含有无效字符 (invalid characters): " + field);
  }
  if (required && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fieldProblem(field, "missing_field", "须说明理由 (a reason is required): " + field);
  }
  return core::okStatus();
}

Error conflict(const std::string& code, const std::string& message) {
  return Error::make(ErrorCode::kConflict, code, message);
}

Error dispositionNotFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "disposition_not_found",
                     "销毁申请不存在 (no such disposition): " + std::to_string(id));
}

// What the audit entry of a change to a proposal or hold hashes: the row as it now stands.
std::string digestOf(const Poco::JSON::Object::Ptr& record) {
  return core::sha256Hex(core::canonicalJson(Poco::Dynamic::Var(record)));
}

std::string digestOf(const DispositionRow& row) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(row.id));
  o->set("document_id", static_cast<Poco::Int64>(row.document_id));
  o->set("state", row.state);
  o->set("reason", row.reason);
  o->set("proposed_by", row.proposed_by);
  o->set("proposed_at", row.proposed_at);
  o->set("decided_by", row.decided_by);
  o->set("decided_at", row.decided_at);
  o->set("decision_note", row.decision_note);
  return digestOf(o);
}

std::string digestOf(const LegalHoldRow& row) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(row.id));
  o->set("document_id", static_cast<Poco::Int64>(row.document_id));
  o->set("org_unit", row.org_unit);
  o->set("category", row.category);
  o->set("year", row.year);
  o->set("reason", row.reason);
  o->set("placed_by", row.placed_by);
  o->set("placed_at", row.placed_at);
  o->set("released_by", row.released_by);
  o->set("released_at", row.released_at);
  o->set("release_reason", row.release_reason);
  return digestOf(o);
}

template <typename T>
core::Result<T> reading(const std::function<core::Result<T>()>& read) {
  try {
    return read();
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

}  // namespace

RetentionService::RetentionService(store::Store& store,
                                   const policies::CategoryCatalogue& categories,
                                   AuthorizerSource authorizer, std::function<core::Date()> today)
    : store_(store),
      categories_(categories),
      authorizer_(std::move(authorizer)),
      today_(std::move(today)) {}

core::Result<Page<DueItem>> RetentionService::due(const Subject& subject, const DueQuery& query) {
  store::DueFilter filter;
  if (!subject.system) {
    const auto authorizer = authorizer_();
    if (auto allowed = authorizer.require(subject.principal, kRead); !allowed.ok()) {
      return allowed.error();
    }
    filter.units = authorizer.unitsWhere(subject.principal, kRead);
  }
  const core::Date today = today_();
  for (const std::string_view retention : core::kRetentions) {
    if (const auto last = core::lastDueYear(retention, today)) {
      filter.last_due_years.emplace_back(std::string(retention), *last);
    }
  }
  filter.org_unit = query.org_unit;
  filter.category = query.category;
  filter.year = query.year;
  filter.limit = query.limit;
  filter.offset = query.offset;
  return reading<Page<DueItem>>([&]() -> core::Result<Page<DueItem>> {
    auto session = store_.read();
    auto found = RetentionRepository::due(*session, filter);
    Page<DueItem> page;
    page.total = found.total;
    for (auto& record : found.records) {
      const core::Date dueOn =
          core::disposalDueDate(record.year, record.retention).value_or(core::Date{});
      page.items.push_back(DueItem{std::move(record), dueOn});
    }
    return page;
  });
}

core::Status RetentionService::disposable(Transaction& tx,
                                          const core::DocumentVersion& current) const {
  if (current.status == core::DocumentStatus::kDisposed) {
    return conflict("already_disposed", "该档案已销毁 (the record is disposed of already)");
  }
  if (current.status != core::DocumentStatus::kArchived) {
    return conflict("not_archived", "只有已归档的档案才能鉴定销毁 (only archived records)");
  }
  const std::string& retention = current.disclosure.retention;
  const int year = core::disclosureYear(current.metadata, current.created_at);
  const auto dueOn = core::disposalDueDate(year, retention);
  if (!dueOn) {
    return conflict("permanent_retention",
                    "永久保管的档案不能销毁 (a record kept permanently is never disposed of)");
  }
  if (today_() < *dueOn) {
    return conflict("not_due", "保管期限未满，" + dueOn->toString() +
                                   " 到期 (the retention period ends on " + dueOn->toString() +
                                   ")");
  }
  const auto holds = RetentionRepository::holdsCovering(
      tx, current.document_id, current.metadata.org_unit, current.metadata.category, year);
  if (!holds.empty()) {
    return conflict("on_legal_hold", "该档案处于保全中，不能销毁 (the record is on legal hold " +
                                         std::to_string(holds.front().id) + ")");
  }
  return core::okStatus();
}

core::Result<DispositionRow> RetentionService::propose(const Subject& subject,
                                                       std::int64_t documentId,
                                                       const std::string& reason) {
  return store_.write<DispositionRow>([&](Transaction& tx) -> core::Result<DispositionRow> {
    auto current = DocumentRepository::current(tx, documentId);
    if (!current) {
      return Error::make(ErrorCode::kNotFound, "document_not_found",
                         "文档不存在 (no such document): " + std::to_string(documentId));
    }
    if (!subject.system) {
      if (auto allowed = authorizer_().requireOnDocument(subject.principal, *current, kPropose);
          !allowed.ok()) {
        return allowed.error();
      }
    }
    if (auto checked = checkText("reason", reason, true); !checked.ok()) return checked.error();
    if (auto open = disposable(tx, *current); !open.ok()) return open.error();
    if (auto pending = RetentionRepository::pendingDisposition(tx, documentId)) {
      return conflict(
          "disposition_pending",
          "已有待审批的销毁申请 (a proposal is waiting already): " + std::to_string(pending->id));
    }
    DispositionRow row{0,      documentId, "proposed",
                       reason, subject.id, core::formatRfc3339(core::nowUtc()),
                       "",     "",         ""};
    row.id = RetentionRepository::insertDisposition(tx, row);
    appendAudit(tx, subject, "disposition.propose", "disposition", std::to_string(row.id),
                std::nullopt, digestOf(row));
    return row;
  });
}

core::Result<DispositionDecision> RetentionService::approve(const Subject& subject, std::int64_t id,
                                                            const std::string& note) {
  return decide(subject, id, true, note);
}

core::Result<DispositionDecision> RetentionService::reject(const Subject& subject, std::int64_t id,
                                                           const std::string& note) {
  return decide(subject, id, false, note);
}

core::Result<DispositionDecision> RetentionService::decide(const Subject& subject, std::int64_t id,
                                                           bool approve, const std::string& note) {
  std::vector<std::string> removed;
  auto decided =
      store_.write<DispositionDecision>([&](Transaction& tx) -> core::Result<DispositionDecision> {
        auto row = RetentionRepository::disposition(tx, id);
        if (!row) return dispositionNotFound(id);
        auto current = DocumentRepository::current(tx, row->document_id);
        if (!current) return dispositionNotFound(id);
        if (!subject.system) {
          if (auto allowed = authorizer_().requireOnDocument(subject.principal, *current, kApprove);
              !allowed.ok()) {
            return allowed.error().reason == "document_not_found" ? dispositionNotFound(id)
                                                                  : allowed.error();
          }
        }
        if (auto checked = checkText("note", note, !approve); !checked.ok()) return checked.error();
        if (row->state != "proposed") {
          return conflict("disposition_decided",
                          "该申请已处理 (the proposal is decided already): " + row->state);
        }
        if (approve && row->proposed_by == subject.id) {
          return Error::make(ErrorCode::kForbidden, "self_approval",
                             "提出销毁的人不能自己审批 (the proposer cannot approve it)");
        }
        DispositionDecision decision;
        const auto now = core::nowUtc();
        if (approve) {
          if (auto open = disposable(tx, *current); !open.ok()) return open.error();
          removed = RetentionRepository::blobsOnlyDisposedUse(tx, current->document_id);
          // The PDF/A renditions of those files go with them; the tombstone names them too.
          for (std::string& rendition : RetentionRepository::renditionsOf(
                   tx, PreservationRenditions::kObjectType, removed, current->document_id)) {
            removed.push_back(std::move(rendition));
          }
          std::sort(removed.begin(), removed.end());
          removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
          core::DocumentVersion v = *current;
          v.status = core::DocumentStatus::kDisposed;
          const auto proposedAt = core::parseRfc3339(row->proposed_at).value_or(now);
          v.disclosure.disposed = core::Disposition{
              {row->proposed_by, proposedAt}, row->reason, {subject.id, now}, removed};
          v.version = current->version + 1;
          v.updated_by = subject.id;
          v.updated_at = now;
          v.change = "document.dispose";
          saveWithAudit(tx, subject, v);  // the tombstone: its record names the blobs removed
          RetentionRepository::forgetTexts(tx, removed);
          // Every earlier version indexed again, without the text of files now gone (the new
          // version and the one before it are queued already).
          for (std::int64_t earlier = 1; earlier < current->version; ++earlier) {
            store::SearchRepository::enqueue(tx, current->document_id, earlier);
          }
          decision.document = std::move(v);
        }
        row->state = approve ? "approved" : "rejected";
        row->decided_by = subject.id;
        row->decided_at = core::formatRfc3339(now);
        row->decision_note = note;
        RetentionRepository::decideDisposition(tx, id, row->state, row->decided_by, row->decided_at,
                                               note);
        appendAudit(tx, subject, approve ? "disposition.approve" : "disposition.reject",
                    "disposition", std::to_string(id), std::nullopt, digestOf(*row));
        decision.disposition = std::move(*row);
        return decision;
      });
  if (!decided.ok()) return decided;
  // Only once the tombstone is committed: a crash before this leaves the blobs behind, which
  // verify-log accepts, never a blob gone without its tombstone.
  for (const std::string& blob : removed) {
    if (auto gone = store_.blobs().remove(blob); !gone.ok()) return gone.error();
  }
  return decided;
}

core::Result<DispositionRow> RetentionService::disposition(const Subject& subject,
                                                           std::int64_t id) {
  return reading<DispositionRow>([&]() -> core::Result<DispositionRow> {
    auto session = store_.read();
    auto row = RetentionRepository::disposition(*session, id);
    if (!row) return dispositionNotFound(id);
    if (subject.system) return std::move(*row);
    const auto authorizer = authorizer_();
    if (auto allowed = authorizer.require(subject.principal, kRead); !allowed.ok()) {
      return allowed.error();
    }
    auto current = DocumentRepository::current(*session, row->document_id);
    if (!current || !authorizer.mayInUnit(subject.principal, kRead, current->metadata.org_unit)) {
      return dispositionNotFound(id);
    }
    return std::move(*row);
  });
}

core::Result<Page<DispositionRow>> RetentionService::dispositions(
    const Subject& subject, const std::optional<std::string>& state, std::int64_t limit,
    std::int64_t offset) {
  std::optional<std::vector<std::string>> units;
  if (!subject.system) {
    const auto authorizer = authorizer_();
    if (auto allowed = authorizer.require(subject.principal, kRead); !allowed.ok()) {
      return allowed.error();
    }
    units = authorizer.unitsWhere(subject.principal, kRead);
  }
  if (state && *state != "proposed" && *state != "approved" && *state != "rejected") {
    return fieldProblem("state", "invalid_value",
                        "状态须为 proposed、approved 或 rejected (unknown state)");
  }
  return reading<Page<DispositionRow>>([&]() -> core::Result<Page<DispositionRow>> {
    auto session = store_.read();
    Page<DispositionRow> page;
    page.items =
        RetentionRepository::dispositions(*session, units, state, limit, offset, page.total);
    return page;
  });
}

core::Result<LegalHoldRow> RetentionService::placeHold(const Subject& subject,
                                                       const HoldRequest& request) {
  if (!subject.system) {
    if (auto allowed = authorizer_().require(subject.principal, kHolds); !allowed.ok()) {
      return allowed.error();
    }
  }
  if (auto checked = checkText("reason", request.reason, true); !checked.ok()) {
    return checked.error();
  }
  const bool scoped = request.org_unit || request.category || request.year;
  if (request.document_id.has_value() == scoped) {
    return fieldProblem("document_id", "hold_target_required",
                        "须指定一份文档，或单位、类别、年度中至少一项 (name one document, or a "
                        "unit, category or year)");
  }
  if (request.org_unit && !authorizer_().units().contains(*request.org_unit)) {
    return fieldProblem("org_unit", "unknown_unit", "单位不存在 (no such unit)");
  }
  if (request.category && categories_.find(*request.category) == nullptr) {
    return fieldProblem("category", "unknown_category", "类别不存在 (no such category)");
  }
  if (request.year && (*request.year < 1900 || *request.year > 2999)) {
    return fieldProblem("year", "invalid_year", "年度须在 1900 至 2999 之间 (year 1900-2999)");
  }
  return store_.write<LegalHoldRow>([&](Transaction& tx) -> core::Result<LegalHoldRow> {
    if (request.document_id && !DocumentRepository::current(tx, *request.document_id)) {
      return fieldProblem("document_id", "document_not_found",
                          "文档不存在 (no such document): " + std::to_string(*request.document_id));
    }
    LegalHoldRow row;
    row.document_id = request.document_id.value_or(0);
    row.org_unit = request.org_unit.value_or("");
    row.category = request.category.value_or("");
    row.year = request.year.value_or(0);
    row.reason = request.reason;
    row.placed_by = subject.id;
    row.placed_at = core::formatRfc3339(core::nowUtc());
    row.id = RetentionRepository::insertHold(tx, row);
    appendAudit(tx, subject, "hold.place", "legal_hold", std::to_string(row.id), std::nullopt,
                digestOf(row));
    return row;
  });
}

core::Result<LegalHoldRow> RetentionService::releaseHold(const Subject& subject, std::int64_t id,
                                                         const std::string& reason) {
  if (!subject.system) {
    if (auto allowed = authorizer_().require(subject.principal, kHolds); !allowed.ok()) {
      return allowed.error();
    }
  }
  if (auto checked = checkText("reason", reason, true); !checked.ok()) return checked.error();
  return store_.write<LegalHoldRow>([&](Transaction& tx) -> core::Result<LegalHoldRow> {
    auto row = RetentionRepository::hold(tx, id);
    if (!row) {
      return Error::make(ErrorCode::kNotFound, "hold_not_found",
                         "保全不存在 (no such legal hold): " + std::to_string(id));
    }
    if (!row->released_at.empty()) {
      return conflict("hold_released", "该保全已解除 (the hold is released already)");
    }
    row->released_by = subject.id;
    row->released_at = core::formatRfc3339(core::nowUtc());
    row->release_reason = reason;
    RetentionRepository::releaseHold(tx, id, row->released_by, row->released_at, reason);
    appendAudit(tx, subject, "hold.release", "legal_hold", std::to_string(id), std::nullopt,
                digestOf(*row));
    return std::move(*row);
  });
}

core::Result<Page<LegalHoldRow>> RetentionService::holds(const Subject& subject, bool activeOnly,
                                                         std::int64_t limit, std::int64_t offset) {
  if (!subject.system) {
    if (auto allowed = authorizer_().require(subject.principal, kRead); !allowed.ok()) {
      return allowed.error();
    }
  }
  return reading<Page<LegalHoldRow>>([&]() -> core::Result<Page<LegalHoldRow>> {
    auto session = store_.read();
    Page<LegalHoldRow> page;
    page.items = RetentionRepository::holds(*session, activeOnly, limit, offset, page.total);
    return page;
  });
}

core::Result<DueQuery> parseDueQuery(const QueryParameters& parameters) {
  auto page = pageParameters(parameters);
  if (!page.ok()) return page.error();
  auto year = yearParameter(parameters);
  if (!year.ok()) return year.error();
  DueQuery query;
  query.org_unit = firstValue(parameters, "org_unit");
  query.category = firstValue(parameters, "category");
  query.year = year.value();
  query.limit = page.value().per_page;
  query.offset = page.value().offset();
  return query;
}

}  // namespace gongkai::server::service
