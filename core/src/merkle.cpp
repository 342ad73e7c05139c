#include "gongkai/core/merkle.h"

#include <bit>
#include <cstring>
#include <stdexcept>

namespace gongkai::core::merkle {
namespace {

Error invalid(std::string message) {
  return Error::make(ErrorCode::kInvalidArgument, "invalid_proof", std::move(message));
}

// Largest power of two strictly smaller than n (n >= 2).
std::uint64_t splitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

bool isCompleteAligned(std::uint64_t begin, std::uint64_t count) {
  return std::has_single_bit(count) && begin % count == 0;
}

NodeId completeNode(std::uint64_t begin, std::uint64_t count) {
  const int level = std::countr_zero(count);
  return NodeId{level, begin >> level};
}

// MTH(D[begin:end]) for begin aligned to the largest power of two below the range, which holds
// for every range the RFC recursion visits.
Hash subtreeRoot(std::uint64_t begin, std::uint64_t end, const NodeSource& source) {
  const std::uint64_t count = end - begin;
  if (isCompleteAligned(begin, count)) return source(completeNode(begin, count));
  const std::uint64_t k = splitPoint(count);
  return nodeHash(subtreeRoot(begin, begin + k, source), subtreeRoot(begin + k, end, source));
}

// PATH(m, D[begin:end]), appending bottom-up as the RFC orders it.
void path(std::uint64_t m, std::uint64_t begin, std::uint64_t end, const NodeSource& source,
          std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (n <= 1) return;
  const std::uint64_t k = splitPoint(n);
  if (m < k) {
    path(m, begin, begin + k, source, out);
    out.push_back(subtreeRoot(begin + k, end, source));
  } else {
    path(m - k, begin + k, end, source, out);
    out.push_back(subtreeRoot(begin, begin + k, source));
  }
}

// SUBPROOF(m, D[begin:end], b).
void subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool b,
              const NodeSource& source, std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!b) out.push_back(subtreeRoot(begin, end, source));
    return;
  }
  const std::uint64_t k = splitPoint(n);
  if (m <= k) {
    subproof(m, begin, begin + k, b, source, out);
    out.push_back(subtreeRoot(begin + k, end, source));
  } else {
    subproof(m - k, begin + k, end, false, source, out);
    out.push_back(subtreeRoot(begin, begin + k, source));
  }
}

template <typename Run>
std::vector<NodeId> recordNodes(Run run) {
  std::vector<NodeId> ids;
  run([&](const NodeId& id) {
    ids.push_back(id);
    return Hash{};
  });
  return ids;
}

}  // namespace

Hash leafHash(std::string_view entryBytes) {
  static constexpr char kLeafPrefix = 0x00;
  return sha256Of({std::string_view(&kLeafPrefix, 1), entryBytes});
}

Hash nodeHash(const Hash& left, const Hash& right) {
  static constexpr char kNodePrefix = 0x01;
  return sha256Of({std::string_view(&kNodePrefix, 1), digestBytes(left), digestBytes(right)});
}

Hash emptyRoot() { return sha256(""); }

std::vector<Node> TreeBuilder::add(const Hash& leaf) {
  std::vector<Node> completed;
  completed.push_back(Node{NodeId{0, size_}, leaf});
  Hash carry = leaf;
  int level = 0;
  // Each set low bit of the old size is a left sibling waiting for this subtree.
  while ((size_ >> level) & 1) {
    carry = nodeHash(levels_[level], carry);
    ++level;
    completed.push_back(Node{NodeId{level, size_ >> level}, carry});
  }
  if (levels_.size() <= static_cast<std::size_t>(level)) levels_.resize(level + 1);
  levels_[level] = carry;
  ++size_;
  return completed;
}

void TreeBuilder::append(const Hash& leaf) {
  Hash carry = leaf;
  int level = 0;
  while ((size_ >> level) & 1) {
    carry = nodeHash(levels_[level], carry);
    ++level;
  }
  if (levels_.size() <= static_cast<std::size_t>(level)) levels_.resize(level + 1);
  levels_[level] = carry;
  ++size_;
}

void TreeBuilder::appendSubtree(const Hash& root, int level) {
  if (size_ & ((std::uint64_t{1} << level) - 1)) {
    throw std::logic_error("appendSubtree: the tree's size is not a multiple of the subtree's");
  }
  // The bits below `level` are clear, so the subtree carries into the levels at and above it
  // exactly as its leaves would one by one.
  Hash carry = root;
  int at = level;
  while ((size_ >> at) & 1) {
    carry = nodeHash(levels_[at], carry);
    ++at;
  }
  if (levels_.size() <= static_cast<std::size_t>(at)) levels_.resize(at + 1);
  levels_[at] = carry;
  size_ += std::uint64_t{1} << level;
}

