#include "gongkai/archive/bundle_verifier.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>

#include "async_digest.h"
#include "gongkai/archive/bundle_layout.h"
#include "gongkai/archive/file_inspector.h"
#include "gongkai/archive/sm2_signer.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/json_reader.h"
#include "gongkai/core/merkle.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/signed_note.h"
#include "gongkai/core/text.h"

namespace gongkai::archive {
namespace {

namespace merkle = core::merkle;

// Files other than payload under items/*/files/ are read into memory to be parsed; none of
// ours comes near this, and a larger one is refused rather than held.
constexpr std::int64_t kMaxKeptFile = std::int64_t{256} << 20;
constexpr std::size_t kChunk = 1 << 20;

struct EvpFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, EvpFree>;

// Everything learnt about one file of the bag while streaming it.
struct SeenFile {
  std::int64_t size = 0;
  std::string sha256, sha512;
  std::optional<FileFindings> findings;  // files under data/ only
  std::optional<std::string> bytes;      // kept unless payload under items/*/files/
};

// A trusted public key from --key.
struct TrustedKey {
  Pkey key;
  bool sm2 = false;
  core::Ed25519PublicKey ed25519{};
};

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// RFC 8493 §2.1.3: %0A, %0D and %25 are the only escapes in manifest paths.
std::string manifestUnescape(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      const std::string_view code = path.substr(i + 1, 2);
      if (code == "0A" || code == "0a") {
        out += '\n';
        i += 2;
        continue;
      }
      if (code == "0D" || code == "0d") {
        out += '\r';
        i += 2;
        continue;
      }
      if (code == "25") {
        out += '%';
        i += 2;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

// An audit entry, proof or record; why one does not parse is not reported, only that it does not.
std::optional<core::JsonValue> parseRecord(std::string_view text) {
  core::JsonSyntaxError ignored;
  return core::parseJsonWithLines(text, ignored);
}

// bag-info.txt: "Label: value" lines; a line starting with white space continues the value.
std::vector<std::pair<std::string, std::string>> parseBagInfo(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view line : lines(text)) {
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !out.empty()) {
      out.back().second += " " + std::string(line.substr(line.find_first_not_of(" \t")));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string value(line.substr(colon + 1));
    value.erase(0, value.find_first_not_of(" \t"));
    out.emplace_back(std::string(line.substr(0, colon)), value);
  }
  return out;
}

std::optional<std::string> infoValue(const std::vector<std::pair<std::string, std::string>>& info,
                                     std::string_view label) {
  for (const auto& [key, value] : info) {
    if (key == label) return value;
  }
  return std::nullopt;
}

std::optional<std::int64_t> toInt(std::string_view text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stoll(std::string(text));
}

std::string declaredTypeByExtension(std::string_view path) {
  if (endsWith(path, ".json") || endsWith(path, ".jsonl")) return "application/json";
  if (endsWith(path, ".html")) return "text/html";
  if (endsWith(path, ".csv")) return "text/csv";
  if (endsWith(path, ".txt")) return "text/plain";
  return "";
}

bool isSignatureFile(std::string_view path) {
  return path == layout::kEd25519Signature || path == layout::kEd25519PublicKey ||
         path == layout::kSm2Signature || path == layout::kSm2PublicKey;
}

// The files whose bytes the checks read (tag files, signatures, records, audit files, the CSV
// index); everything else is only hashed and inspected as it streams past, so memory stays
// small whatever a bundle holds.
bool mustRead(std::string_view path) {
  if (path.find('/') == std::string_view::npos) return true;  // tag files
  if (isSignatureFile(path)) return true;
  if (startsWith(path, "data/audit/") || path == layout::kIndexCsv) return true;
  if (startsWith(path, layout::kCatalogue) || startsWith(path, layout::kFeedback) ||
      startsWith(path, layout::kRequests)) {
    return endsWith(path, ".json");
  }
  if (startsWith(path, layout::kItems)) {
    return endsWith(path, "/metadata.json") ||
           path.find("/" + std::string(layout::kVersionsFolder)) != std::string_view::npos;
  }
  return false;
}

// Parsed records of one item folder.
struct ItemFiles {
  std::optional<std::string> metadata;
  std::map<std::int64_t, std::string> versions;  // N → bytes of vN.json
  std::map<std::string, const SeenFile*> files;  // file name under files/ → what was seen
};

class Verifier {
 public:
  Verifier(const std::string& path, const VerifyOptions& options) : options_(options) {
    report_.bundle = path;
  }

  BundleReport run() {
    if (!loadKeys()) return std::move(report_);
    if (!readTar()) return std::move(report_);
    checkBagDeclaration();
    checkManifests();
    checkTagManifest();
    checkPayloadOxum();
    checkSignatures();
    checkAudit();
    checkItems();
    checkFiles();
    return std::move(report_);
  }

 private:
  void add(Property property, std::string check, std::string subject, bool passed,
           std::string message) {
    report_.findings.push_back(
        {property, std::move(check), std::move(subject), passed, std::move(message)});
  }

  // --- keys -------------------------------------------------------------------------------

  bool loadKeys() {
    for (const std::string& pem : options_.public_key_pems) {
      std::unique_ptr<BIO, decltype(&BIO_free)> bio(
          BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
      Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
      if (!key) {
        add(Property::kAuthenticity, "trusted_key", "--key", false,
            "公钥无法读取，须为 PEM 格式的 Ed25519 或 SM2 公钥 (the key is not a PEM Ed25519 or "
            "SM2 public key)");
        return false;
      }
      TrustedKey trusted;
      if (EVP_PKEY_is_a(key.get(), "ED25519")) {
        std::size_t length = trusted.ed25519.size();
        EVP_PKEY_get_raw_public_key(key.get(), trusted.ed25519.data(), &length);
      } else if (EVP_PKEY_is_a(key.get(), "SM2")) {
        trusted.sm2 = true;
      } else {
        add(Property::kAuthenticity, "trusted_key", "--key", false,
            "只接受 Ed25519 或 SM2 公钥 (only Ed25519 and SM2 keys are accepted)");
        return false;
      }
      trusted.key = std::move(key);
      keys_.push_back(std::move(trusted));
    }
    if (keys_.empty()) {
      add(Property::kAuthenticity, "trusted_key", "--key", false,
          "未给出可信公钥，无法确认真实性 (no trusted public key given: authenticity cannot be "
          "established)");
    }
    return true;
  }

  // --- reading ----------------------------------------------------------------------------

  bool readTar() {
    SafeTarReader reader(options_.limits);
    if (auto opened = reader.open(report_.bundle); !opened.ok()) {
      add(Property::kSafety, "tar_safety", report_.bundle, false, opened.error().message);
      return false;
    }
    TarEntry entry;
    std::vector<char> buffer(kChunk);
    // Both digests on threads of their own; this one reads and inspects.
    AsyncDigest sha256(EVP_sha256()), sha512(EVP_sha512());
    std::int64_t entries = 0;
    while (reader.next(entry)) {
      ++entries;
      report_.name = reader.root();
      const std::string root = reader.root() + "/";
      if (entry.path == reader.root()) continue;
      const std::string path = entry.path.substr(root.size());
      if (entry.directory) {
        directories_.insert(path);
        continue;
      }
      const bool inData = startsWith(path, layout::kData);
      const bool payloadFile =
          startsWith(path, layout::kItems) &&
          path.find(std::string("/") + std::string(layout::kFilesFolder)) != std::string::npos;
      // In the map before its bytes are read: the digest threads write its digests there when
      // they reach its end, while this thread goes on to the next entry.
      SeenFile& seen = files_[path];
      std::optional<FileInspector> inspector;
      if (inData) inspector.emplace(path, payloadFile ? "" : declaredTypeByExtension(path));
      const bool keep = mustRead(path) && entry.size <= kMaxKeptFile;
      std::string kept;
      while (true) {
        const std::int64_t got = reader.read(buffer.data(), buffer.size());
        if (got < 0) break;
        if (got == 0) break;
        sha256.update(buffer.data(), static_cast<std::size_t>(got));
        sha512.update(buffer.data(), static_cast<std::size_t>(got));
        if (inspector) inspector->update(buffer.data(), static_cast<std::size_t>(got));
        if (keep) kept.append(buffer.data(), static_cast<std::size_t>(got));
        seen.size += got;
      }
      sha256.finishInto(&seen.sha256);
      sha512.finishInto(&seen.sha512);
      if (reader.error()) break;
      if (inspector) seen.findings = inspector->finish();
      if (keep) seen.bytes = std::move(kept);
    }
    sha256.wait();
    sha512.wait();
    if (reader.error()) {
      add(Property::kSafety, "tar_safety", report_.name.empty() ? report_.bundle : report_.name,
          false, reader.error()->message);
      return false;
    }
    if (entries == 0) {
      add(Property::kIntegrity, "bag_declaration", report_.bundle, false,
          "归档包是空的 (the bundle is empty)");
      return false;
    }
    add(Property::kSafety, "tar_safety", report_.name, true,
        "tar 结构安全：" + std::to_string(entries) +
            " 个条目，无绝对路径、..、链接、设备文件或重复条目 (the tar is safe: " +
            std::to_string(entries) +
            " entries, no absolute paths, .., links, devices or duplicates)");
    return true;
  }

  const std::string* bytesOf(std::string_view path) const {
    auto found = files_.find(std::string(path));
    if (found == files_.end() || !found->second.bytes) return nullptr;
    return &*found->second.bytes;
  }

  // --- integrity: the bag -----------------------------------------------------------------

  void checkBagDeclaration() {
    const std::string* bagit = bytesOf("bagit.txt");
    const bool ok =
        bagit != nullptr && *bagit == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    add(Property::kIntegrity, "bag_declaration", "bagit.txt", ok,
        ok ? "BagIt 1.0 声明正确 (BagIt 1.0 declaration present)"
           : "bagit.txt 缺失或不是 BagIt 1.0 声明 (bagit.txt missing or not a BagIt 1.0 "
             "declaration)");
    for (std::string_view required :
         {"bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"}) {
      if (bytesOf(required) == nullptr) {
        add(Property::kIntegrity, "tag_file_missing", std::string(required), false,
            "标签文件缺失 (tag file missing): " + std::string(required));
      }
    }
    if (const std::string* info = bytesOf("bag-info.txt")) info_ = parseBagInfo(*info);
  }

  // Checks one manifest against the files seen: `payload` for manifest-*.txt (every file under
  // data/ must be listed), else the tag manifest.
  void checkManifest(const std::string& name, bool sha512, bool payload) {
    const std::string* text = bytesOf(name);
    if (text == nullptr) return;
    std::set<std::string> listed;
    std::size_t problems = 0;
    const std::string check =
        payload ? (sha512 ? "manifest_sha512" : "manifest_sha256") : "tagmanifest_sha256";
    for (std::string_view line : lines(*text)) {
      if (line.empty()) continue;
      const auto space = line.find_first_of(" \t");
      if (space == std::string_view::npos) {
        add(Property::kIntegrity, check, name, false,
            "清单行格式错误 (malformed manifest line): " + std::string(line));
        ++problems;
        continue;
      }
      const std::string digest(line.substr(0, space));
      const std::string path = manifestUnescape(line.substr(line.find_first_not_of(" \t", space)));
      listed.insert(path);
      auto found = files_.find(path);
      if (found == files_.end()) {
        add(Property::kIntegrity, check, path, false,
            "清单所列文件缺失 (file listed in the manifest is missing): " + path);
        ++problems;
      } else if ((sha512 ? found->second.sha512 : found->second.sha256) != digest) {
        add(Property::kIntegrity, check, path, false,
            "文件内容与清单校验值不符 (file does not match its manifest checksum): " + path);
        ++problems;
      }
    }
    if (payload) {
      for (const auto& [path, seen] : files_) {
        if (startsWith(path, layout::kData) && !listed.count(path)) {
          add(Property::kIntegrity, check, path, false,
              "文件不在清单中，可能是后加的 (file not in the manifest, added after bagging): " +
                  path);
          ++problems;
        }
      }
    } else {
      for (std::string_view tag :
           {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt"}) {
        if (files_.count(std::string(tag)) && !listed.count(std::string(tag))) {
          add(Property::kIntegrity, check, std::string(tag), false,
              "标签文件不在标签清单中 (tag file missing from the tag manifest): " +
                  std::string(tag));
          ++problems;
        }
      }
      for (const auto& [path, seen] : files_) {
        if (isSignatureFile(path)) continue;
        if (startsWith(path, layout::kSignatures)) {
          // Nothing covers the signature folder but the signatures themselves: anything else
          // there could have been added by anyone.
          add(Property::kIntegrity, check, path, false,
              "签名文件夹中有不应有的文件 (unexpected file in the signature folder): " + path);
          ++problems;
        } else if (!startsWith(path, layout::kData) && path != "tagmanifest-sha256.txt" &&
                   !listed.count(path)) {
          add(Property::kIntegrity, check, path, false,
              "未登记的标签文件 (tag file not in the tag manifest): " + path);
          ++problems;
        }
      }
    }
    if (problems == 0) {
      add(Property::kIntegrity, check, name, true,
          "清单中 " + std::to_string(listed.size()) + " 个文件全部存在且校验一致 (all " +
              std::to_string(listed.size()) + " listed files present and matching)");
    }
  }

  void checkManifests() {
    checkManifest("manifest-sha256.txt", false, true);
    checkManifest("manifest-sha512.txt", true, true);
  }

  void checkTagManifest() { checkManifest("tagmanifest-sha256.txt", false, false); }

  void checkPayloadOxum() {
    std::int64_t octets = 0, count = 0;
    for (const auto& [path, seen] : files_) {
      if (!startsWith(path, layout::kData)) continue;
      octets += seen.size;
      ++count;
    }
    const auto declared = infoValue(info_, "Payload-Oxum");
    const std::string actual = std::to_string(octets) + "." + std::to_string(count);
    const bool ok = declared && *declared == actual;
    add(Property::kIntegrity, "payload_oxum", "bag-info.txt", ok,
        ok ? "Payload-Oxum 与内容一致 (Payload-Oxum matches): " + actual
           : "Payload-Oxum 不符 (Payload-Oxum mismatch): 声明 (declared) " +
                 declared.value_or("-") + "，实际 (actual) " + actual);
  }

  // --- authenticity -----------------------------------------------------------------------

  void checkSignatures() {
    const std::string* manifest = bytesOf("tagmanifest-sha256.txt");
    if (manifest == nullptr || keys_.empty()) return;
    bool anyVerified = false;
    for (const TrustedKey& key : keys_) {
      const std::string_view sigPath = key.sm2 ? layout::kSm2Signature : layout::kEd25519Signature;
      const std::string check = key.sm2 ? "signature_sm2" : "signature_ed25519";
      const std::string* signature = bytesOf(sigPath);
      if (signature == nullptr) {
        add(Property::kAuthenticity, check, std::string(sigPath), false,
            "签名文件缺失 (signature file missing): " + std::string(sigPath));
        continue;
      }
      const bool ok = key.sm2 ? verifySm2(key.key.get(), *manifest, *signature)
                              : core::ed25519Verify(key.ed25519, *manifest, *signature);
      anyVerified = anyVerified || ok;
      add(Property::kAuthenticity, check, std::string(sigPath), ok,
          ok ? std::string(key.sm2 ? "SM2/SM3" : "Ed25519") +
                   " 签名经可信公钥验证通过 (signature verified with the trusted key)"
             : std::string(key.sm2 ? "SM2/SM3" : "Ed25519") +
                   " 签名无效：被替换或由其他密钥签署 (signature does not verify with the trusted "
                   "key: replaced, or made by another key)");
    }
    (void)anyVerified;
  }

  static bool verifySm2(EVP_PKEY* key, std::string_view message, std::string_view signature) {
    // The key context outlives the digest context that borrows it.
    std::unique_ptr<EVP_PKEY_CTX, EvpFree> keyContext(EVP_PKEY_CTX_new(key, nullptr));
    std::unique_ptr<EVP_MD_CTX, EvpFree> context(EVP_MD_CTX_new());
    if (!context || !keyContext ||
        EVP_PKEY_CTX_set1_id(keyContext.get(), kSm2DistinguishingId.data(),
                             static_cast<int>(kSm2DistinguishingId.size())) <= 0) {
      return false;
    }
    EVP_MD_CTX_set_pkey_ctx(context.get(), keyContext.get());
    return EVP_DigestVerifyInit(context.get(), nullptr, EVP_sm3(), nullptr, key) == 1 &&
           EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
  }

  // The checkpoint's signature, then every audit entry's inclusion proof against it.
  void checkAudit() {
    const std::string* noteBytes = bytesOf(layout::kCheckpoint);
    const std::string* entries = bytesOf(layout::kAuditEntries);
    const std::string* proofs = bytesOf(layout::kAuditProofs);
    if (noteBytes == nullptr || entries == nullptr || proofs == nullptr) {
      add(Property::kAuthenticity, "audit_inclusion", "data/audit/", false,
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
      add(Property::kAuthenticity, "checkpoint_signature", std::string(layout::kCheckpoint), false,
          "检查点格式错误 (malformed checkpoint)");
      return;
    }
    std::vector<core::note::VerifierKey> trusted;
    for (const TrustedKey& key : keys_) {
      if (key.sm2) continue;
      for (const auto& signature : note.value().signatures) {
        trusted.push_back(core::note::makeVerifierKey(signature.name, key.ed25519));
      }
    }
    if (!trusted.empty()) {
      const auto verdict = core::note::verifyNote(note.value(), trusted);
      const bool ok = verdict == core::note::Verdict::kVerified;
      add(Property::kAuthenticity, "checkpoint_signature", std::string(layout::kCheckpoint), ok,
          ok ? "审计检查点（" + std::to_string(checkpoint->size) +
                   " 条）经可信公钥验证 (audit checkpoint of " + std::to_string(checkpoint->size) +
                   " entries verified with the trusted key)"
             : "审计检查点签名无效 (audit checkpoint signature does not verify)");
    }
    if (const auto declared = infoValue(info_, layout::kInfoCheckpointSize);
        !declared || toInt(*declared) != static_cast<std::int64_t>(checkpoint->size)) {
      add(Property::kIntegrity, "checkpoint_size", "bag-info.txt", false,
          "bag-info 中的检查点大小与检查点不符 (bag-info checkpoint size does not match the "
          "checkpoint)");
    }

    const auto entryLines = lines(*entries);
    const auto proofLines = lines(*proofs);
    if (entryLines.size() != proofLines.size()) {
      add(Property::kAuthenticity, "audit_inclusion", std::string(layout::kAuditProofs), false,
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
        add(Property::kAuthenticity, "audit_inclusion", subject, false,
            "审计条目或证明格式错误 (malformed audit entry or proof)");
        ++failures;
        continue;
      }
      previousSeq = *seq;
      std::vector<merkle::Hash> path;
      bool wellFormed =
          proof->integerAt("tree_size") == static_cast<std::int64_t>(checkpoint->size);
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
      const bool ok = wellFormed && merkle::verifyInclusion(
                                        static_cast<std::uint64_t>(*seq - 1), checkpoint->size,
                                        merkle::leafHash(entryLines[i]), path, checkpoint->root)
                                        .ok();
      if (!ok) {
        add(Property::kAuthenticity, "audit_inclusion", "seq " + std::to_string(*seq), false,
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
        logged_[*type + "/" + *id + "/" + std::to_string(*version)] = *content;
      }
    }
    if (failures == 0) {
      add(Property::kAuthenticity, "audit_inclusion", std::string(layout::kAuditEntries), true,
          std::to_string(entryLines.size()) + " 条审计条目均有包含证明，与检查点一致 (all " +
              std::to_string(entryLines.size()) +
              " audit entries proven included in the checkpoint)");
    }
    if (const auto declared = infoValue(info_, layout::kInfoAuditEntryCount);
        !declared || toInt(*declared) != static_cast<std::int64_t>(entryLines.size())) {
      add(Property::kIntegrity, "audit_entry_count", "bag-info.txt", false,
          "审计条目数与 bag-info 不符 (audit entry count does not match bag-info)");
    }
  }

  // --- items ------------------------------------------------------------------------------

  void checkItems() {
    std::map<std::string, ItemFiles> items;
    // Versioned records outside the items: <prefix><id>/vN.json, by id then version.
    using Versions = std::map<std::string, std::map<std::int64_t, std::string>>;
    Versions catalogue, feedback, requests;
    const std::string itemsPrefix(layout::kItems);
    const auto versionOf = [](const std::string& file) -> std::optional<std::int64_t> {
      if (!startsWith(file, "v") || !endsWith(file, ".json")) return std::nullopt;
      return toInt(file.substr(1, file.size() - 6));
    };
    const auto collect = [&](const std::string& path, const SeenFile& seen, std::string_view prefix,
                             Versions& into) {
      if (!startsWith(path, prefix) || !seen.bytes) return false;
      const std::string rest = path.substr(prefix.size());
      const auto slash = rest.find('/');
      if (slash == std::string::npos) return true;
      if (auto n = versionOf(rest.substr(slash + 1))) into[rest.substr(0, slash)][*n] = *seen.bytes;
      return true;
    };
    for (const auto& [path, seen] : files_) {
      if (startsWith(path, itemsPrefix)) {
        const std::string rest = path.substr(itemsPrefix.size());
        const auto slash = rest.find('/');
        if (slash == std::string::npos) continue;
        ItemFiles& item = items[rest.substr(0, slash)];
        const std::string inside = rest.substr(slash + 1);
        if (inside == layout::kMetadataFile) {
          item.metadata = seen.bytes;
        } else if (startsWith(inside, layout::kVersionsFolder)) {
          const auto n = versionOf(inside.substr(layout::kVersionsFolder.size()));
          if (n && seen.bytes) item.versions[*n] = *seen.bytes;
        } else if (startsWith(inside, layout::kFilesFolder)) {
          item.files[inside.substr(layout::kFilesFolder.size())] = &seen;
        }
      } else if (!collect(path, seen, layout::kCatalogue, catalogue) &&
                 !collect(path, seen, layout::kFeedback, feedback)) {
        collect(path, seen, layout::kRequests, requests);
      }
    }
    checkItemCount(items.size());
    checkSequences(items);
    for (const auto& [code, item] : items) checkItem(code, item);
    for (const auto& [id, versions] : catalogue) {
      for (const auto& [n, bytes] : versions) {
        checkRecordInLog("catalogue_item", id, n, bytes, "catalogue " + id);
      }
    }
    checkRecords(feedback, "feedback", layout::kInfoFeedbackCount, "feedback_count", "意见记录",
                 "feedback records");
    checkRecords(requests, "disclosure_request", layout::kInfoRequestCount, "request_count",
                 "公开申请", "applications");
  }

  // Versioned records of one kind (feedback, applications): each version against the log entry
  // that made it, and their number against bag-info (when it states one).
  void checkRecords(const std::map<std::string, std::map<std::int64_t, std::string>>& records,
                    const std::string& objectType, std::string_view infoLabel,
                    const std::string& check, const std::string& chinese,
                    const std::string& english) {
    bool inLog = true;
    for (const auto& [id, versions] : records) {
      for (const auto& [n, bytes] : versions) {
        inLog = checkRecordInLog(objectType, id, n, bytes, english + " " + id) && inLog;
      }
    }
    const auto declared = infoValue(info_, infoLabel);
    const bool countOk = !declared || toInt(*declared) == static_cast<std::int64_t>(records.size());
    add(Property::kIntegrity, check, "bag-info.txt", countOk,
        countOk ? std::to_string(records.size()) + " 件" + chinese + " (" + english + ")" +
                      (inLog ? "，均与审计日志一致 (all matching the audit log)" : "")
                : chinese + "数与 bag-info 不符 (" + english + " count does not match bag-info)");
  }

  void checkItemCount(std::size_t found) {
    const auto declared = infoValue(info_, layout::kInfoItemCount);
    std::size_t indexed = 0;
    if (const std::string* csv = bytesOf(layout::kIndexCsv)) {
      for (std::string_view line : lines(*csv)) indexed += line.empty() ? 0 : 1;
      if (indexed > 0) --indexed;  // the header
    }
    const bool ok =
        declared && toInt(*declared) == static_cast<std::int64_t>(found) && indexed == found;
    add(Property::kIntegrity, "item_count", "bag-info.txt", ok,
        ok ? "件数一致：" + std::to_string(found) +
                 " 件 (item count matches: " + std::to_string(found) + ")"
           : "件数不符 (item count mismatch): bag-info " + declared.value_or("-") +
                 "，目录 (index) " + std::to_string(indexed) + "，实际 (found) " +
                 std::to_string(found));
  }

  // 档号 format, and item numbers 1..n without gaps in each FONDS-YEAR-RETENTION-CATEGORY
  // sequence, as bag-info declares them.
  void checkSequences(const std::map<std::string, ItemFiles>& items) {
    static const std::regex kCode(
        "^([A-Z0-9]{1,16}-([0-9]{4})-(Y|D30|D10)-([A-Z]{2}))-([0-9]{4})$");
    const auto year = infoValue(info_, layout::kInfoYear);
    const auto category = infoValue(info_, layout::kInfoCategory);
    std::map<std::string, std::vector<int>> sequences;
    for (const auto& [code, item] : items) {
      std::smatch match;
      const bool formatOk = std::regex_match(code, match, kCode);
      const bool fits =
          formatOk && year && match[2].str() == *year && category && match[4].str() == *category;
      if (!fits) {
        add(Property::kIntegrity, "reference_code_format", code, false,
            "档号格式错误，或年度、类别与本包不符 (reference code malformed, or not of this "
            "bundle's year and category): " +
                code);
        continue;
      }
      sequences[match[1].str()].push_back(std::stoi(match[5].str()));
    }
    std::map<std::string, std::pair<int, int>> declared;
    for (const auto& [label, value] : info_) {
      if (label != layout::kInfoSequence) continue;
      const auto first = value.find(' '), second = value.rfind(' ');
      if (first == std::string::npos || first == second) continue;
      const auto a = toInt(value.substr(first + 1, second - first - 1));
      const auto b = toInt(value.substr(second + 1));
      if (a && b) declared[value.substr(0, first)] = {static_cast<int>(*a), static_cast<int>(*b)};
    }
    for (auto& [prefix, numbers] : sequences) {
      std::sort(numbers.begin(), numbers.end());
      std::string missing;
      int expected = 1;
      for (int n : numbers) {
        for (; expected < n; ++expected) {
          missing += (missing.empty() ? "" : ", ") + std::to_string(expected);
        }
        expected = n + 1;
      }
      const auto stated = declared.find(prefix);
      const bool matchesInfo = stated != declared.end() && stated->second.first == 1 &&
                               stated->second.second == numbers.back();
      const bool ok = missing.empty() && matchesInfo;
      add(Property::kIntegrity, "reference_sequence", prefix, ok,
          ok ? "件号 1-" + std::to_string(numbers.back()) + " 连续无缺 (item numbers 1-" +
                   std::to_string(numbers.back()) + " continuous)"
          : !missing.empty() ? "件号不连续，缺 (gap in item numbers, missing): " + missing
                             : "件号范围与 bag-info 不符 (item range does not match bag-info)");
      declared.erase(prefix);
    }
    for (const auto& [prefix, range] : declared) {
      add(Property::kIntegrity, "reference_sequence", prefix, false,
          "bag-info 声明的序列在包中没有文件 (sequence declared in bag-info has no items)");
    }
  }

  // The record's hash against the audit entry that made it (and that the checkpoint covers).
  bool checkRecordInLog(const std::string& type, const std::string& id, std::int64_t version,
                        const std::string& bytes, const std::string& subject) {
    auto found = logged_.find(type + "/" + id + "/" + std::to_string(version));
    const bool ok = found != logged_.end() && found->second == core::sha256Hex(bytes);
    if (!ok) {
      add(Property::kAuthenticity, "record_in_log", subject + " v" + std::to_string(version), false,
          "记录与审计日志不符：被改动，或日志中没有它 (record does not match the audit log: "
          "edited, or never logged)");
    }
    return ok;
  }

  void checkItem(const std::string& code, const ItemFiles& item) {
    // Required metadata.
    std::vector<std::string> problems;
    std::optional<core::JsonValue> current;
    if (!item.metadata) {
      problems.push_back("metadata.json 缺失 (missing)");
    } else if (current = parseRecord(*item.metadata); !current) {
      problems.push_back("metadata.json 无法解析 (does not parse)");
    }
    std::string documentId;
    if (current) {
      const auto id = current->integerAt("document_id");
      const std::string* title = current->stringAt("title");
      const std::string* category = current->stringAt("category");
      const std::string* status = current->stringAt("status");
      const core::JsonValue* disclosure = current->valueAt("disclosure");
      const std::string* reference = disclosure ? disclosure->stringAt("reference_code") : nullptr;
      const auto version = current->integerAt("version");
      if (!id) problems.push_back("缺 document_id (no document_id)");
      if (!title || title->empty()) problems.push_back("缺题名 (no title)");
      if (!category || category->empty() || *category != infoValue(info_, layout::kInfoCategory)) {
        problems.push_back("类别缺失或与本包不符 (category missing or not this bundle's)");
      }
      if (!status || *status != "archived")
        problems.push_back("状态不是已归档 (status is not archived)");
      if (!reference || *reference != code) {
        problems.push_back("记录中的档号与文件夹不符 (reference code differs from the folder)");
      }
      if (!version || item.versions.empty() || item.versions.rbegin()->first != *version ||
          item.versions.rbegin()->second != *item.metadata) {
        problems.push_back("metadata.json 不是最新版本 (metadata.json is not the latest version)");
      }
      if (id) documentId = std::to_string(*id);
    }
    std::int64_t expected = 1;
    for (const auto& [n, bytes] : item.versions) {
      if (n != expected++) {
        problems.push_back("版本不连续 (versions not continuous)");
        break;
      }
    }
    std::string joined;
    for (const auto& problem : problems) joined += (joined.empty() ? "" : "；") + problem;
    add(Property::kIntegrity, "required_metadata", code, problems.empty(),
        problems.empty() ? "元数据齐全 (required metadata present), " +
                               std::to_string(item.versions.size()) + " 个版本 (versions)"
                         : joined);

    // Records against the log, and files against the records.
    bool inLog = !documentId.empty();
    std::map<std::string, std::pair<std::int64_t, std::string>> expectedFiles;  // name → size, sha
    std::map<std::string, std::string> mediaTypes;
    for (const auto& [n, bytes] : item.versions) {
      if (!documentId.empty())
        inLog = checkRecordInLog("document", documentId, n, bytes, code) && inLog;
      const auto parsed = parseRecord(bytes);
      if (!parsed) continue;
      const core::JsonValue* files = parsed->valueAt("files");
      if (!files || !files->isArray()) continue;
      for (const core::JsonValue& file : files->items) {
        const auto id = file.integerAt("id");
        const std::string* name = file.stringAt("name");
        const std::string* sha = file.stringAt("sha256");
        const auto size = file.integerAt("size");
        const std::string* media = file.stringAt("media_type");
        if (!id || !name || !sha || !size) continue;
        const std::string bundled = layout::bundledFileName(*id, *name);
        expectedFiles[bundled] = {*size, *sha};
        if (media) mediaTypes[bundled] = *media;
      }
    }
    if (inLog) {
      add(Property::kAuthenticity, "record_in_log", code, true,
          "全部 " + std::to_string(item.versions.size()) +
              " 个版本记录与已签名的审计日志一致 (every version record matches the signed audit "
              "log)");
    }
    std::vector<std::string> fileProblems;
    for (const auto& [name, expectation] : expectedFiles) {
      auto found = item.files.find(name);
      if (found == item.files.end()) {
        fileProblems.push_back("缺文件 (missing file) " + name);
      } else if (found->second->size != expectation.first ||
                 found->second->sha256 != expectation.second) {
        fileProblems.push_back(
            "文件与元数据的大小或校验值不符 (size or checksum differs from the "
            "metadata) " +
            name);
      }
    }
    for (const auto& [name, seen] : item.files) {
      if (!expectedFiles.count(name))
        fileProblems.push_back("元数据未记载的文件 (file not in the metadata) " + name);
    }
    std::string fileJoined;
    for (const auto& problem : fileProblems)
      fileJoined += (fileJoined.empty() ? "" : "；") + problem;
    add(Property::kAuthenticity, "files_match_metadata", code, fileProblems.empty(),
        fileProblems.empty() ? std::to_string(expectedFiles.size()) +
                                   " 个文件的大小和校验值与元数据一致 (files match the metadata "
                                   "in size and checksum)"
                             : fileJoined);
    for (const auto& [name, type] : mediaTypes)
      declared_[std::string(layout::kItems) + code + "/" + std::string(layout::kFilesFolder) +
                name] = type;
  }

  // --- usability and safety ---------------------------------------------------------------

  void checkFiles() {
    for (const auto& [path, seen] : files_) {
      if (!seen.findings) continue;
      const FileFindings& findings = *seen.findings;
      std::vector<FileProblem> usability;
      const auto declared = declared_.find(path);
      const bool payload = startsWith(path, layout::kItems) &&
                           path.find("/" + std::string(layout::kFilesFolder)) != std::string::npos;
      for (const auto& problem : findings.usability) {
        // A payload file was inspected by its name alone; its declared type is judged below.
        if (payload && declared != declared_.end() &&
            (problem.code == "format_mismatch" || problem.code == "unknown_format")) {
          continue;
        }
        usability.push_back(problem);
      }
      if (payload && declared != declared_.end()) {
        const std::string_view expected = formatForMediaType(declared->second);
        if (expected.empty()) {
          usability.push_back({"unknown_format",
                               "未知格式，无法确认可用 (unknown format: cannot "
                               "confirm it opens): " +
                                   declared->second});
        } else if (expected != findings.format &&
                   !(expected == "zip" && (findings.format == "docx" || findings.format == "xlsx" ||
                                           findings.format == "pptx" || findings.format == "odt" ||
                                           findings.format == "ods" || findings.format == "odp" ||
                                           findings.format == "ofd"))) {
          usability.push_back({"format_mismatch", "内容格式 (content) " + findings.format +
                                                      " 与声明的类型不符 (does not match the "
                                                      "declared type) " +
                                                      declared->second});
        }
      }
      std::string text;
      for (const auto& problem : usability) text += (text.empty() ? "" : "；") + problem.message;
      add(Property::kUsability, "file_opens", path, usability.empty(),
          usability.empty()
              ? "可按 " + findings.format + " 格式打开 (opens as " + findings.format + ")"
              : text);
      text.clear();
      for (const auto& problem : findings.safety)
        text += (text.empty() ? "" : "；") + problem.message;
      add(Property::kSafety, "file_safe", path, findings.safety.empty(),
          findings.safety.empty() ? "无可执行内容、脚本、宏或加密 (no executable, script, macro "
                                    "or encryption)"
                                  : text);
    }
  }

  const VerifyOptions& options_;
  BundleReport report_;
  std::vector<TrustedKey> keys_;
  std::map<std::string, SeenFile> files_;  // path inside the bag → what was seen
  std::set<std::string> directories_;
  std::vector<std::pair<std::string, std::string>> info_;
  std::map<std::string, std::string> logged_;    // "type/id/version" → content_sha256
  std::map<std::string, std::string> declared_;  // payload path → declared media type
};

std::string jsonString(std::string_view text) {
  std::string out;
  core::appendJsonString(out, text);
  return out;
}

}  // namespace

std::string_view propertyCode(Property property) {
  switch (property) {
    case Property::kAuthenticity:
      return "authenticity";
    case Property::kIntegrity:
      return "integrity";
    case Property::kUsability:
      return "usability";
    case Property::kSafety:
      return "safety";
  }
  return "";
}

std::string_view propertyName(Property property) {
  switch (property) {
    case Property::kAuthenticity:
      return "真实性";
    case Property::kIntegrity:
      return "完整性";
    case Property::kUsability:
      return "可用性";
    case Property::kSafety:
      return "安全性";
  }
  return "";
}

bool BundleReport::passed() const { return !findings.empty() && failures() == 0; }

std::size_t BundleReport::failures() const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return !f.passed; }));
}

BundleReport verifyBundle(const std::string& tarPath, const VerifyOptions& options) {
  return Verifier(tarPath, options).run();
}

namespace {

// Text from a bundle shown on a terminal: control characters (an escape sequence in a hostile
// manifest line) are written as \xNN instead of reaching the committee's terminal.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string formatReportText(const BundleReport& report) {
  std::string out = "四性检测报告 (four-property check): " + printable(report.bundle) + "\n";
  if (!report.name.empty()) out += "归档包 (bundle): " + printable(report.name) + "\n";
  for (Property property :
       {Property::kAuthenticity, Property::kIntegrity, Property::kUsability, Property::kSafety}) {
    std::size_t passed = 0, failed = 0;
    std::string body;
    for (const Finding& f : report.findings) {
      if (f.property != property) continue;
      (f.passed ? passed : failed) += 1;
      body += std::string(f.passed ? "  [通过 PASS] " : "  [失败 FAIL] ") + f.check + "  " +
              printable(f.subject) + "\n      " + printable(f.message) + "\n";
    }
    std::string english(propertyCode(property));
    english[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(english[0])));
    out += "\n" + std::string(propertyName(property)) + " " + english + ": " +
           (failed == 0 && passed > 0 ? "通过 (pass)"
            : failed == 0             ? "未检 (not checked)"
                                      : "不通过 (fail)") +
           " — " + std::to_string(passed) + " 项通过 (passed), " + std::to_string(failed) +
           " 项失败 (failed)\n" + body;
  }
  out += "\n结论 (verdict): " +
         std::string(report.passed() ? "通过 (PASS)"
                                     : "不通过 (FAIL), " + std::to_string(report.failures()) +
                                           " 项失败 (failures)") +
         "\n";
  return out;
}

std::string formatReportJson(const BundleReport& report) {
  std::string out = "{\"bundle\":" + jsonString(report.bundle) +
                    ",\"name\":" + jsonString(report.name) +
                    ",\"passed\":" + (report.passed() ? "true" : "false") +
                    ",\"failures\":" + std::to_string(report.failures()) + ",\"properties\":{";
  bool firstProperty = true;
  for (Property property :
       {Property::kAuthenticity, Property::kIntegrity, Property::kUsability, Property::kSafety}) {
    std::size_t failed = 0, total = 0;
    for (const Finding& f : report.findings) {
      if (f.property != property) continue;
      ++total;
      failed += f.passed ? 0 : 1;
    }
    out += std::string(firstProperty ? "" : ",") + jsonString(propertyCode(property)) +
           ":{\"name\":" + jsonString(propertyName(property)) +
           ",\"passed\":" + (failed == 0 && total > 0 ? "true" : "false") +
           ",\"checks\":" + std::to_string(total) + ",\"failures\":" + std::to_string(failed) + "}";
    firstProperty = false;
  }
  out += "},\"findings\":[";
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    out += std::string(i ? "," : "") + "{\"property\":" + jsonString(propertyCode(f.property)) +
           ",\"check\":" + jsonString(f.check) + ",\"subject\":" + jsonString(f.subject) +
           ",\"passed\":" + (f.passed ? "true" : "false") +
           ",\"message\":" + jsonString(f.message) + "}";
  }
  return out + "]}\n";
}

}  // namespace gongkai::archive
