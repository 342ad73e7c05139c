#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gongkai/core/result.h"
#include "gongkai/core/time.h"

namespace gongkai::core {

// The `prev_hash` of the first entry.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One audit log entry. Its canonical bytes (RFC 8785 JSON, UTF-8) are what is stored, served
// and hashed: entry hash = SHA-256(bytes) links the chain, and RFC 6962's leaf hash is
// SHA-256(0x00 || bytes), so a Merkle tree can be laid over the same stored bytes.
struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, 3, ... with no gaps; Merkle leaf index = seq - 1
  TimePoint time;
  std::string actor;        // who acted, e.g. "anonymous" until accounts exist
  std::string client;       // the client address the request came from, "" for local tools
  std::string action;       // e.g. "document.create"
  std::string object_type;  // e.g. "document"
  std::string object_id;
  std::optional<std::int64_t> object_version;
  std::string content_sha256;  // SHA-256 of the canonical record the change produced
  std::string prev_hash;       // entry hash of seq - 1, or kGenesisHash

  bool operator==(const AuditEntry&) const = default;
};

// An entry's members seen in place in its bytes, without a copy: what verifying millions of
// entries reads. It converts to an AuditEntry (copying), so code written for one takes either.
struct AuditEntryView {
  std::int64_t seq = 0;
  TimePoint time;
  std::string_view actor;
  std::string_view client;
  std::string_view action;
  std::string_view object_type;
  std::string_view object_id;
  std::optional<std::int64_t> object_version;
  std::string_view content_sha256;
  std::string_view prev_hash;

  operator AuditEntry() const;  // NOLINT: implicit by design
};

// The canonical bytes of `entry`.
std::string canonicalBytes(const AuditEntry& entry);

// Parses stored bytes back into an entry. Fails with kCorrupt unless the bytes are exactly the
// canonical form of a well-formed entry, so two encodings of one entry cannot both verify.
Result<AuditEntry> parseAuditEntry(std::string_view bytes);

// parseAuditEntry() without copying: the entry seen in `bytes` when they are exactly its
// canonical form and none of its strings holds an escape; nullopt otherwise, when
// parseAuditEntry() tells the entry (decoding its escapes) or the fault. Whenever this gives an
// entry, parseAuditEntry() gives the same one.
std::optional<AuditEntryView> viewAuditEntry(std::string_view bytes);
// A view of an entry held elsewhere (valid while it is).
AuditEntryView viewOf(const AuditEntry& entry);

// SHA-256 of the bytes, hex: the link the next entry's prev_hash carries.
std::string entryHash(std::string_view bytes);

}  // namespace gongkai::core
