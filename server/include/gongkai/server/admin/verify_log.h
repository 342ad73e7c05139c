#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/audit_chain.h"
#include "gongkai/core/result.h"
#include "gongkai/core/signed_note.h"

namespace gongkai::server::admin {

// A stored document version, file or row that does not match what the audit log says of it.
struct StateFault {
  std::string kind;     // stable: "record_hash_mismatch", "unaudited_version", "version_missing",
                        // "corrupt_record", "projection_mismatch", "file_row_mismatch",
                        // "blob_missing", "blob_mismatch"
  std::string object;   // e.g. "document/7 v2"
  std::string message;  // for people, Chinese first
};

struct VerifyReport {
  std::int64_t entries = 0;                 // audit entries that verified
  std::string root_hash;                    // hex Merkle root over the verified entries
  std::int64_t checkpoints = 0;             // signed checkpoints checked against the entries
  std::optional<std::int64_t> signed_size;  // the largest of them
  bool keys_from_data = false;              // the trusted keys came from what is being verified
  std::int64_t versions = 0;                // document versions checked
  // Versions of other audited records checked, by object type (catalogue_item, feedback,
  // disclosure_request).
  std::map<std::string, std::int64_t> record_versions;
  std::int64_t files = 0;  // file references checked
  // Blobs deleted on purpose: named by an audited disposal (tombstone), so their absence is no
  // fault.
  std::int64_t disposed_blobs = 0;
  std::string head_hash;  // hash of the last verified entry
  // The first entry that does not fit: chain, Merkle tree or a signed checkpoint.
  std::optional<core::ChainFault> chain_fault;
  std::vector<StateFault> state_faults;  // at most kMaxStateFaults
  bool ok() const { return !chain_fault && state_faults.empty(); }
};

struct VerifyOptions {
  bool hash_blobs = false;  // re-hash every file's contents, not only check presence and size
  // Trusted checkpoint keys. Empty: for a data folder, the keys listed beside its signing key.
  std::vector<core::note::VerifierKey> keys;
  // Checkpoints saved earlier (signed notes) that the log must still agree with.
  std::vector<std::string> since;
  // For --url: a bearer token of an account with audit.read (an inspector's or committee's).
  std::string token;
  // For a data folder: where its store's records are (as StoreOptions::url); empty for the
  // folder's own store.db.
  std::string store_url;
};

inline constexpr std::size_t kMaxStateFaults = 50;

// Verifies a data folder offline: the audit hash chain from the first entry to the last, then
// the state: every stored version's record hashes to what the audit entry that made it says,
// every audited version exists, the documents table agrees with the current records, and every
// file's blob is present (and, if asked, has the recorded SHA-256). Fails only when the folder
// cannot be read at all; faults are reported in the VerifyReport.
//
// On top of the chain: every leaf of the stored Merkle tree matches its entry, the stored tree
// gives the recomputed root, and every stored checkpoint and every `since` checkpoint is signed by
// a trusted key and agrees with the entries.
core::Result<VerifyReport> verifyDataDir(const std::string& dataDir, const VerifyOptions& options);

// Verifies an export file (core/audit_export.h) with nothing but the file and trusted keys:
// every entry and chain link, the root against the file's signed checkpoint, which must cover
// exactly the entries in the file, and against every `since` checkpoint. No state checks.
core::Result<VerifyReport> verifyExport(std::istream& in, const VerifyOptions& options);

// Verifies a running server's log over HTTP (base URL such as http://127.0.0.1:8080): fetches
// its latest checkpoint and every entry it covers, and checks them as verifyExport does; with a
// `since` checkpoint also checks the server's consistency proof from it. Trusted keys must be
// given (`options.keys`), or the server's own are used and the report says so.
core::Result<VerifyReport> verifyServer(const std::string& baseUrl, const VerifyOptions& options);

}  // namespace gongkai::server::admin
