#pragma once

// The one way a new version of a versioned record (a document, a catalogue item, a feedback case,
// an application) is stored: its canonical record (RFC 8785), the record's SHA-256 in the audit
// entry that makes the version, and the version row with whatever the kind's repository keeps
// beside it (the current row, the search outbox), all in the caller's transaction. The audit
// chain and the annual bundles hash exactly these bytes.

#include <cstdint>
#include <string>

#include "gongkai/core/catalogue.h"
#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/document.h"
#include "gongkai/core/feedback.h"
#include "gongkai/core/sha256.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/store/case_repository.h"
#include "gongkai/server/store/catalogue_repository.h"
#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/versioned_records.h"

namespace gongkai::server::service {

// Where each kind is stored, under what name the audit log knows it, and which id is its own.
template <typename Record>
struct Versioned;

template <>
struct Versioned<core::DocumentVersion> {
  using Repository = store::DocumentRepository;
  static constexpr store::VersionedKind kKind = store::VersionedKind::kDocument;
  static std::int64_t idOf(const core::DocumentVersion& v) { return v.document_id; }
};

template <>
struct Versioned<core::CatalogueItem> {
  using Repository = store::CatalogueRepository;
  static constexpr store::VersionedKind kKind = store::VersionedKind::kCatalogueItem;
  static std::int64_t idOf(const core::CatalogueItem& item) { return item.id; }
};

template <>
struct Versioned<core::FeedbackRecord> {
  using Repository = store::FeedbackRepository;
  static constexpr store::VersionedKind kKind = store::VersionedKind::kFeedback;
  static std::int64_t idOf(const core::FeedbackRecord& r) { return r.id; }
};

template <>
struct Versioned<core::DisclosureRequest> {
  using Repository = store::RequestRepository;
  static constexpr store::VersionedKind kKind = store::VersionedKind::kDisclosureRequest;
  static std::int64_t idOf(const core::DisclosureRequest& r) { return r.id; }
};

// Stores `record` as a new version with the audit entry (action record.change) that makes it.
// Throws what the store throws; the caller's transaction then rolls both back.
template <typename Record>
void saveWithAudit(store::Transaction& tx, const Subject& subject, const Record& record) {
  using Kind = Versioned<Record>;
  const std::string canonical = core::canonicalRecord(record);
  const std::string digest = core::sha256Hex(canonical);
  const core::AuditEntry entry =
      appendAudit(tx, subject, record.change, store::objectTypeOf(Kind::kKind),
                  std::to_string(Kind::idOf(record)), record.version, digest);
  Kind::Repository::saveVersion(tx, record, canonical, digest, entry.seq);
}

}  // namespace gongkai::server::service
