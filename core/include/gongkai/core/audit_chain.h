#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/sha256.h"

namespace gongkai::core {

// The first way a stored entry fails to fit the chain.
struct ChainFault {
  std::int64_t seq = 0;  // the sequence number where the fault was found
  std::string kind;      // stable: "corrupt_entry", "sequence_gap", "seq_mismatch",
                         // "broken_link", "hash_mismatch", "time_regression"
  std::string message;   // for people, Chinese first
};

// Checks stored entries one by one, in order, against the hash chain: each entry's bytes must be
// canonical, its seq the next number, its prev_hash the hash of the entry before, and its stored
// hash the hash of its bytes. Stops recording at the first fault; not thread-safe.
class AuditChainVerifier {
 public:
  // What can be worked out from one entry's bytes alone, so it can be done on several threads
  // before the entries are linked in order. The entry is seen in the bytes, which must outlive
  // it (or, when a string of it holds an escape, in `owned`).
  struct Prepared {
    std::optional<AuditEntryView> entry;  // nullopt when the bytes are not a canonical entry
    std::unique_ptr<AuditEntry> owned;    // the decoded entry, when `entry` cannot be a view
    std::string problem;                  // why, when they are not
    Digest hash{};                        // entry hash of the bytes
    std::optional<Digest> prev;           // prev_hash read as a digest, if it is one in hex
    bool stored_hash_matches = true;      // the stored hash, if given, is that of the bytes
  };
  // Fills `out` (a default Prepared) from the bytes and the hash a store keeps, if any.
  static void prepare(std::string_view bytes, std::optional<std::string_view> storedHash,
                      Prepared& out);
  // add() for an entry already prepared; its checks, their order and messages are add()'s.
  bool addPrepared(std::int64_t rowSeq, const Prepared& prepared);

  // `rowSeq` is the sequence number the store keeps beside the bytes (or the position in a file),
  // `storedHash` the hash a store keeps, if any; both are checked against the bytes themselves.
  // Returns false once a fault is found.
  bool add(std::int64_t rowSeq, std::string_view bytes,
           std::optional<std::string_view> storedHash = std::nullopt);

  const std::optional<ChainFault>& fault() const { return fault_; }
  std::int64_t verifiedCount() const { return count_; }
  // Entry hash (hex) of the last entry that verified; "" before the first.
  std::string lastHash() const { return count_ == 0 ? std::string() : toHex(lastHash_); }

 private:
  std::optional<ChainFault> fault_;
  std::int64_t count_ = 0;
  Digest lastHash_{};
  TimePoint lastTime_{};
};

}  // namespace gongkai::core
