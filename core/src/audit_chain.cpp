#include "gongkai/core/audit_chain.h"

#include "gongkai/core/audit_entry.h"

namespace gongkai::core {
namespace {

// True when `hex` is the lowercase hex of `digest`, without building a string.
bool hexEquals(std::string_view hex, const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (hex.size() != 2 * digest.size()) return false;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    if (hex[2 * i] != kHex[digest[i] >> 4] || hex[2 * i + 1] != kHex[digest[i] & 0x0f])
      return false;
  }
  return true;
}

}  // namespace

AuditChainVerifier::Prepared AuditChainVerifier::prepare(std::string_view bytes) {
  Prepared prepared;
  auto parsed = parseAuditEntry(bytes);
  if (parsed.ok()) {
    prepared.entry = std::move(parsed).value();
  } else {
    prepared.problem = parsed.error().message;
  }
  prepared.hash = sha256(bytes);
  return prepared;
}

bool AuditChainVerifier::add(std::int64_t rowSeq, std::string_view bytes,
                             std::optional<std::string_view> storedHash) {
  if (fault_) return false;
  return addPrepared(rowSeq, prepare(bytes), storedHash);
}

bool AuditChainVerifier::addPrepared(std::int64_t rowSeq, Prepared prepared,
                                     std::optional<std::string_view> storedHash) {
  if (fault_) return false;
  const std::int64_t expectedSeq = count_ + 1;
  auto fail = [&](std::string kind, std::string message) {
    fault_ = ChainFault{rowSeq, std::move(kind), std::move(message)};
    return false;
  };
  if (rowSeq != expectedSeq) {
    // Name the entry that is missing, not the one found in its place.
    fault_ = ChainFault{expectedSeq, "sequence_gap",
                        "缺少第 " + std::to_string(expectedSeq) + " 条记录，下一条是第 " +
                            std::to_string(rowSeq) + " 条 (entry " + std::to_string(expectedSeq) +
                            " is missing; the next one is " + std::to_string(rowSeq) + ")"};
    return false;
  }
  if (!prepared.entry) return fail("corrupt_entry", prepared.problem);
  lastEntry_ = std::move(*prepared.entry);
  const AuditEntry& entry = lastEntry_;
  if (entry.seq != rowSeq) {
    return fail("seq_mismatch",
                "记录内序号与存储序号不符 (sequence number inside the entry differs)");
  }
  const bool linked =
      count_ == 0 ? entry.prev_hash == kGenesisHash : hexEquals(entry.prev_hash, lastHash_);
  if (!linked) {
    return fail("broken_link", "前一记录哈希不符 (prev_hash does not match the previous entry)");
  }
  const Digest& hash = prepared.hash;
  if (storedHash && !hexEquals(*storedHash, hash)) {
    return fail("hash_mismatch", "记录哈希与内容不符 (stored hash does not match the entry bytes)");
  }
  if (count_ > 0 && entry.time < lastTime_) {
    return fail("time_regression", "时间早于前一记录 (time earlier than the previous entry)");
  }
  lastTime_ = entry.time;
  lastHash_ = hash;
  ++count_;
  return true;
}

}  // namespace gongkai::core
