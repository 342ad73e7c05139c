#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/audit_chain.h"
#include "gongkai/core/result.h"

namespace gongkai::server::admin {

// A stored document version, file or row that does not match what the audit log says of it.
struct StateFault {
  std::string kind;  // stable: "record_hash_mismatch", "unaudited_version", "version_missing",
                     // "corrupt_record", "projection_mismatch", "file_row_mismatch",
                     // "blob_missing", "blob_mismatch"
  std::string object;   // e.g. "document/7 v2"
  std::string message;  // for people, Chinese first
};

struct VerifyReport {
  std::int64_t entries = 0;             // audit entries that verified
  std::int64_t versions = 0;            // document versions checked
  std::int64_t files = 0;               // file references checked
  std::string head_hash;                // hash of the last verified entry
  std::optional<core::ChainFault> chain_fault;
  std::vector<StateFault> state_faults; // at most kMaxStateFaults
  bool ok() const { return !chain_fault && state_faults.empty(); }
};

struct VerifyOptions {
  bool hash_blobs = false;  // re-hash every file's contents, not only check presence and size
};

inline constexpr std::size_t kMaxStateFaults = 50;

// Verifies a data folder offline: the audit hash chain from the first entry to the last, then
// the state: every stored version's record hashes to what the audit entry that made it says,
// every audited version exists, the documents table agrees with the current records, and every
// file's blob is present (and, if asked, has the recorded SHA-256). Fails only when the folder
// cannot be read at all; faults are reported in the VerifyReport.
core::Result<VerifyReport> verifyDataDir(const std::string& dataDir, const VerifyOptions& options);

}  // namespace gongkai::server::admin
