#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/core/time.h"

namespace gongkai::core {

// 公开范围: to society, to party members only, or not disclosed at all.
enum class Scope { kPublic, kInternal, kRestricted };
// 公开方式.
enum class Mode { kStatutory, kProactive, kOnRequest };
// 公开时限.
enum class Period { kStanding, kPeriodic, kStaged, kImmediate };
// Lifecycle state (the disclosure procedure): draft → submitted → approved (or rejected, back to
// draft) → published → withdrawn; published or withdrawn → archived; archived → disposed once its
// retention period ended and two people agreed (到期鉴定与销毁): files gone, metadata kept.
enum class DocumentStatus {
  kDraft,
  kSubmitted,
  kApproved,
  kPublished,
  kWithdrawn,
  kArchived,
  kDisposed
};

std::string_view toString(Scope value);
std::string_view toString(Mode value);
std::string_view toString(Period value);
std::string_view toString(DocumentStatus value);
std::optional<Scope> parseScope(std::string_view text);
std::optional<Mode> parseMode(std::string_view text);
std::optional<Period> parsePeriod(std::string_view text);
std::optional<DocumentStatus> parseStatus(std::string_view text);

// What an archivist edits. Everything else about a document is derived or recorded.
struct DocumentMetadata {
  std::string title;
  std::optional<std::string> doc_number;  // 文号, e.g. 连发[2010]37号
  std::string category;                   // a category code from the policy, e.g. "ZZ"
  std::string org_unit;
  Scope scope = Scope::kPublic;
  Mode mode = Mode::kProactive;
  Period period = Period::kStanding;
  std::optional<Date> issued_at;
  std::optional<std::string> summary;
  std::optional<std::int64_t> catalogue_item;  // the catalogue item (公开目录条目) it answers

  bool operator==(const DocumentMetadata&) const = default;
};

struct FileRecord {
  std::int64_t id = 0;
  std::string name;  // exactly as uploaded, UTF-8
  std::string media_type;
  std::int64_t size = 0;
  std::string sha256;  // lowercase hex; also the blob's name
};

// Who took a step of the procedure, and when.
struct Step {
  std::string by;
  TimePoint at;
  bool operator==(const Step&) const = default;
};

// Where an imported record came from (gongkai import): the catalogue file, its SHA-256 and the
// line of the row, so the record itself says it was carried over and from what.
struct ImportSource {
  std::string catalogue;  // the catalogue's file name
  std::string catalogue_sha256;
  std::int64_t line = 0;
  bool operator==(const ImportSource&) const = default;
};

// How an archived record was disposed of when its retention period ended: who proposed it and
// why, who approved it (never the proposer), and the blobs removed from the blob store. The
// version that carries it is the audit log's tombstone: its entry hashes this record, so
// verify-log knows those blobs are gone on purpose.
struct Disposition {
  Step proposed;
  std::string reason;
  Step approved;
  std::vector<std::string> removed_blobs;  // SHA-256 hex of each blob deleted, sorted
  bool operator==(const Disposition&) const = default;
};

// What the disclosure procedure has recorded about a document so far: carried from version to
// version, each transition adding to it. Empty for documents that never left draft, whose stored
// records do not carry it at all.
struct Disclosure {
  std::optional<Step> submitted;
  std::optional<Step> reviewed;           // the last approval or rejection
  bool confidentiality_reviewed = false;  // 保密审查, confirmed by the approving reviewer
  std::string opinion;                    // the reviewer's opinion
  std::optional<Step> published;
  std::vector<std::string> channels;  // where it went out: website, intranet, meeting, ...
  std::optional<Step> withdrawn;
  std::string withdrawal_reason;
  std::optional<Step> archived;
  std::string retention;       // Y, D30 or D10, fixed when archived
  std::string reference_code;  // 档号, e.g. J001-2023-Y-ZZ-0007
  // Set only on records imported from a legacy archive, which left no trace of the steps before
  // their archiving; records without it do not carry the member at all.
  std::optional<ImportSource> imported;
  // Set only once the record is disposed; records without it do not carry the member at all.
  std::optional<Disposition> disposed;

  bool empty() const { return *this == Disclosure{}; }
  bool operator==(const Disclosure&) const = default;
};

// One immutable version of a document: its metadata and the files it holds.
struct DocumentVersion {
  std::int64_t document_id = 0;
  std::int64_t version = 0;
  DocumentMetadata metadata;
  DocumentStatus status = DocumentStatus::kDraft;
  Disclosure disclosure;
  std::vector<FileRecord> files;
  std::string created_by;  // who created the document (version 1)
  TimePoint created_at;
  std::string updated_by;  // who made this version
  TimePoint updated_at;
  std::string change;  // the audit action that made this version, e.g. "document.update"
};

// The canonical JSON record of a version (RFC 8785): what the store keeps and what the audit
// entry that made the version hashes, so a version changed behind the server's back is caught.
std::string canonicalRecord(const DocumentVersion& version);

// Parses a stored record; kCorrupt when it is not one.
Result<DocumentVersion> parseRecord(std::string_view record);

// The disclosure year of a document: the year it was issued, else the year it was created.
int disclosureYear(const DocumentMetadata& metadata, TimePoint createdAt);

}  // namespace gongkai::core
