#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/audit_chain.h"
#include "gongkai/core/merkle.h"
#include "gongkai/core/signed_note.h"

namespace gongkai::core {

// Verifies an audit log read in order from anywhere (a data folder, a server, an export file):
// every entry's bytes and chain link, the Merkle tree over them, and every signed checkpoint
// registered beforehand: its signature by a trusted key, and the root the entries give at its
// size. A checkpoint larger than the log means the log was cut short. Stops at the first fault.
//
// Fault kinds beyond AuditChainVerifier's: "checkpoint_malformed", "checkpoint_unknown_key",
// "checkpoint_bad_signature", "checkpoint_origin_mismatch", "root_mismatch", "truncated",
// "leaf_mismatch".
class LogVerifier {
 public:
  // `origin`, when not empty, is the origin every checkpoint must name.
  LogVerifier(std::vector<note::VerifierKey> keys, std::string origin);

  // Registers a signed checkpoint (a C2SP note) before the entries are added and checks its
  // signature. `source` says where it came from, for messages. False on a fault.
  bool addCheckpoint(std::string_view signedNote, const std::string& source);

  // The next entry. `storedHash` is the hash a store keeps beside the bytes (checked when
  // given); `storedLeaf` the leaf hash it keeps in its tree (likewise).
  bool addEntry(std::int64_t rowSeq, std::string_view bytes,
                std::optional<std::string_view> storedHash = std::nullopt,
                const std::optional<merkle::Hash>& storedLeaf = std::nullopt);

  // One entry of a batch, as a store or a file yields it.
  struct Input {
    std::int64_t row_seq = 0;
    std::string bytes;
    std::optional<std::string> stored_hash;
    std::optional<merkle::Hash> stored_leaf;
  };
  // Entries as a store reads them in bulk: the bytes and stored hashes of the whole batch in one
  // buffer (one allocation per batch instead of one or two per entry).
  class Batch {
   public:
    // `bytesHint`: about how many bytes of entries and hashes the batch will hold.
    void reserve(std::size_t entries, std::size_t bytesHint);
    void add(std::int64_t rowSeq, std::string_view bytes,
             std::optional<std::string_view> storedHash,
             const std::optional<merkle::Hash>& storedLeaf);
    // Empties the batch but keeps its memory, to be filled again.
    void clear();
    std::size_t size() const { return slots_.size(); }
    bool empty() const { return slots_.empty(); }

   private:
    friend class LogVerifier;
    struct Slot {
      std::int64_t row_seq;
      std::size_t bytes_at, bytes_size;
      std::size_t hash_at, hash_size;  // hash_at == npos: no stored hash
      std::optional<merkle::Hash> stored_leaf;
    };
    std::string text_;
    std::vector<Slot> slots_;
  };

  // addEntry() for many entries at once: parsing (in place, no copy), hashing, the stored hashes'
  // and leaves' comparisons and the tree's inner nodes within the batch, which need no order, run
  // on all cores; linking, the faults in addEntry()'s order and the tree's growth follow in
  // order. `onEntry` sees each entry that verified (the view is valid during the call only).
  using OnEntry = std::function<void(const AuditEntryView&)>;
  bool addEntries(const std::vector<Input>& batch, const OnEntry& onEntry = {});
  bool addEntries(const Batch& batch, const OnEntry& onEntry = {});

  // After the last entry: faults if a checkpoint covers more entries than were read.
  bool finish();

  const std::optional<ChainFault>& fault() const { return fault_; }
  std::int64_t entries() const { return static_cast<std::int64_t>(tree_.size()); }
  merkle::Hash root() const { return tree_.root(); }
  // Hash (hex) of the last entry that verified: the chain's head.
  std::string headHash() const { return chain_.lastHash(); }
  std::int64_t checkpointsVerified() const { return checkpointsVerified_; }
  // The largest checkpoint checked against the entries, if any.
  std::optional<std::int64_t> lastCheckpointSize() const { return lastMatched_; }

 private:
  struct Pending {
    merkle::Hash root;
    std::string source;
  };
  bool fail(std::int64_t seq, std::string kind, std::string message);
  bool checkRootsAtCurrentSize();
  // One entry of a batch, whichever form the batch takes.
  struct View {
    std::int64_t row_seq;
    std::string_view bytes;
    std::optional<std::string_view> stored_hash;
    const std::optional<merkle::Hash>* stored_leaf;
  };
  bool addViews(std::size_t count, const std::function<View(std::size_t)>& at,
                const OnEntry& onEntry);

  std::vector<note::VerifierKey> keys_;
  std::string origin_;
  AuditChainVerifier chain_;
  merkle::TreeBuilder tree_;
  std::multimap<std::uint64_t, Pending> pending_;
  std::optional<ChainFault> fault_;
  std::int64_t checkpointsVerified_ = 0;
  std::optional<std::int64_t> lastMatched_;
  // Kept from batch to batch, so a batch does not allocate (and fault in) them afresh.
  std::vector<AuditChainVerifier::Prepared> prepared_;
  std::vector<char> leafMatches_;
};

}  // namespace gongkai::core
