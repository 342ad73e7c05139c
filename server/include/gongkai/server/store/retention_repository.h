#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/core/document.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// A proposal to dispose of an archived record and what became of it.
struct DispositionRow {
  std::int64_t id = 0;
  std::int64_t document_id = 0;
  std::string state;  // proposed, approved, rejected
  std::string reason;
  std::string proposed_by, proposed_at;
  std::string decided_by, decided_at, decision_note;  // "" until decided
};

// A legal hold: on one document, or on every record of a unit, category and year ("" and 0 for
// any of them).
struct LegalHoldRow {
  std::int64_t id = 0;
  std::int64_t document_id = 0;  // 0 for a scope hold
  std::string org_unit, category;
  int year = 0;
  std::string reason;
  std::string placed_by, placed_at;
  std::string released_by, released_at, release_reason;  // "" while in force
};

// Which archived records are due: those of each retention up to its last due year (the record's
// year, as its 档号 says), none on hold, in `units` (nullopt: all), as the filters narrow it.
struct DueFilter {
  std::vector<std::pair<std::string, int>> last_due_years;  // retention → last year due
  std::optional<std::vector<std::string>> units;
  std::optional<std::string> org_unit, category;
  std::optional<int> year;
  std::int64_t limit = 20, offset = 0;
};

// A due record: its current version, its 档号 and the proposal waiting on it, if any.
struct DueRecord {
  core::DocumentVersion document;
  std::string reference_code;
  std::string retention;
  int year = 0;
  std::optional<DispositionRow> pending;
};

struct DuePage {
  std::int64_t total = 0;
  std::vector<DueRecord> records;
};

// All SQL of retention: the due list, dispositions and legal holds. Functions throw Poco
// exceptions on database failure, as the other repositories do.
class RetentionRepository {
 public:
  static DuePage due(ReadSession& rs, const DueFilter& filter);

  // Records a new proposal and returns its id.
  static std::int64_t insertDisposition(Transaction& tx, const DispositionRow& row);
  // Records the decision on a proposal (the caller has seen it is still `proposed`).
  static void decideDisposition(Transaction& tx, std::int64_t id, const std::string& state,
                                const std::string& by, const std::string& at,
                                const std::string& note);
  static std::optional<DispositionRow> disposition(Transaction& tx, std::int64_t id);
  static std::optional<DispositionRow> disposition(ReadSession& rs, std::int64_t id);
  // The proposal waiting on a document, if any.
  static std::optional<DispositionRow> pendingDisposition(Transaction& tx, std::int64_t documentId);
  // Proposals newest first, of documents in `units` (nullopt: all), in `state` when given.
  static std::vector<DispositionRow> dispositions(
      ReadSession& rs, const std::optional<std::vector<std::string>>& units,
      const std::optional<std::string>& state, std::int64_t limit, std::int64_t offset,
      std::int64_t& total);

  static std::int64_t insertHold(Transaction& tx, const LegalHoldRow& row);
  // Releases a hold (the caller has seen it is in force).
  static void releaseHold(Transaction& tx, std::int64_t id, const std::string& by,
                          const std::string& at, const std::string& reason);
  static std::optional<LegalHoldRow> hold(Transaction& tx, std::int64_t id);
  // Holds newest first; only those in force when `activeOnly`.
  static std::vector<LegalHoldRow> holds(ReadSession& rs, bool activeOnly, std::int64_t limit,
                                         std::int64_t offset, std::int64_t& total);
  // The holds in force that cover a document of `unit`, `category` and `year`.
  static std::vector<LegalHoldRow> holdsCovering(Transaction& tx, std::int64_t documentId,
                                                 const std::string& unit,
                                                 const std::string& category, int year);

  // The blobs of a document's files that no document but disposed ones refers to: what disposing
  // of it may delete. Sorted.
  static std::vector<std::string> blobsOnlyDisposedUse(Transaction& tx, std::int64_t documentId);
  // The blobs of the renditions that audit entries about (`objectType`, original's SHA-256)
  // record for the blobs `originals`, leaving out any that a file of a document other than
  // `documentId` and not disposed of is: what goes with those originals. Sorted, each once.
  static std::vector<std::string> renditionsOf(Transaction& tx, const std::string& objectType,
                                               const std::vector<std::string>& originals,
                                               std::int64_t documentId);
  // Forgets the extracted texts of deleted blobs, so no search rebuild finds them again.
  static void forgetTexts(Transaction& tx, const std::vector<std::string>& blobs);
};

}  // namespace gongkai::server::store
