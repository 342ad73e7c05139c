#include "gongkai/server/admin/verify_log.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <vector>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/log_verifier.h"
#include "gongkai/core/sha256.h"
#include "gongkai/server/app/config.h"
#include "gongkai/server/service/signing_key.h"
#include "gongkai/server/store/audit_log_scan.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/merkle_repository.h"
#include "gongkai/server/store/store.h"
#include "gongkai/server/store/versioned_records.h"
#include "read_ahead.h"

namespace gongkai::server::admin {
namespace {

using store::DocumentRepository;

constexpr std::int64_t kPage = 1000;
constexpr std::int64_t kEntryPage = 10000;  // entries verified per batch (spread over the cores)

using VersionKey = std::pair<std::int64_t, std::int64_t>;  // document id, version

// The audit action of a disposed version: the tombstone naming the blobs it removed.
constexpr std::string_view kDisposeAction = "document.dispose";

std::string objectName(std::int64_t id, std::int64_t version, const char* type = "document") {
  return std::string(type) + "/" + std::to_string(id) + " v" + std::to_string(version);
}

class Checker {
 public:
  Checker(store::ReadSession& session, const std::string& dataDir, const VerifyOptions& options,
          std::vector<core::note::VerifierKey> keys, VerifyReport& report)
      : session_(session),
        options_(options),
        keys_(std::move(keys)),
        report_(report),
        blobRoot_(std::filesystem::path(dataDir) / "blobs") {}

  void run() {
    checkChain();
    checkVersions();
    checkBlobs();
    checkProjections();
    for (auto kind : {store::VersionedKind::kCatalogueItem, store::VersionedKind::kFeedback,
                      store::VersionedKind::kDisclosureRequest}) {
      checkRecordVersions(kind);
    }
    for (const auto& [key, digest] : audited_) {
      fault("version_missing", objectName(key.first, key.second),
            "审计记录提到的版本在库中不存在 (an audited version is missing from the store)");
    }
  }

 private:
  void fault(std::string kind, std::string object, std::string message) {
    if (report_.state_faults.size() < kMaxStateFaults) {
      report_.state_faults.push_back({std::move(kind), std::move(object), std::move(message)});
    }
  }

  void checkChain() {
    core::LogVerifier verifier(keys_, "");
    // Every checkpoint the store kept, and those saved elsewhere, before the first entry.
    for (std::int64_t after = -1;;) {
      const auto checkpoints = store::CheckpointRepository::list(session_, after, kPage);
      for (const auto& checkpoint : checkpoints) {
        verifier.addCheckpoint(checkpoint.note,
                               "checkpoint " + std::to_string(checkpoint.tree_size));
        after = checkpoint.tree_size;
      }
      if (static_cast<std::int64_t>(checkpoints.size()) < kPage) break;
    }
    for (std::size_t i = 0; i < options_.since.size(); ++i) {
      verifier.addCheckpoint(options_.since[i], "--since");
    }
    // The session is used by the scan on the read-ahead thread alone until the entries are all
    // read: one pass over the log and the tree's leaves, a batch ahead of the verifier.
    {
      store::AuditLogScan scan(session_);
      ReadAhead<core::LogVerifier::Batch> pages([&]() -> std::optional<core::LogVerifier::Batch> {
        auto batch = scan.next(kEntryPage);
        if (batch.empty()) return std::nullopt;
        return batch;
      });
      while (auto batch = pages.next()) {
        const bool ok = verifier.addEntries(
            *batch, [this](const core::AuditEntryView& entry) { noteAudited(entry); });
        scan.recycle(std::move(*batch));
        if (!ok) break;
      }
    }  // the read-ahead thread has stopped: the session is ours again
    if (verifier.finish()) checkStoredTree(verifier);
    fillReport(report_, verifier);
  }

