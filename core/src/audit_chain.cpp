#include "gongkai/core/audit_chain.h"

#include "gongkai/core/audit_entry.h"

namespace gongkai::core {

bool AuditChainVerifier::add(std::int64_t rowSeq, std::string_view bytes,
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
  auto parsed = parseAuditEntry(bytes);
  if (!parsed.ok()) return fail("corrupt_entry", parsed.error().message);
  const AuditEntry& entry = parsed.value();
  if (entry.seq != rowSeq) {
    return fail("seq_mismatch", "记录内序号与存储序号不符 (sequence number inside the entry differs)");
  }
  const std::string& expectedPrev = count_ == 0 ? std::string(kGenesisHash) : lastHash_;
  if (entry.prev_hash != expectedPrev) {
    return fail("broken_link", "前一记录哈希不符 (prev_hash does not match the previous entry)");
  }
  const std::string hash = entryHash(bytes);
  if (storedHash && hash != *storedHash) {
    return fail("hash_mismatch", "记录哈希与内容不符 (stored hash does not match the entry bytes)");
  }
  const std::string time = formatRfc3339(entry.time);
  if (time < lastTime_) {
    return fail("time_regression", "时间早于前一记录 (time earlier than the previous entry)");
  }
  lastTime_ = time;
  lastHash_ = hash;
  ++count_;
  return true;
}

}  // namespace gongkai::core
