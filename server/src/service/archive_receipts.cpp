#include "gongkai/server/service/archive_receipts.h"

#include <Poco/JSON/Object.h>

#include <filesystem>

#include "gongkai/archive/transfer_receipt.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/core/time.h"
#include "gongkai/policies/authorizer.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/service/field_errors.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {

using core::Error;
using core::ErrorCode;
using store::ArchiveRepository;

namespace {

Error archiveNotFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "archive_not_found",
                     "归档包不存在 (no such bundle): " + std::to_string(id));
}

bool isDecision(std::string_view decision) {
  for (std::string_view known : archive::kReceiptDecisions) {
    if (decision == known) return true;
  }
  return false;
}

bool isLowerHex64(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A name or unit: present, at most kMaxNameChars characters, on one line.
void checkName(FieldErrors& errors, const std::string& field, const std::string& value) {
  if (value.find_first_not_of(" \t") == std::string::npos) {
    errors.add(field, "missing_field", "必填字段 (required field)");
  } else if (!core::isValidUtf8(value) || core::hasControlCharacters(value, false)) {
    errors.add(field, "invalid_text",
               "不得含控制字符或换行 (no control characters or line breaks)");
  } else if (core::codePointCount(value) > ArchiveReceipts::kMaxNameChars) {
    errors.add(field, "too_long",
               "不超过 " + std::to_string(ArchiveReceipts::kMaxNameChars) + " 个字符 (at most " +
                   std::to_string(ArchiveReceipts::kMaxNameChars) + " characters)");
  }
}

// What can be judged of the request alone; the key and signature come back decoded.
struct CheckedRequest {
  core::Ed25519PublicKey key{};
  std::string signature;
};

core::Result<CheckedRequest> checkRequest(const ReceiptRequest& request) {
  FieldErrors errors;
  CheckedRequest checked;
  if (!isDecision(request.decision)) {
    errors.add("decision", "invalid_value",
               "须为 accepted（接收）、accepted_with_remarks（附意见接收）或 refused（拒收） "
               "(accepted, accepted_with_remarks or refused)");
  }
  checkName(errors, "receiver_unit", request.receiver_unit);
  checkName(errors, "receiver_name", request.receiver_name);
  if (!core::isValidUtf8(request.remarks) || core::hasControlCharacters(request.remarks, true)) {
    errors.add("remarks", "invalid_text", "不得含控制字符 (no control characters)");
  } else if (core::codePointCount(request.remarks) > ArchiveReceipts::kMaxRemarksChars) {
    errors.add("remarks", "too_long",
               "不超过 " + std::to_string(ArchiveReceipts::kMaxRemarksChars) + " 个字符 (at most " +
                   std::to_string(ArchiveReceipts::kMaxRemarksChars) + " characters)");
  } else if (request.decision != "accepted" && isDecision(request.decision) &&
             request.remarks.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors.add("remarks", "missing_field",
               "附意见接收或拒收须写明意见 (remarks are required unless accepted)");
  }
  if (!isLowerHex64(request.tagmanifest_sha256)) {
    errors.add("tagmanifest_sha256", "invalid_value",
               "须为 64 位小写十六进制 SHA-256 (64 lower-case hex digits)");
  }
  if (auto key = core::ed25519PublicKeyFromPem(request.public_key_pem)) {
    checked.key = *key;
  } else {
    errors.add("public_key_pem", "invalid_public_key",
               "须为 Ed25519 公钥 PEM (an Ed25519 public key in PEM)");
  }
  auto signature = core::base64Decode(request.signature);
  if (!signature || signature->size() != 64) {
    errors.add("signature", "invalid_signature",
               "须为 64 字节 Ed25519 签名的 base64 (base64 of a 64-byte Ed25519 signature)");
  } else {
    checked.signature = std::move(*signature);
  }
  if (auto status = errors.result("invalid_receipt", "接收回执有误 (invalid receipt)");
      !status.ok()) {
    return status.error();
  }
  return checked;
}

Receipt receiptOf(store::ReceiptRow row) {
  return Receipt{row.archive_id,
                 row.number,
                 std::move(row.decision),
                 std::move(row.record),
                 std::move(row.record_sha256),
                 row.audit_seq};
}

}  // namespace

ArchiveReceipts::ArchiveReceipts(store::Store& store, PolicyService& policies,
                                 std::string archivesFolder)
    : store_(store), policies_(policies), folder_(std::move(archivesFolder)) {}

core::Status ArchiveReceipts::require(const Subject& subject, std::string_view permission) const {
  if (subject.system) return core::okStatus();
  return policies::requirePermission(*policies_.engine(), subject.principal, permission);
}

