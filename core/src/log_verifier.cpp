#include "gongkai/core/log_verifier.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "gongkai/core/checkpoint.h"

namespace gongkai::core {

LogVerifier::LogVerifier(std::vector<note::VerifierKey> keys, std::string origin)
    : keys_(std::move(keys)), origin_(std::move(origin)) {}

bool LogVerifier::fail(std::int64_t seq, std::string kind, std::string message) {
  if (!fault_) fault_ = ChainFault{seq, std::move(kind), std::move(message)};
  return false;
}

bool LogVerifier::addCheckpoint(std::string_view signedNote, const std::string& source) {
  if (fault_) return false;
  auto parsed = note::parseNote(signedNote);
  if (!parsed.ok()) {
    return fail(0, "checkpoint_malformed", source + ": " + parsed.error().message);
  }
  auto checkpoint = parseCheckpoint(parsed.value().text);
  if (!checkpoint.ok()) {
    return fail(0, "checkpoint_malformed", source + ": " + checkpoint.error().message);
  }
  const std::int64_t size = static_cast<std::int64_t>(checkpoint.value().size);
  switch (note::verifyNote(parsed.value(), keys_)) {
    case note::Verdict::kVerified:
      break;
    case note::Verdict::kNoKnownKey:
      return fail(
          size, "checkpoint_unknown_key",
          source + ": 检查点没有受信任密钥的签名 (checkpoint is not signed by a trusted key)");
    case note::Verdict::kBadSignature:
      return fail(size, "checkpoint_bad_signature",
                  source + ": 检查点签名无效 (checkpoint signature does not verify)");
  }
  if (!origin_.empty() && checkpoint.value().origin != origin_) {
    return fail(size, "checkpoint_origin_mismatch",
                source + ": 检查点来源为 " + checkpoint.value().origin + "，应为 " + origin_ +
                    " (checkpoint is for another log)");
  }
  pending_.emplace(checkpoint.value().size, Pending{checkpoint.value().root, source});
  return checkRootsAtCurrentSize();
}

bool LogVerifier::addEntry(std::int64_t rowSeq, std::string_view bytes,
                           std::optional<std::string_view> storedHash,
                           const std::optional<merkle::Hash>& storedLeaf) {
  if (fault_) return false;
  AuditChainVerifier::Prepared prepared;
  AuditChainVerifier::prepare(bytes, storedHash, prepared);
  if (!chain_.addPrepared(rowSeq, prepared)) {
    fault_ = chain_.fault();
    return false;
  }
  const merkle::Hash leaf = merkle::leafHash(bytes);
  if (storedLeaf && *storedLeaf != leaf) {
    return fail(rowSeq, "leaf_mismatch",
                "默克尔树叶子与记录不符 (the stored Merkle leaf does not match the entry)");
  }
  tree_.append(leaf);
  return checkRootsAtCurrentSize();
}

namespace {

// The complete subtrees of a batch of leaves at tree positions [begin, end): for each level, the
// roots of the aligned blocks of 2^level positions lying wholly inside it (level 0: the leaves).
// Hashing them needs no order, so it runs on all cores with the rest of a batch's hashing; the
// ordered phase then adds a few subtrees per batch instead of hashing every inner node itself.
class BatchSubtrees {
 public:
  BatchSubtrees(std::uint64_t begin, std::uint64_t end) {
    for (int level = 0;; ++level) {
      const std::uint64_t first = firstBlock(begin, level), last = end >> level;
      if (last <= first) break;  // no block of this size fits, nor any larger one
      firsts_.push_back(first);
      levels_.emplace_back(last - first);
    }
  }

  int levels() const { return static_cast<int>(levels_.size()); }
  merkle::Hash& at(int level, std::uint64_t block) {
    return levels_[level][block - firsts_[level]];
  }