  // Remembers what the audit log says each document version hashes to.
  void noteAudited(const core::AuditEntryView& entry) {
    std::int64_t documentId = 0;
    const std::string_view id = entry.object_id;
    const bool numeric =
        std::from_chars(id.data(), id.data() + id.size(), documentId).ptr == id.data() + id.size();
    if (entry.object_type == "document" && entry.object_version && numeric) {
      const VersionKey key{documentId, *entry.object_version};
      audited_[key] = std::string(entry.content_sha256);
      seqOf_[key] = entry.seq;
      if (entry.action == kDisposeAction) tombstones_.insert(key);
    } else if ((entry.object_type == "catalogue_item" || entry.object_type == "feedback" ||
                entry.object_type == "disclosure_request") &&
               entry.object_version && numeric) {
      auditedRecords_[std::string(entry.object_type)][{documentId, *entry.object_version}] = {
          std::string(entry.content_sha256), entry.seq};
    }
  }

  // Proofs are built from the stored subtrees; they must give the root the entries give.
  void checkStoredTree(core::LogVerifier& verifier) {
    const auto size = static_cast<std::uint64_t>(verifier.entries());
    if (store::MerkleRepository::leafCount(session_) != size) {
      return setFault(
          static_cast<std::int64_t>(size) + 1, "tree_mismatch",
          "默克尔树的叶子数与审计记录数不符 (the Merkle tree has a different number of leaves)");
    }
    const auto ids = core::merkle::nodesForRoot(size);
    const auto nodes = store::MerkleRepository::nodes(session_, ids);
    if (nodes.size() != std::set<core::merkle::NodeId>(ids.begin(), ids.end()).size() ||
        core::merkle::rootAt(size, [&](const core::merkle::NodeId& id) { return nodes.at(id); }) !=
            verifier.root()) {
      setFault(static_cast<std::int64_t>(size), "tree_mismatch",
               "存储的默克尔树节点与记录算出的根不符 (stored Merkle nodes do not give the root of "
               "the entries)");
    }
  }

  void setFault(std::int64_t seq, std::string kind, std::string message) {
    faultOverride_ = core::ChainFault{seq, std::move(kind), std::move(message)};
  }

  void fillReport(VerifyReport& report, const core::LogVerifier& verifier) {
    report.entries = verifier.entries();
    report.head_hash = verifier.headHash();
    report.root_hash = core::toHex(verifier.root());
    report.checkpoints = verifier.checkpointsVerified();
    report.signed_size = verifier.lastCheckpointSize();
    report.chain_fault = verifier.fault() ? verifier.fault() : faultOverride_;
  }

  // Catalogue items, feedback and applications are versioned and audited like documents: each
  // stored version must be the one its audit entry hashed, and every audited version stored.
  void checkRecordVersions(store::VersionedKind kind) {
    const std::string type = store::objectTypeOf(kind);
    auto& audited = auditedRecords_[type];
    for (std::int64_t after = 0;;) {
      const auto rows = store::storedVersions(session_, kind, after, 100);
      if (rows.empty()) break;
      for (const auto& row : rows) {
        ++report_.record_versions[type];
        const std::string name = objectName(row.owner_id, row.version, type.c_str());
        const auto found = audited.find({row.owner_id, row.version});
        if (core::sha256Hex(row.record) != row.record_sha256) {
          fault("record_hash_mismatch", name,
                "记录内容与其哈希不符 (record does not match its stored hash)");
        } else if (found == audited.end() || found->second.second != row.audit_seq) {
          if (!report_.chain_fault) {
            fault("unaudited_version", name,
                  "没有审计记录对应该版本 (no audit entry made this version)");
          }
        } else if (found->second.first != row.record_sha256) {
          fault("record_hash_mismatch", name,
                "记录与审计记录的哈希不符 (record differs from what its audit entry recorded)");
        }
        if (found != audited.end()) audited.erase(found);
        after = row.owner_id;
      }
    }
    for (const auto& [key, digest] : audited) {
      fault("version_missing", objectName(key.first, key.second, type.c_str()),
            "审计记录提到的版本在库中不存在 (an audited version is missing from the store)");
    }
  }

