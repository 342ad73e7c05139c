#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/core/time.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/page.h"
#include "gongkai/server/service/query_parameters.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/retention_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// The records of retention as the store keeps them, which the use cases below hand out whole.
using Disposition = store::DispositionRow;
using LegalHold = store::LegalHoldRow;
using DueRecord = store::DueRecord;

// Which due records to list; the units the caller may review are the service's to add.
struct DueQuery {
  std::optional<std::string> org_unit;
  std::optional<std::string> category;
  std::optional<int> year;
  std::int64_t limit = 20, offset = 0;
};
// ?page=, ?per_page=, ?year=, ?org_unit= and ?category= (kMalformed "invalid_query" for a bad one).
core::Result<DueQuery> parseDueQuery(const QueryParameters& query);

// A due record as listed, with the day it fell due.
struct DueItem {
  DueRecord record;
  core::Date due_on;
};

// What a legal hold covers: one document, or a scope (at least one of unit, category, year).
struct HoldRequest {
  std::optional<std::int64_t> document_id;
  std::optional<std::string> org_unit;
  std::optional<std::string> category;
  std::optional<int> year;
  std::string reason;
};

// An approved disposition and the disposed version it made (the audit log's tombstone).
struct DispositionDecision {
  Disposition disposition;
  std::optional<core::DocumentVersion> document;  // set when approved
};

// Retention and disposition (到期鉴定与销毁) and legal holds (法律保全). A record whose retention
// period ended (core/retention.h) is listed for review; one person proposes to dispose of it with a
// reason, a second person approves (never the proposer) or rejects. Approval makes the document's
// disposed version, whose audit entry names the blobs removed (the tombstone), and deletes those
// blobs once it is committed; the metadata stays. Holds, placed and released by inspectors, keep
// records off the list and block disposition (409 "on_legal_hold"). Every use case decides
// through the policy (retention.read, retention.propose, retention.approve, holds.manage):
// unit-bound roles only for documents of their units. Thread-safe.
class RetentionService {
 public:
  // The longest reason or note taken, in bytes.
  static constexpr std::size_t kMaxReasonBytes = 4000;

  RetentionService(
      store::Store& store, const policies::CategoryCatalogue& categories,
      AuthorizerSource authorizer,
      std::function<core::Date()> today = [] { return core::chinaDate(core::nowUtc()); });

  // The records due today in the units the subject may review, oldest year first.
  core::Result<Page<DueItem>> due(const Subject& subject, const DueQuery& query);

  // kConflict with a stable reason when the record is not archived ("not_archived"), disposed
  // already ("already_disposed"), kept for ever ("permanent_retention"), not yet due ("not_due"),
  // on hold ("on_legal_hold") or has a proposal waiting ("disposition_pending").
  core::Result<Disposition> propose(const Subject& subject, std::int64_t documentId,
                                    const std::string& reason);
  // kForbidden "self_approval" for the proposer; kConflict "disposition_decided" once decided,
  // "on_legal_hold" when a hold came meanwhile.
  core::Result<DispositionDecision> approve(const Subject& subject, std::int64_t id,
                                            const std::string& note);
  // The note (why not) is required.
  core::Result<DispositionDecision> reject(const Subject& subject, std::int64_t id,
                                           const std::string& note);
  core::Result<Disposition> disposition(const Subject& subject, std::int64_t id);
  core::Result<Page<Disposition>> dispositions(const Subject& subject,
                                               const std::optional<std::string>& state,
                                               std::int64_t limit, std::int64_t offset);

  core::Result<LegalHold> placeHold(const Subject& subject, const HoldRequest& request);
  // kConflict "hold_released" when it was released before.
  core::Result<LegalHold> releaseHold(const Subject& subject, std::int64_t id,
                                      const std::string& reason);
  core::Result<Page<LegalHold>> holds(const Subject& subject, bool activeOnly, std::int64_t limit,
                                      std::int64_t offset);

 private:
  // Decides a proposal: `approve` or not, by the subject, inside one transaction.
  core::Result<DispositionDecision> decide(const Subject& subject, std::int64_t id, bool approve,
                                           const std::string& note);
  // Why the record may not be disposed of today, or ok.
  core::Status disposable(store::Transaction& tx, const core::DocumentVersion& current) const;

  store::Store& store_;
  const policies::CategoryCatalogue& categories_;
  AuthorizerSource authorizer_;
  std::function<core::Date()> today_;
};

}  // namespace gongkai::server::service