  // Hashes the blocks of levels minLevel..maxLevel that lie inside [from, to), a part of the
  // batch whose blocks of the level below are already hashed.
  void hashInner(std::uint64_t from, std::uint64_t to, int minLevel, int maxLevel) {
    for (int level = minLevel; level <= maxLevel && level < levels(); ++level) {
      for (std::uint64_t k = firstBlock(from, level); k < (to >> level); ++k) {
        at(level, k) = merkle::nodeHash(at(level - 1, 2 * k), at(level - 1, 2 * k + 1));
      }
    }
  }

  // Adds the leaves at positions [tree.size(), to) to `tree`, the largest blocks first.
  void appendTo(merkle::TreeBuilder& tree, std::uint64_t to) {
    while (tree.size() < to) {
      const std::uint64_t size = tree.size();
      int level = 0;
      while (level + 1 < levels() && size % (std::uint64_t{2} << level) == 0 &&
             size + (std::uint64_t{2} << level) <= to) {
        ++level;
      }
      tree.appendSubtree(at(level, size >> level), level);
    }
  }

 private:
  static std::uint64_t firstBlock(std::uint64_t position, int level) {
    return (position + (std::uint64_t{1} << level) - 1) >> level;
  }

  std::vector<std::uint64_t> firsts_;
  std::vector<std::vector<merkle::Hash>> levels_;
};

}  // namespace

void LogVerifier::Batch::reserve(std::size_t entries, std::size_t bytesHint) {
  slots_.reserve(entries);
  text_.reserve(bytesHint);
}

void LogVerifier::Batch::clear() {
  slots_.clear();
  text_.clear();
}

void LogVerifier::Batch::add(std::int64_t rowSeq, std::string_view bytes,
                             std::optional<std::string_view> storedHash,
                             const std::optional<merkle::Hash>& storedLeaf) {
  Slot slot{rowSeq, text_.size(), bytes.size(), std::string::npos, 0, storedLeaf};
  text_.append(bytes);
  if (storedHash) {
    slot.hash_at = text_.size();
    slot.hash_size = storedHash->size();
    text_.append(*storedHash);
  }
  slots_.push_back(slot);
}

bool LogVerifier::addEntries(const std::vector<Input>& batch, const OnEntry& onEntry) {
  return addViews(
      batch.size(),
      [&](std::size_t i) {
        const Input& input = batch[i];
        return View{
            input.row_seq, input.bytes,
            input.stored_hash ? std::optional<std::string_view>(*input.stored_hash) : std::nullopt,
            &input.stored_leaf};
      },
      onEntry);
}

bool LogVerifier::addEntries(const Batch& batch, const OnEntry& onEntry) {
  const std::string_view text = batch.text_;
  return addViews(
      batch.size(),
      [&](std::size_t i) {
        const Batch::Slot& slot = batch.slots_[i];
        return View{slot.row_seq, text.substr(slot.bytes_at, slot.bytes_size),
                    slot.hash_at == std::string::npos ? std::nullopt
                                                      : std::optional<std::string_view>(text.substr(
                                                            slot.hash_at, slot.hash_size)),
                    &slot.stored_leaf};
      },
      onEntry);
}

bool LogVerifier::addViews(std::size_t count, const std::function<View(std::size_t)>& at,
                           const OnEntry& onEntry) {
  if (fault_) return false;
  if (count == 0) return true;
  const std::uint64_t begin = tree_.size(), end = begin + count;
  prepared_.clear();
  prepared_.resize(count);
  leafMatches_.assign(count, 0);
  BatchSubtrees subtrees(begin, end);
  // Every thread takes units of work from a shared counter until the batch is done. A unit is
  // an aligned block of kUnitLevel tree positions, so the subtrees up to that level inside it
  // are hashed by the thread that hashed their leaves.
  constexpr int kUnitLevel = 8;
  constexpr std::uint64_t kUnit = std::uint64_t{1} << kUnitLevel;
  const std::uint64_t firstUnit = begin / kUnit, units = (end - 1) / kUnit - firstUnit + 1;
  std::atomic<std::uint64_t> nextUnit{0};
  auto work = [&] {
    for (std::uint64_t unit; (unit = nextUnit.fetch_add(1)) < units;) {
      const std::uint64_t from = std::max(begin, (firstUnit + unit) * kUnit);
      const std::uint64_t to = std::min(end, (firstUnit + unit + 1) * kUnit);
      for (std::uint64_t position = from; position < to; ++position) {
        const std::size_t i = position - begin;
        const View input = at(i);
        AuditChainVerifier::prepare(input.bytes, input.stored_hash, prepared_[i]);
        const merkle::Hash& leaf = subtrees.at(0, position) = merkle::leafHash(input.bytes);
        leafMatches_[i] = !*input.stored_leaf || **input.stored_leaf == leaf;
      }
      subtrees.hashInner(from, to, 1, kUnitLevel);
    }
  };
  const std::size_t helpers =
      count < 4 * kUnit ? 0 : std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 8) - 1;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < helpers; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  subtrees.hashInner(begin, end, kUnitLevel + 1, subtrees.levels() - 1);

