#include "gongkai/server/admin/backup.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "backup_manifest.h"
#include "durable_files.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/time.h"
#include "gongkai/server/app/config.h"
#include "gongkai/server/store/database_snapshot.h"
#include "private_folder.h"

namespace gongkai::server::admin {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

class BackupWriter {
 public:
  BackupWriter(const std::string& dataDir, const std::string& storeUrl,
               const std::string& backupDir)
      : source_(dataDir), storeUrl_(storeUrl), target_(backupDir) {}

  core::Result<BackupReport> run() {
    BackupReport report;
    const std::string name = store::snapshotFileName(storeUrl_);
    const std::string database = (target_ / name).string();
    auto snapshot = store::snapshotDatabase(source_.string(), storeUrl_, database);
    if (!snapshot.ok()) return snapshot.error();
    // VACUUM INTO makes the file with SQLite's default mode; it holds what every other item does.
    std::error_code modeError;
    fs::permissions(database, fs::perms::owner_read | fs::perms::owner_write, modeError);
    if (modeError) return ioError("无法设置文件权限 (cannot set the file's mode) " + database);
    auto digest = hashFile(database);
    if (!digest.ok()) return digest.error();
    add(name, digest.value());
    report.audit_size = snapshot.value().audit_size;
    report.schema_version = snapshot.value().schema_version;
    for (const auto& blob : snapshot.value().blobs) {
      const std::string path = "blobs/" + blob.sha256.substr(0, 2) + "/" + blob.sha256;
      if (auto copied = copyContent(path, blob); !copied.ok()) return copied.error();
      ++report.blobs;
    }
    for (const auto& bundle : snapshot.value().bundles) {
      if (auto copied = copyContent("archives/" + bundle.sha256 + ".tar", bundle); !copied.ok())
        return copied.error();
      ++report.bundles;
    }
    auto keys = copyKeys();
    if (!keys.ok()) return keys.error();
    report.keys = keys.value();
    for (const auto& item : manifest_.items) report.bytes += item.size;
    manifest_.created_at = core::formatRfc3339(core::nowUtc());
    manifest_.schema_version = report.schema_version;
    manifest_.audit_size = report.audit_size;
    if (auto written = writeManifest(); !written.ok()) return written.error();
    return report;
  }

 private:
  void add(const std::string& path, const FileDigest& digest) {
    manifest_.items.push_back({path, digest.size, digest.sha256});
  }

  // Copies a content-named file, which must still be what its name and the database say.
  core::Status copyContent(const std::string& path, const store::ReferencedFile& expected) {
    // The name comes from the database: one that is no content hash must not lead outside.
    if (!core::isSha256Hex(expected.sha256) || !isBackupItemPath(path)) {
      return Error::make(
          ErrorCode::kCorrupt, "bad_file_reference",
          "数据库引用了无效的文件名 (the database refers to an invalid file name): " + path);
    }
    if (auto folder = folderFor(path); !folder.ok()) return folder;
    auto digest = copyHashed((source_ / path).string(), (target_ / path).string(), 0600);
    if (!digest.ok()) {
      if (digest.error().code != ErrorCode::kNotFound) return digest.error();
      return Error::make(ErrorCode::kCorrupt, "data_file_missing",
                         "数据目录缺少数据库所引用的文件 (a file the database refers to is missing "
                         "from the data folder): " +
                             path);
    }
    if (digest.value().sha256 != expected.sha256 || digest.value().size != expected.size) {
      return Error::make(ErrorCode::kCorrupt, "data_file_altered",
                         "数据目录中的文件与其哈希或大小不符，请先运行 verify-log --hash-blobs "
                         "(a file in the data folder differs from its hash or size; run "
                         "verify-log --hash-blobs): " +
                             path);
    }
    add(path, digest.value());
    return core::okStatus();
  }

