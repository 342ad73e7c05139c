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
  return link(rowSeq, AuditChainVerifier::prepare(bytes), merkle::leafHash(bytes), storedHash,
              storedLeaf);
}

bool LogVerifier::link(std::int64_t rowSeq, AuditChainVerifier::Prepared prepared,
                       const merkle::Hash& leaf, std::optional<std::string_view> storedHash,
                       const std::optional<merkle::Hash>& storedLeaf) {
  if (!chain_.addPrepared(rowSeq, std::move(prepared), storedHash)) {
    fault_ = chain_.fault();
    return false;
  }
  if (storedLeaf && *storedLeaf != leaf) {
    return fail(rowSeq, "leaf_mismatch",
                "默克尔树叶子与记录不符 (the stored Merkle leaf does not match the entry)");
  }
  tree_.append(leaf);
  return checkRootsAtCurrentSize();
}

bool LogVerifier::addEntries(const std::vector<Input>& batch,
                             const std::function<void(const AuditEntry&)>& onEntry) {
  if (fault_) return false;
  std::vector<AuditChainVerifier::Prepared> prepared(batch.size());
  std::vector<merkle::Hash> leaves(batch.size());
  // Every thread takes chunks from a shared counter until the batch is done.
  constexpr std::size_t kChunk = 256;
  std::atomic<std::size_t> nextChunk{0};
  auto work = [&] {
    for (std::size_t begin; (begin = nextChunk.fetch_add(kChunk)) < batch.size();) {
      for (std::size_t i = begin; i < std::min(batch.size(), begin + kChunk); ++i) {
        prepared[i] = AuditChainVerifier::prepare(batch[i].bytes);
        leaves[i] = merkle::leafHash(batch[i].bytes);
      }
    }
  };
  const std::size_t helpers =
      batch.size() < 4 * kChunk
          ? 0
          : std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 8) - 1;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < helpers; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Input& input = batch[i];
    const auto storedHash =
        input.stored_hash ? std::optional<std::string_view>(*input.stored_hash) : std::nullopt;
    if (!link(input.row_seq, std::move(prepared[i]), leaves[i], storedHash, input.stored_leaf)) {
      return false;
    }
    if (onEntry) onEntry(chain_.lastEntry());
  }
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