Hash TreeBuilder::root() const {
  if (size_ == 0) return emptyRoot();
  bool have = false;
  Hash root{};
  for (std::size_t level = 0; level < levels_.size(); ++level) {
    if (!((size_ >> level) & 1)) continue;
    root = have ? nodeHash(levels_[level], root) : levels_[level];
    have = true;
  }
  return root;
}

Result<TreeBuilder> TreeBuilder::resume(std::uint64_t size, const std::vector<Hash>& frontier) {
  const std::vector<NodeId> ids = frontierNodes(size);
  if (ids.size() != frontier.size()) {
    return invalid("frontier has " + std::to_string(frontier.size()) + " hashes, size " +
                   std::to_string(size) + " needs " + std::to_string(ids.size()));
  }
  TreeBuilder builder;
  builder.size_ = size;
  builder.levels_.resize(64 - std::countl_zero(size));
  for (std::size_t i = 0; i < ids.size(); ++i) builder.levels_[ids[i].level] = frontier[i];
  return builder;
}

std::vector<NodeId> frontierNodes(std::uint64_t size) {
  std::vector<NodeId> ids;
  std::uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t count = std::uint64_t{1} << level;
    if (size & count) {
      ids.push_back(NodeId{level, begin >> level});
      begin += count;
    }
  }
  return ids;
}

Hash rootAt(std::uint64_t size, const NodeSource& source) {
  if (size == 0) return emptyRoot();
  return subtreeRoot(0, size, source);
}

std::vector<Hash> inclusionProof(std::uint64_t index, std::uint64_t size,
                                 const NodeSource& source) {
  std::vector<Hash> out;
  if (index < size) path(index, 0, size, source, out);
  return out;
}

std::vector<Hash> consistencyProof(std::uint64_t size1, std::uint64_t size2,
                                   const NodeSource& source) {
  std::vector<Hash> out;
  if (size1 > 0 && size1 < size2) subproof(size1, 0, size2, true, source, out);
  return out;
}

std::vector<NodeId> nodesForInclusion(std::uint64_t index, std::uint64_t size) {
  return recordNodes([&](const NodeSource& s) { inclusionProof(index, size, s); });
}

std::vector<NodeId> nodesForConsistency(std::uint64_t size1, std::uint64_t size2) {
  return recordNodes([&](const NodeSource& s) { consistencyProof(size1, size2, s); });
}

std::vector<NodeId> nodesForRoot(std::uint64_t size) {
  return recordNodes([&](const NodeSource& s) { rootAt(size, s); });
}

Status verifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                       const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) return invalid("leaf index beyond the tree size");
  std::uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return invalid("inclusion proof too long");
    if ((fn & 1) || fn == sn) {
      r = nodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return invalid("inclusion proof too short");
  if (r != root) return invalid("inclusion proof does not lead to the root");
  return okStatus();
}

Status verifyConsistency(std::uint64_t size1, std::uint64_t size2, const std::vector<Hash>& proof,
                         const Hash& root1, const Hash& root2) {
  if (size1 == 0) return invalid("no consistency proof from an empty tree");
  if (size1 > size2) return invalid("first size larger than the second");
  if (size1 == size2) {
    if (!proof.empty()) return invalid("proof between equal sizes must be empty");
    if (root1 != root2) return invalid("roots of equal sizes differ");
    return okStatus();
  }
  if (proof.empty()) return invalid("consistency proof is empty");
  std::vector<Hash> path;
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = size1 - 1, sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return invalid("consistency proof too long");
    if ((fn & 1) || fn == sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return invalid("consistency proof too short");
  if (fr != root1) return invalid("consistency proof does not lead to the first root");
  if (sr != root2) return invalid("consistency proof does not lead to the second root");
  return okStatus();
}

Result<Hash> hashFromBytes(std::string_view bytes) {
  if (bytes.size() != sizeof(Hash)) {
    return invalid("a hash is 32 bytes, got " + std::to_string(bytes.size()));
  }
  Hash hash{};
  std::memcpy(hash.data(), bytes.data(), hash.size());
  return hash;
}

}  // namespace gongkai::core::merkle
