#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/server/store/audit_repository.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// A background job as stored. Progress lives in memory while it runs; the row keeps the state.
struct JobRow {
  std::int64_t id = 0;
  std::string kind;    // "archive.build"
  std::string state;   // queued, running, done, failed, cancelled
  std::string params;  // JSON
  std::string created_by;
  std::string created_at;  // RFC 3339
  std::string updated_at;
  // Progress as of the last state change (the live figures are in memory while it runs).
  std::int64_t items_done = 0, items_total = 0, bytes_done = 0, bytes_total = 0;
  std::string result;  // JSON, "" until done
  std::string error_code;
  std::string error_message;
  std::string owner;          // the server running it ("" when none: any may take it)
  std::int64_t attempts = 1;  // how many servers have started it
};

// Which jobs to list: any of `states` (all when empty), of one creator, with an id below `before`.
struct JobQuery {
  std::vector<std::string> states;
  std::optional<std::string> created_by;
  std::optional<std::int64_t> before;
  std::int64_t limit = 20;
};

// A bundle that was built. Its tar never changes once recorded.
struct ArchiveRow {
  std::int64_t id = 0;
  std::string name;  // the bag's top-level folder
  std::string fonds;
  std::string category;
  int year = 0;
  std::int64_t item_count = 0;
  std::int64_t audit_entry_count = 0;
  std::int64_t size = 0;
  std::string sha256;
  std::string signer_key;  // the verifier key name+id that signed it
  bool sm2_signed = false;
  std::int64_t checkpoint_size = 0;
  std::int64_t job_id = 0;
  std::string created_by;
  std::string created_at;
};

// A receipt (接收回执) of a bundle: its canonical record and the audit entry that made it.
struct ReceiptRow {
  std::int64_t id = 0;
  std::int64_t archive_id = 0;
  std::int64_t number = 0;  // 1, 2, ... per bundle
  std::string decision;     // accepted, accepted_with_remarks, refused
  std::string record;       // canonical JSON
  std::string record_sha256;
  std::int64_t audit_seq = 0;
};

// One 档号 given out, as the reference_codes table keeps it.
struct ReferenceRow {
  std::string code;
  std::int64_t document_id = 0;
  std::string retention;
  int item = 0;
};

// All SQL about jobs, bundles, and what a bundle is read from. Throws Poco exceptions on
// database failure.
class ArchiveRepository {
 public:
  static std::int64_t insertJob(Transaction& tx, const JobRow& job);
  static void updateJob(Transaction& tx, const JobRow& job);
  static std::optional<JobRow> job(ReadSession& rs, std::int64_t id);
  // Newest first, as `query` narrows them.
  static std::vector<JobRow> jobs(ReadSession& rs, const JobQuery& query);
  // How many jobs are in each state.
  static std::map<std::string, std::int64_t> jobCounts(ReadSession& rs);
  // Jobs left queued or running by a server that is gone (no owner, or no "server:<owner>" lease
  // live at `nowMs`) become `owner`'s: queued again, one more attempt counted. Returns them.
  static std::vector<JobRow> adoptOrphanedJobs(Transaction& tx, const std::string& owner,
                                               std::int64_t nowMs, const std::string& now);
  // Leaves a job unfinished and ownerless, for whichever server adopts it next.
  static void handOverJob(Transaction& tx, std::int64_t id, const std::string& now);

  static std::int64_t insertArchive(Transaction& tx, const ArchiveRow& archive);
  static std::optional<ArchiveRow> archive(ReadSession& rs, std::int64_t id);
  // The bundle a job built, if it recorded one.
  static std::optional<ArchiveRow> archiveOfJob(ReadSession& rs, std::int64_t jobId);
  // Newest first, optionally of one category and/or year.
  static std::vector<ArchiveRow> archives(ReadSession& rs,
                                          const std::optional<std::string>& category,
                                          const std::optional<int>& year);

  static std::int64_t insertReceipt(Transaction& tx, const ReceiptRow& receipt);
  // A bundle's receipts, oldest first.
  static std::vector<ReceiptRow> receipts(ReadSession& rs, std::int64_t archiveId);
  static std::vector<ReceiptRow> receipts(Transaction& tx, std::int64_t archiveId);

  // The codes of one fonds, year and category, by retention then item number.
  static std::vector<ReferenceRow> referenceCodes(ReadSession& rs, const std::string& fonds,
                                                  int year, const std::string& category);
  // Every feedback record and application, with when each was received (RFC 3339), by id: a
  // bundle takes in those of its year whose category, as of its checkpoint, is its own.
  static std::vector<std::pair<std::int64_t, std::string>> feedbackReceived(ReadSession& rs);
  static std::vector<std::pair<std::int64_t, std::string>> requestsReceived(ReadSession& rs);
  // Whether any audit entry is about the object (inside a write: to record something once).
  static bool hasAuditEntryAbout(Transaction& tx, const std::string& objectType,
                                 const std::string& objectId);
  // Audit entries about one object with seq <= maxSeq, in order.
  static std::vector<StoredAuditEntry> auditEntriesAbout(ReadSession& rs,
                                                         const std::string& objectType,
                                                         const std::string& objectId,
                                                         std::int64_t maxSeq);
};

}  // namespace gongkai::server::store