  // The sizes inside this batch at which a registered checkpoint's root is checked.
  std::vector<std::uint64_t> stops;
  for (auto it = pending_.upper_bound(begin); it != pending_.end() && it->first <= end;
       it = pending_.upper_bound(it->first)) {
    stops.push_back(it->first);
  }
  auto nextStop = stops.begin();
  // In order: the links, the stored leaves, and the roots at checkpoint sizes, as link() would
  // check them entry by entry; the tree always holds exactly the entries that verified.
  for (std::size_t i = 0; i < count; ++i) {
    const View input = at(i);
    if (!chain_.addPrepared(input.row_seq, prepared_[i])) {
      subtrees.appendTo(tree_, begin + i);
      fault_ = chain_.fault();
      return false;
    }
    if (!leafMatches_[i]) {
      subtrees.appendTo(tree_, begin + i);
      return fail(input.row_seq, "leaf_mismatch",
                  "默克尔树叶子与记录不符 (the stored Merkle leaf does not match the entry)");
    }
    if (nextStop != stops.end() && *nextStop == begin + i + 1) {
      subtrees.appendTo(tree_, begin + i + 1);
      ++nextStop;
      if (!checkRootsAtCurrentSize()) return false;
    }
    if (onEntry) onEntry(*prepared_[i].entry);
  }
  subtrees.appendTo(tree_, end);
  return true;
}

bool LogVerifier::checkRootsAtCurrentSize() {
  const std::uint64_t size = tree_.size();
  auto [begin, end] = pending_.equal_range(size);
  if (begin == end) return true;
  const merkle::Hash root = tree_.root();
  for (auto it = begin; it != end; ++it) {
    if (it->second.root != root) {
      const std::string from = lastMatched_ ? std::to_string(*lastMatched_ + 1) : "1";
      return fail(static_cast<std::int64_t>(size), "root_mismatch",
                  it->second.source + ": 前 " + std::to_string(size) +
                      " 条记录的默克尔根与签名检查点不符，改动位于第 " + from + "–" +
                      std::to_string(size) + " 条之间 (the root of the first " +
                      std::to_string(size) + " entries differs from the signed checkpoint; " +
                      "entries " + from + ".." + std::to_string(size) + " were rewritten)");
    }
    ++checkpointsVerified_;
  }
  lastMatched_ = static_cast<std::int64_t>(size);
  pending_.erase(begin, end);
  return true;
}

bool LogVerifier::finish() {
  if (fault_) return false;
  if (!pending_.empty()) {
    const auto& [size, pending] = *pending_.begin();
    return fail(entries() + 1, "truncated",
                pending.source + ": 日志只有 " + std::to_string(entries()) +
                    " 条记录，但检查点签署了 " + std::to_string(size) + " 条 (the log ends at " +
                    std::to_string(entries()) + " entries but a signed checkpoint covers " +
                    std::to_string(size) + "; entries were removed from the end)");
  }
  return true;
}

}  // namespace gongkai::core