  void checkVersions() {
    for (std::int64_t after = 0;;) {
      const auto rows = DocumentRepository::records(session_, after, 100);
      if (rows.empty()) break;
      for (const auto& row : rows) {
        checkVersion(row);
        after = row.document_id;
      }
    }
  }

  void checkVersion(const DocumentRepository::StoredRecord& row) {
    ++report_.versions;
    const VersionKey key{row.document_id, row.version};
    const std::string name = objectName(row.document_id, row.version);
    const auto audited = audited_.find(key);
    if (core::sha256Hex(row.record) != row.record_sha256) {
      fault("record_hash_mismatch", name,
            "版本记录内容与其哈希不符 (record does not match its stored hash)");
    } else if (audited == audited_.end() || seqOf_[key] != row.audit_seq) {
      // A chain fault stops the chain check early; only then may entries be missing here.
      if (!report_.chain_fault) {
        fault("unaudited_version", name,
              "没有审计记录对应该版本 (no audit entry made this version)");
      }
    } else if (audited->second != row.record_sha256) {
      fault("record_hash_mismatch", name,
            "版本记录与审计记录的哈希不符 (record differs from what its audit entry recorded)");
    }
    // A tombstone counts only when the audit log vouches for its record: the entry that made
    // the version is a disposal and hashed exactly these bytes.
    const bool vouched = audited != audited_.end() && seqOf_[key] == row.audit_seq &&
                         audited->second == row.record_sha256 &&
                         core::sha256Hex(row.record) == row.record_sha256 &&
                         tombstones_.count(key) > 0;
    if (audited != audited_.end()) audited_.erase(audited);
    auto record = core::parseRecord(row.record);
    if (!record.ok()) return fault("corrupt_record", name, record.error().message);
    latest_[row.document_id] = record.value();
    if (const auto& disposed = record.value().disclosure.disposed; disposed && vouched) {
      disposedDocuments_.insert(row.document_id);
      disposedBlobs_.insert(disposed->removed_blobs.begin(), disposed->removed_blobs.end());
    }
    for (const auto& file : record.value().files) {
      checkFileRow(name, row.document_id, file);
      ++report_.files;
      auto& reference = blobReferences_[file.sha256];
      if (reference.documents.empty()) reference = {name, file, {}};
      reference.documents.insert(row.document_id);
    }
  }

  // After every version is read, so a tombstone read later still counts for earlier versions:
  // a blob may be missing only when a vouched tombstone removed it and every document that
  // refers to it is disposed of; any other missing blob is a fault.
  void checkBlobs() {
    for (const auto& [sha256, reference] : blobReferences_) {
      if (disposedBlobs_.count(sha256) &&
          std::all_of(reference.documents.begin(), reference.documents.end(),
                      [&](std::int64_t id) { return disposedDocuments_.count(id) > 0; })) {
        ++report_.disposed_blobs;
        continue;
      }
      checkBlob(reference.owner, reference.file);
    }
  }

  // Downloads are served from the files table, so it must say what the records say.
  void checkFileRow(const std::string& owner, std::int64_t documentId,
                    const core::FileRecord& file) {
    if (!checkedFileRows_.insert(file.id).second) return;
    const auto row = DocumentRepository::file(session_, documentId, file.id);
    const bool same = row && row->name == file.name && row->media_type == file.media_type &&
                      row->size == file.size && row->sha256 == file.sha256;
    if (!same) {
      fault("file_row_mismatch", owner,
            "文件表与版本记录不符 (files row differs from the version record): " + file.name);
    }
  }

  void checkBlob(const std::string& owner, const core::FileRecord& file) {
    const auto path = blobRoot_ / file.sha256.substr(0, 2) / file.sha256;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
      return fault("blob_missing", owner, "文件内容缺失 (file contents missing): " + file.name);
    }
    if (static_cast<std::int64_t>(size) != file.size) {
      return fault("blob_mismatch", owner, "文件大小不符 (file size differs): " + file.name);
    }
    if (!options_.hash_blobs) return;
    std::ifstream in(path, std::ios::binary);
    core::Sha256 hasher;
    std::vector<char> buffer(256 * 1024);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      hasher.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (core::toHex(hasher.finish()) != file.sha256) {
      fault("blob_mismatch", owner,
            "文件内容与哈希不符 (file contents differ from their hash): " + file.name);
    }
  }

