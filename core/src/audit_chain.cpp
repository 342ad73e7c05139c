#include "gongkai/core/audit_chain.h"

#include <array>

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

// `hex` as a digest when it is exactly 64 lowercase hex digits: equal to a digest's toHex()
// exactly when hexEquals() would say so.
std::optional<Digest> digestOfHex(std::string_view hex) {
  // Each byte's value as a lowercase hex digit, or 16 when it is none: a table, not branches.
  static constexpr auto kDigit = [] {
    std::array<std::uint8_t, 256> table{};
    table.fill(16);
    for (int c = 0; c < 10; ++c) table['0' + c] = static_cast<std::uint8_t>(c);
    for (int c = 0; c < 6; ++c) table['a' + c] = static_cast<std::uint8_t>(10 + c);
    return table;
  }();
  Digest out{};
  if (hex.size() != 2 * out.size()) return std::nullopt;
  unsigned invalid = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::uint8_t high = kDigit[static_cast<unsigned char>(hex[2 * i])];
    const std::uint8_t low = kDigit[static_cast<unsigned char>(hex[2 * i + 1])];
    invalid |= (high | low) & 16u;
    out[i] = static_cast<std::uint8_t>(high << 4 | (low & 15));
  }
  if (invalid != 0) return std::nullopt;
  return out;
}

}  // namespace

void AuditChainVerifier::prepare(std::string_view bytes, std::optional<std::string_view> storedHash,
                                 Prepared& out) {
  out.entry = viewAuditEntry(bytes);
  if (!out.entry) {
    // Not seen in place: an escape to decode, or not canonical (the full reader says why).
    auto parsed = parseAuditEntry(bytes);
    if (parsed.ok()) {
      out.owned = std::make_unique<AuditEntry>(std::move(parsed).value());
      out.entry = viewOf(*out.owned);
    } else {
      out.problem = parsed.error().message;
    }
  }
  out.hash = sha256(bytes);
  if (out.entry) out.prev = digestOfHex(out.entry->prev_hash);
  out.stored_hash_matches = !storedHash || hexEquals(*storedHash, out.hash);
}

bool AuditChainVerifier::add(std::int64_t rowSeq, std::string_view bytes,
                             std::optional<std::string_view> storedHash) {
  if (fault_) return false;
  Prepared prepared;
  prepare(bytes, storedHash, prepared);
  return addPrepared(rowSeq, prepared);
}

bool AuditChainVerifier::addPrepared(std::int64_t rowSeq, const Prepared& prepared) {
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
  const AuditEntryView& entry = *prepared.entry;
  if (entry.seq != rowSeq) {
    return fail("seq_mismatch",
                "记录内序号与存储序号不符 (sequence number inside the entry differs)");
  }
  // The first entry links to kGenesisHash, the digest of all zeros.
  const bool linked = prepared.prev && *prepared.prev == (count_ == 0 ? Digest{} : lastHash_);
  if (!linked) {
    return fail("broken_link", "前一记录哈希不符 (prev_hash does not match the previous entry)");
  }
  if (!prepared.stored_hash_matches) {
    return fail("hash_mismatch", "记录哈希与内容不符 (stored hash does not match the entry bytes)");
  }
  if (count_ > 0 && entry.time < lastTime_) {
    return fail("time_regression", "时间早于前一记录 (time earlier than the previous entry)");
  }
  lastTime_ = entry.time;
  lastHash_ = prepared.hash;
  ++count_;
  return true;
}

}  // namespace gongkai::core
