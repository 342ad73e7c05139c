#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/merkle.h"
#include "gongkai/core/signed_note.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {

namespace merkle = core::merkle;

// The checkpoint's signature, then every audit entry's inclusion proof against it.
void checkAudit(VerifyContext& ctx) {
  const std::string* noteBytes = ctx.bytesOf(layout::kCheckpoint);
  const std::string* entries = ctx.bytesOf(layout::kAuditEntries);
  const std::string* proofs = ctx.bytesOf(layout::kAuditProofs);
  if (noteBytes == nullptr || entries == nullptr || proofs == nullptr) {
    ctx.add("1-1", "audit_inclusion", "data/audit/", false,
            "审计检查点、条目或证明缺失 (audit checkpoint, entries or proofs missing)");
    return;
  }
  auto note = core::note::parseNote(*noteBytes);
  std::optional<core::Checkpoint> checkpoint;
  if (note.ok()) {
    auto parsed = core::parseCheckpoint(note.value().text);
    if (parsed.ok()) checkpoint = parsed.value();
  }
  if (!checkpoint) {
    ctx.add("1-1", "checkpoint_signature", std::string(layout::kCheckpoint), false,
            "检查点格式错误 (malformed checkpoint)");
    return;
  }
  std::vector<core::note::VerifierKey> trusted;
  for (const TrustedKey& key : ctx.keys) {
    if (key.sm2) continue;
    for (const auto& signature : note.value().signatures) {
      trusted.push_back(core::note::makeVerifierKey(signature.name, key.ed25519));
    }
  }
  if (!trusted.empty()) {
    const auto verdict = core::note::verifyNote(note.value(), trusted);
    const bool ok = verdict == core::note::Verdict::kVerified;
    ctx.add("1-1", "checkpoint_signature", std::string(layout::kCheckpoint), ok,
            ok ? "审计检查点（" + std::to_string(checkpoint->size) +
                     " 条）经可信公钥验证 (audit checkpoint of " +
                     std::to_string(checkpoint->size) + " entries verified with the trusted key)"
               : "审计检查点签名无效 (audit checkpoint signature does not verify)");
  }
  if (const auto declared = infoValue(ctx.info, layout::kInfoCheckpointSize);
      !declared || toInt(*declared) != static_cast<std::int64_t>(checkpoint->size)) {
    ctx.add("2-11", "checkpoint_size", "bag-info.txt", false,
            "bag-info 中的检查点大小与检查点不符 (bag-info checkpoint size does not match the "
            "checkpoint)");
  }

  const auto entryLines = lines(*entries);
  const auto proofLines = lines(*proofs);
  if (entryLines.size() != proofLines.size()) {
    ctx.add("1-1", "audit_inclusion", std::string(layout::kAuditProofs), false,
            "审计条目与证明数目不符 (audit entries and proofs differ in number)");
    return;
  }
  std::size_t failures = 0;
  std::int64_t previousSeq = 0;
  for (std::size_t i = 0; i < entryLines.size(); ++i) {
    const std::string subject = "audit entry " + std::to_string(i + 1);
    const auto entry = parseRecord(entryLines[i]);
    const auto proof = parseRecord(proofLines[i]);
    const auto seq = entry ? entry->integerAt("seq") : std::nullopt;
    if (!entry || !proof || !seq || proof->integerAt("seq") != seq || *seq <= previousSeq) {
      ctx.add("1-1", "audit_inclusion", subject, false,
              "审计条目或证明格式错误 (malformed audit entry or proof)");
      ++failures;
      continue;
    }
    previousSeq = *seq;
    std::vector<merkle::Hash> path;
    bool wellFormed = proof->integerAt("tree_size") == static_cast<std::int64_t>(checkpoint->size);
    if (const core::JsonValue* hashes = proof->valueAt("proof"); hashes && hashes->isArray()) {
      for (const core::JsonValue& hash : hashes->items) {
        const auto bytes = hash.isString() ? core::base64Decode(hash.text) : std::nullopt;
        auto parsed =
            bytes ? merkle::hashFromBytes(*bytes) : core::Result<merkle::Hash>(core::Error{});
        if (!parsed.ok()) {
          wellFormed = false;
          break;
        }
        path.push_back(parsed.value());
      }
    } else {
      wellFormed = false;
    }
    const bool ok = wellFormed &&
                    merkle::verifyInclusion(static_cast<std::uint64_t>(*seq - 1), checkpoint->size,
                                            merkle::leafHash(entryLines[i]), path, checkpoint->root)
                        .ok();
    if (!ok) {
      ctx.add("1-1", "audit_inclusion", "seq " + std::to_string(*seq), false,
              "审计条目不在已签名的审计日志中：被改动或伪造 (audit entry is not in the signed "
              "log: edited or forged), seq " +
                  std::to_string(*seq));
      ++failures;
      continue;
    }
    // Which records the log vouches for: object → version → content hash.
    const core::JsonValue* object = entry->valueAt("object");
    const std::string* type = object ? object->stringAt("type") : nullptr;
    const std::string* id = object ? object->stringAt("id") : nullptr;
    const std::string* content = entry->stringAt("content_sha256");
    const auto version = object ? object->integerAt("version") : std::nullopt;
    if (type && id && content && version) {
      ctx.logged[*type + "/" + *id + "/" + std::to_string(*version)] = *content;
    }
  }
  if (failures == 0) {
    ctx.add("1-1", "audit_inclusion", std::string(layout::kAuditEntries), true,
            std::to_string(entryLines.size()) + " 条审计条目均有包含证明，与检查点一致 (all " +
                std::to_string(entryLines.size()) +
                " audit entries proven included in the checkpoint)");
  }
  if (const auto declared = infoValue(ctx.info, layout::kInfoAuditEntryCount);
      !declared || toInt(*declared) != static_cast<std::int64_t>(entryLines.size())) {
    ctx.add("2-5", "audit_entry_count", "bag-info.txt", false,
            "审计条目数与 bag-info 不符 (audit entry count does not match bag-info)");
  }
}

}  // namespace gongkai::archive::verify
