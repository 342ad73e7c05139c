#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/core/sha256.h"

// The Merkle tree of RFC 6962 / RFC 9162 §2.1 over the audit log: leaf i is audit entry seq i+1.
namespace gongkai::core::merkle {

using Hash = Digest;

Hash leafHash(std::string_view entryBytes);          // SHA-256(0x00 || entry bytes)
Hash nodeHash(const Hash& left, const Hash& right);  // SHA-256(0x01 || left || right)
Hash emptyRoot();                                    // SHA-256("")

// The root of a complete subtree: 2^level leaves starting at leaf index << level. These are the
// nodes the store keeps; every root and proof is built from at most O(log n) of them.
struct NodeId {
  int level = 0;
  std::uint64_t index = 0;
  bool operator==(const NodeId&) const = default;
  auto operator<=>(const NodeId&) const = default;
};

struct Node {
  NodeId id;
  Hash hash;
};

// Adds leaves one by one, keeping only the roots of the complete subtrees along the right edge
// (one per set bit of the size), so memory is O(log n) and an append O(1) amortised.
class TreeBuilder {
 public:
  // Appends a leaf; returns the complete subtrees it completed, the leaf itself first.
  std::vector<Node> add(const Hash& leaf);
  // The same without reporting the nodes (no allocation): for verifiers.
  void append(const Hash& leaf);
  // Appends the 2^level leaves of a complete subtree whose root is `root`, as append() of each
  // of its leaves in turn would; the size must be a multiple of 2^level. For verifiers that hash
  // the inner nodes of a batch of leaves in parallel.
  void appendSubtree(const Hash& root, int level);
  std::uint64_t size() const { return size_; }
  Hash root() const;

  // Resumes at `size` from the roots of its complete subtrees, largest (leftmost) first, as
  // listed by frontierNodes(size).
  static Result<TreeBuilder> resume(std::uint64_t size, const std::vector<Hash>& frontier);

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> levels_;  // levels_[l] is meaningful when bit l of size_ is set
};

// The complete subtrees whose concatenation is the tree of `size` leaves, largest first.
std::vector<NodeId> frontierNodes(std::uint64_t size);

// Supplies the hash of a complete subtree that exists in the tree being proven.
using NodeSource = std::function<Hash(const NodeId&)>;

// Proof construction as RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (PROOF). They ask `source` only
// for complete subtrees. The nodes asked for depend on the sizes alone, so a caller can first
// collect them with a recording source, fetch them in one go, and then run again.
Hash rootAt(std::uint64_t size, const NodeSource& source);
std::vector<Hash> inclusionProof(std::uint64_t index, std::uint64_t size, const NodeSource& source);
std::vector<Hash> consistencyProof(std::uint64_t size1, std::uint64_t size2,
                                   const NodeSource& source);

// The complete subtrees the proof (or root) functions above will ask for.
std::vector<NodeId> nodesForInclusion(std::uint64_t index, std::uint64_t size);
std::vector<NodeId> nodesForConsistency(std::uint64_t size1, std::uint64_t size2);
std::vector<NodeId> nodesForRoot(std::uint64_t size);

// Proof verification as RFC 9162 §2.1.3.2 and §2.1.4.2. Fail with kInvalidArgument naming why.
Status verifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                       const std::vector<Hash>& proof, const Hash& root);
Status verifyConsistency(std::uint64_t size1, std::uint64_t size2, const std::vector<Hash>& proof,
                         const Hash& root1, const Hash& root2);

// Hashes as raw bytes inside a std::string (e.g. from base64), exactly 32 of them.
Result<Hash> hashFromBytes(std::string_view bytes);

}  // namespace gongkai::core::merkle
