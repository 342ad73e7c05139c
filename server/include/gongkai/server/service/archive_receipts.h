#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/archive_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// What the receiving office sends back for a bundle (POST /api/v1/archives/{id}/receipt).
struct ReceiptRequest {
  std::string decision;  // accepted, accepted_with_remarks, refused
  std::string receiver_unit;
  std::string receiver_name;
  std::string remarks;             // required unless accepted
  std::string tagmanifest_sha256;  // of the bundle the office checked
  std::string public_key_pem;      // the office's Ed25519 key (SubjectPublicKeyInfo PEM)
  std::string signature;           // base64 of the 64-byte signature of the signed text
};

// A receipt as stored: its number, its decision and the canonical record (what the audit
// entry's content_sha256 is of), with that entry's seq.
struct Receipt {
  std::int64_t archive_id = 0;
  std::int64_t number = 0;
  std::string decision;
  std::string record;  // canonical JSON, see docs/archival.md
  std::string record_sha256;
  std::int64_t audit_seq = 0;
};

// The bundle's receipts with the digest a receipt must sign.
struct BundleReceipts {
  std::int64_t archive_id = 0;
  std::string bundle;
  std::string tagmanifest_sha256;
  std::vector<Receipt> receipts;  // oldest first
};

// The receiving office's countersignature of a transferred bundle (接收回执): checked (a known
// bundle, a decision, who received it, an Ed25519 signature by the key sent with it over the
// text archive::receiptSignedText makes of the bundle's tag-manifest digest and the decision),
// stored with the audit entry "archive.receipt" that carries its record's SHA-256, so the
// signed log vouches for it. One acceptance per bundle; after a refusal the unit may send the
// bundle again and the office answer again. Countersigning needs archives.receive; reading the
// receipts archives.read.
class ArchiveReceipts {
 public:
  ArchiveReceipts(store::Store& store, PolicyService& policies, std::string archivesFolder);

  core::Result<Receipt> receive(const Subject& subject, std::int64_t archiveId,
                                const ReceiptRequest& request);
  core::Result<BundleReceipts> list(const Subject& subject, std::int64_t archiveId);
  // The bundle's transfer list (移交清单) as the bundle carries it: transfer-list.json, or
  // transfer-list.html (the printable form) when `html`. Needs archives.read; kCorrupt
  // "tag_file_missing" for a bundle built before bundles carried one.
  core::Result<std::string> transferList(const Subject& subject, std::int64_t archiveId, bool html);

  // Longest texts a receipt takes, in characters.
  static constexpr std::size_t kMaxNameChars = 100;
  static constexpr std::size_t kMaxRemarksChars = 2000;

 private:
  core::Status require(const Subject& subject, std::string_view permission) const;
  // The bundle's row (archive_not_found), and its tag manifest's SHA-256, read from its tar.
  core::Result<store::ArchiveRow> row(std::int64_t archiveId);
  core::Result<std::string> tagManifestDigest(const store::ArchiveRow& row) const;

  store::Store& store_;
  PolicyService& policies_;
  std::string folder_;
};

}  // namespace gongkai::server::service
