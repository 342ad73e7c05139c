#pragma once

#include <cstdint>
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
  // before the entries are linked in order.
  struct Prepared {
    std::optional<AuditEntry> entry;  // nullopt when the bytes are not a canonical entry
    std::string problem;              // why, when they are not
    Digest hash{};                    // entry hash of the bytes
  };
  static Prepared prepare(std::string_view bytes);
  // add() for an entry already prepared from its bytes.
  bool addPrepared(std::int64_t rowSeq, Prepared prepared,
                   std::optional<std::string_view> storedHash = std::nullopt);

  // `rowSeq` is the sequence number the store keeps beside the bytes (or the position in a file),
  // `storedHash` the hash a store keeps, if any; both are checked against the bytes themselves.
  // Returns false once a fault is found.
  bool add(std::int64_t rowSeq, std::string_view bytes,
           std::optional<std::string_view> storedHash = std::nullopt);

  const std::optional<ChainFault>& fault() const { return fault_; }
  std::int64_t verifiedCount() const { return count_; }
  // Entry hash (hex) of the last entry that verified; "" before the first.
  std::string lastHash() const { return count_ == 0 ? std::string() : toHex(lastHash_); }
  // The entry most recently added (parsed), valid while add() returned true for it.
  const AuditEntry& lastEntry() const { return lastEntry_; }

 private:
  std::optional<ChainFault> fault_;
  std::int64_t count_ = 0;
  Digest lastHash_{};
  TimePoint lastTime_{};
  AuditEntry lastEntry_;
};

}  // namespace gongkai::core