core::Result<store::ArchiveRow> ArchiveReceipts::row(std::int64_t archiveId) {
  try {
    auto session = store_.read();
    if (auto found = ArchiveRepository::archive(*session, archiveId)) return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  return archiveNotFound(archiveId);
}

core::Result<std::string> ArchiveReceipts::tagManifestDigest(const store::ArchiveRow& row) const {
  const std::string path = (std::filesystem::path(folder_) / (row.sha256 + ".tar")).string();
  auto manifest = archive::readTagManifest(path);
  if (!manifest.ok()) return manifest.error();
  return core::sha256Hex(manifest.value());
}

core::Result<std::string> ArchiveReceipts::transferList(const Subject& subject,
                                                        std::int64_t archiveId, bool html) {
  if (auto allowed = require(subject, "archives.read"); !allowed.ok()) return allowed.error();
  auto found = row(archiveId);
  if (!found.ok()) return found.error();
  const std::string path =
      (std::filesystem::path(folder_) / (found.value().sha256 + ".tar")).string();
  auto list = archive::readTagFile(path, html ? "transfer-list.html" : "transfer-list.json");
  if (!list.ok() && list.error().reason == "tag_file_missing") {
    return Error::make(ErrorCode::kNotFound, "transfer_list_missing",
                       "该归档包没有移交清单（生成于有移交清单之前） (the bundle carries no "
                       "transfer list: it was built before bundles had one)");
  }
  return list;
}

core::Result<Receipt> ArchiveReceipts::receive(const Subject& subject, std::int64_t archiveId,
                                               const ReceiptRequest& request) {
  if (auto allowed = require(subject, "archives.receive"); !allowed.ok()) return allowed.error();
  auto found = row(archiveId);
  if (!found.ok()) return found.error();
  auto checked = checkRequest(request);
  if (!checked.ok()) return checked.error();
  auto tagManifest = tagManifestDigest(found.value());
  if (!tagManifest.ok()) return tagManifest.error();
  const store::ArchiveRow& bundle = found.value();
  const std::string& digest = tagManifest.value();
  if (request.tagmanifest_sha256 != digest) {
    return Error{ErrorCode::kConflict,
                 "tag_manifest_mismatch",
                 "所签标签清单摘要不是该归档包的 (the signed tag-manifest digest is not this "
                 "bundle's): " +
                     digest,
                 {{"tagmanifest_sha256", "tag_manifest_mismatch",
                   "该归档包的标签清单摘要为 (this bundle's is) " + digest}}};
  }
  const std::string signedText =
      archive::receiptSignedText({bundle.name, digest, request.decision, request.receiver_unit,
                                  request.receiver_name, request.remarks});
  if (!core::ed25519Verify(checked.value().key, signedText, checked.value().signature)) {
    return Error{ErrorCode::kInvalidArgument,
                 "signature_mismatch",
                 "签名与回执内容不符 (the signature does not verify over the receipt's signed "
                 "text with the key given)",
                 {{"signature", "signature_mismatch",
                   "签名不能用所给公钥验证 (does not verify with public_key_pem)"}}};
  }
  const core::Ed25519PublicKey& key = checked.value().key;
  const std::string keyId =
      core::sha256Hex(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
  const std::string bundleName = bundle.name, bundleSha256 = bundle.sha256;
  return store_.write<Receipt>([&](store::Transaction& tx) -> core::Result<Receipt> {
    const auto earlier = ArchiveRepository::receipts(tx, archiveId);
    if (!earlier.empty() && earlier.back().decision != "refused") {
      return Error::make(ErrorCode::kConflict, "receipt_exists",
                         "该归档包已签收，不能再次签收 (the bundle's receipt is already "
                         "recorded; only a refused bundle is answered again)");
    }
    const std::int64_t number = static_cast<std::int64_t>(earlier.size()) + 1;
    Poco::JSON::Object::Ptr signature = new Poco::JSON::Object;
    signature->set("algorithm", "ed25519");
    signature->set("public_key_pem", request.public_key_pem);
    signature->set("public_key_sha256", keyId);
    signature->set("value", core::base64Encode(checked.value().signature));
    Poco::JSON::Object::Ptr record = new Poco::JSON::Object;
    record->set("archive_id", static_cast<Poco::Int64>(archiveId));
    record->set("bundle", bundleName);
    record->set("bundle_sha256", bundleSha256);
    record->set("tagmanifest_sha256", digest);
    record->set("number", static_cast<Poco::Int64>(number));
    record->set("decision", request.decision);
    record->set("receiver_unit", request.receiver_unit);
    record->set("receiver_name", request.receiver_name);
    record->set("remarks", request.remarks);
    record->set("signed_text", signedText);
    record->set("signature", signature);
    record->set("received_by", subject.id);
    record->set("received_at", core::formatRfc3339(core::nowUtc()));
    store::ReceiptRow stored;
    stored.archive_id = archiveId;
    stored.number = number;
    stored.decision = request.decision;
    stored.record = core::canonicalJson(record);
    stored.record_sha256 = core::sha256Hex(stored.record);
    const core::AuditEntry entry =
        appendAudit(tx, subject, "archive.receipt", "archive", std::to_string(archiveId), number,
                    stored.record_sha256);
    stored.audit_seq = entry.seq;
    stored.id = ArchiveRepository::insertReceipt(tx, stored);
    return receiptOf(std::move(stored));
  });
}

core::Result<BundleReceipts> ArchiveReceipts::list(const Subject& subject, std::int64_t archiveId) {
  if (auto allowed = require(subject, "archives.read"); !allowed.ok()) return allowed.error();
  auto found = row(archiveId);
  if (!found.ok()) return found.error();
  auto digest = tagManifestDigest(found.value());
  if (!digest.ok()) return digest.error();
  BundleReceipts out{archiveId, found.value().name, digest.value(), {}};
  try {
    auto session = store_.read();
    for (auto& row : ArchiveRepository::receipts(*session, archiveId)) {
      out.receipts.push_back(receiptOf(std::move(row)));
    }
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  return out;
}

}  // namespace gongkai::server::service