  void checkProjections() {
    std::set<std::int64_t> seen;
    for (std::int64_t after = 0;;) {
      const auto rows = DocumentRepository::projections(session_, after, kPage);
      if (rows.empty()) break;
      for (const auto& row : rows) {
        after = row.id;
        seen.insert(row.id);
        const auto latest = latest_.find(row.id);
        const std::string name = "document/" + std::to_string(row.id);
        if (latest == latest_.end()) {
          fault("projection_mismatch", name, "文档没有任何版本 (document has no versions)");
          continue;
        }
        const auto& v = latest->second;
        const bool same = row.current_version == v.version && row.category == v.metadata.category &&
                          row.org_unit == v.metadata.org_unit &&
                          row.scope == core::toString(v.metadata.scope) &&
                          row.status == core::toString(v.status) &&
                          row.year == core::disclosureYear(v.metadata, v.created_at);
        if (!same) {
          fault("projection_mismatch", name,
                "文档索引列与最新版本记录不符 (documents row differs from its latest version)");
        }
      }
    }
    for (const auto& [id, version] : latest_) {
      if (!seen.count(id)) {
        fault("projection_mismatch", "document/" + std::to_string(id),
              "有版本但没有文档行 (versions without a documents row)");
      }
    }
  }

  store::ReadSession& session_;
  const VerifyOptions& options_;
  std::vector<core::note::VerifierKey> keys_;
  VerifyReport& report_;
  std::optional<core::ChainFault> faultOverride_;
  std::filesystem::path blobRoot_;
  std::map<VersionKey, std::string> audited_;
  std::map<VersionKey, std::int64_t> seqOf_;
  // Per object type, what each audited version hashed to and the entry's seq.
  std::map<std::string, std::map<VersionKey, std::pair<std::string, std::int64_t>>> auditedRecords_;
  std::map<std::int64_t, core::DocumentVersion> latest_;
  // Every blob the records refer to: the first version naming it, and the documents that do.
  struct BlobReference {
    std::string owner;
    core::FileRecord file;
    std::set<std::int64_t> documents;
  };
  std::map<std::string, BlobReference> blobReferences_;
  std::set<VersionKey> tombstones_;  // versions made by a disposal, as the log says
  std::set<std::int64_t> disposedDocuments_;
  std::set<std::string> disposedBlobs_;
  std::set<std::int64_t> checkedFileRows_;
};

}  // namespace

core::Result<VerifyReport> verifyDataDir(const std::string& dataDir, const VerifyOptions& options) {
  auto session = store::openReader(dataDir, options.store_url);
  if (!session.ok()) return session.error();
  VerifyReport report;
  std::vector<core::note::VerifierKey> keys = options.keys;
  if (keys.empty()) {
    // Without --key, trust the keys the folder lists: this catches everything but someone who
    // also replaced the key files; an independent key (--key) or --since catches that too.
    auto listed = service::readVerifierKeys(app::defaultSigningKeyFile(dataDir));
    if (listed.ok()) keys = std::move(listed).value();
    report.keys_from_data = true;
  }
  try {
    store::prepareForWholeReads(*session.value());
    // One read transaction, so a running server's writes do not show up half-way through.
    store::withSnapshot(*session.value(), [&] {
      Checker(*session.value(), dataDir, options, std::move(keys), report).run();
    });
  } catch (const Poco::Exception& e) {
    // what() of Poco's database exceptions is only their class name.
    return core::Error::make(core::ErrorCode::kIo, "storage_error",
                             "读取数据库失败 (cannot read the database): " + e.displayText());
  } catch (const std::exception& e) {
    return core::Error::make(core::ErrorCode::kIo, "storage_error",
                             std::string("读取数据库失败 (cannot read the database): ") + e.what());
  }
  return report;
}

}  // namespace gongkai::server::admin