  // The signing key, the verifier keys and the pseudonym key: without them the restored log
  // could not be signed on, and the checkpoints not checked.
  core::Result<std::int64_t> copyKeys() {
    const fs::path keys = fs::path(app::defaultSigningKeyFile(source_.string())).parent_path();
    std::error_code error;
    if (!fs::is_directory(keys, error)) return std::int64_t{0};
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(keys, error)) {
      if (entry.is_regular_file()) names.insert(entry.path().filename().string());
    }
    if (error) {
      return Error::make(ErrorCode::kIo, "io_error",
                         "无法读取密钥目录 (cannot read the keys folder) " + keys.string() + ": " +
                             error.message());
    }
    for (const auto& name : names) {
      const std::string path = "keys/" + name;
      if (!isBackupItemPath(path)) {
        return Error::make(ErrorCode::kInvalidArgument, "unexpected_key_file",
                           "密钥目录中有无法备份的文件名 (a file name in the keys folder that a "
                           "backup cannot hold): " +
                               (keys / name).string());
      }
      if (auto folder = folderFor(path); !folder.ok()) return folder.error();
      auto digest = copyHashed((keys / name).string(), (target_ / path).string(), 0600);
      if (!digest.ok()) return digest.error();
      add(path, digest.value());
    }
    return static_cast<std::int64_t>(names.size());
  }

  core::Status folderFor(const std::string& path) {
    const fs::path folder = (target_ / path).parent_path();
    if (!folders_.insert(folder.string()).second) return core::okStatus();
    return makePrivateFolder(folder.string());
  }

  // Every copied file was fsynced; their names become durable with their folders (and those
  // folders' names with theirs), and the manifest, last, under its final name once it is whole.
  core::Status writeManifest() {
    if (const auto failed = syncFoldersUpTo(folders_, target_.string()); !failed.empty())
      return ioError("无法写入 (cannot sync) " + failed);
    const fs::path partial = target_ / (std::string(kManifestName) + ".partial");
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      out << formatManifest(manifest_);
      out.close();
      if (!out) return ioError("无法写入 (cannot write) " + partial.string());
    }
    const bool synced = syncFile(partial.string());
    std::error_code error;
    if (synced) fs::rename(partial, target_ / kManifestName, error);
    if (!synced || error || !syncFolder(target_.string())) {
      return ioError("无法写入备份清单 (cannot write the manifest) " + partial.string());
    }
    return core::okStatus();
  }

  static Error ioError(const std::string& message) {
    return Error::make(ErrorCode::kIo, "io_error", message);
  }

  fs::path source_;
  std::string storeUrl_;
  fs::path target_;
  BackupManifest manifest_;
  std::set<std::string> folders_;
};

// Empties what a failed backup wrote, and the folder itself when it made it.
void removeBackup(const std::string& backupDir, bool created) {
  std::error_code error;
  if (created) {
    fs::remove_all(backupDir, error);
    return;
  }
  for (const auto& entry : fs::directory_iterator(backupDir, error)) {
    fs::remove_all(entry.path(), error);
  }
}

}  // namespace

core::Result<BackupReport> createBackup(const std::string& dataDir, const std::string& storeUrl,
                                        const std::string& backupDir) {
  std::error_code error;
  if (storeUrl.empty() && !fs::is_regular_file(fs::path(dataDir) / "store.db", error)) {
    return Error::make(ErrorCode::kNotFound, "no_database",
                       "数据目录中没有数据库 (no database in the data folder): " + dataDir);
  }
  if (!isMissingOrEmpty(backupDir)) {
    return Error::make(
        ErrorCode::kConflict, "backup_folder_not_empty",
        "备份目录已存在且不为空，请指定新的目录 (the backup folder exists and is not "
        "empty; name a new one): " +
            backupDir);
  }
  const bool created = !fs::exists(backupDir, error);
  if (auto made = makePrivateFolder(backupDir); !made.ok()) return made.error();
  auto report = BackupWriter(dataDir, storeUrl, backupDir).run();
  if (!report.ok()) removeBackup(backupDir, created);
  return report;
}

}  // namespace gongkai::server::admin
