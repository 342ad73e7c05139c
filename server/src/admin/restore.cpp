#include "gongkai/server/admin/restore.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "backup_manifest.h"
#include "durable_files.h"
#include "gongkai/server/store/database_snapshot.h"
#include "private_folder.h"

namespace gongkai::server::admin {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

Error refused(std::string reason, const std::string& why, const std::string& item) {
  return Error::make(ErrorCode::kCorrupt, std::move(reason),
                     "备份被拒绝 (backup refused): " + why + ": " + item);
}

core::Result<BackupManifest> readManifest(const fs::path& backup) {
  std::ifstream in(backup / kManifestName, std::ios::binary);
  if (!in) {
    return refused("manifest_missing",
                   "没有备份清单，备份不完整或不是 Gongkai 备份 (no manifest: the backup is "
                   "incomplete or not a Gongkai backup)",
                   (backup / kManifestName).string());
  }
  std::stringstream text;
  text << in.rdbuf();
  return parseManifest(text.str());
}

// What lies in the backup folder must be what the manifest lists, nothing more or less, each
// of the listed size: cheap checks before anything is copied.
core::Status checkListing(const fs::path& backup, const BackupManifest& manifest) {
  std::map<std::string, std::int64_t> listed;
  std::set<std::string> folders;
  for (const auto& item : manifest.items) {
    listed[item.path] = item.size;
    for (fs::path folder = fs::path(item.path).parent_path(); !folder.empty();
         folder = folder.parent_path()) {
      folders.insert(folder.string());
    }
  }
  std::error_code error;
  std::set<std::string> seen;
  for (auto it = fs::recursive_directory_iterator(backup, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string path = it->path().lexically_relative(backup).string();
    const auto status = it->symlink_status(error);
    if (fs::is_directory(status) && folders.count(path)) continue;
    if (fs::is_regular_file(status) && path == kManifestName) continue;
    const auto found = listed.find(path);
    if (!fs::is_regular_file(status) || found == listed.end()) {
      return refused("backup_item_extra",
                     "备份中有清单之外的文件 (an item that the manifest does not list)", path);
    }
    if (static_cast<std::int64_t>(it->file_size(error)) != found->second) {
      return refused("backup_item_altered",
                     "备份中的文件大小与清单不符 (an item's size differs from the manifest)", path);
    }
    seen.insert(path);
  }
  if (error) {
    return Error::make(ErrorCode::kIo, "io_error",
                       "无法读取备份目录 (cannot read the backup folder) " + backup.string() +
                           ": " + error.message());
  }
  for (const auto& item : manifest.items) {
    if (!seen.count(item.path)) {
      return refused("backup_item_missing",
                     "备份缺少清单所列的文件 (an item the manifest lists is missing)", item.path);
    }
  }
  return core::okStatus();
}

// A folder beside the target that a failed or check-only restore removes again.
class StagingFolder {
 public:
  explicit StagingFolder(const fs::path& target)
      : path_(target.parent_path() /
              ("." + target.filename().string() + ".restoring-" + std::to_string(::getpid()))) {}
  ~StagingFolder() {
    std::error_code error;
    if (!kept_) fs::remove_all(path_, error);
  }
  StagingFolder(const StagingFolder&) = delete;
  StagingFolder& operator=(const StagingFolder&) = delete;
  const fs::path& path() const { return path_; }
  void keep() { kept_ = true; }

 private:
  fs::path path_;
  bool kept_ = false;
};

// Copies every item into `staging`, hashing each as it passes: the digest that counts is of the
// bytes written, so a file altered after the listing check is caught too.
core::Result<std::int64_t> copyItems(const fs::path& backup, const fs::path& staging,
                                     const BackupManifest& manifest) {
  std::set<std::string> folders{staging.string()};
  std::int64_t bytes = 0;
  for (const auto& item : manifest.items) {
    const fs::path to = staging / item.path;
    if (folders.insert(to.parent_path().string()).second) {
      if (auto made = makePrivateFolder(to.parent_path().string()); !made.ok()) return made.error();
    }
    auto digest = copyHashed((backup / item.path).string(), to.string(), 0600);
    if (!digest.ok()) return digest.error();
    if (digest.value().sha256 != item.sha256 || digest.value().size != item.size) {
      return refused("backup_item_altered",
                     "备份中的文件与清单记录的 SHA-256 不符，已被改动 (an item differs from its "
                     "SHA-256 in the manifest: it was altered)",
                     item.path);
    }
    bytes += item.size;
  }
  if (const auto failed = syncFoldersUpTo(folders, staging.string()); !failed.empty())
    return Error::make(ErrorCode::kIo, "io_error", "无法写入 (cannot sync) " + failed);
  return bytes;
}

// A backup of one kind of store restores into that kind only: say so before anything is copied.
core::Status checkStoreKind(const BackupManifest& manifest, const std::string& storeUrl) {
  bool postgresql = false;
  for (const auto& item : manifest.items) {
    postgresql = postgresql || item.path == store::kPostgresqlSnapshotFile;
  }
  if (postgresql && storeUrl.empty()) {
    return Error::make(ErrorCode::kInvalidArgument, "postgresql_backup",
                       "这是 PostgreSQL 数据库的备份，请用 --store-url 指定要恢复到的空数据库 (a "
                       "backup of a PostgreSQL store: name the empty database to restore into "
                       "with --store-url)");
  }
  if (!postgresql && !storeUrl.empty()) {
    return Error::make(ErrorCode::kInvalidArgument, "sqlite_backup",
                       "这是 SQLite 数据库的备份，恢复时不要指定 --store-url (a backup of a "
                       "SQLite store: restore it without --store-url)");
  }
  return core::okStatus();
}

}  // namespace

core::Result<RestoreReport> restoreBackup(const std::string& backupDir, const std::string& dataDir,
                                          const RestoreOptions& options) {
  std::error_code error;
  if (!fs::is_directory(backupDir, error)) {
    return Error::make(ErrorCode::kNotFound, "backup_not_found",
                       "备份目录不存在 (no such backup folder): " + backupDir);
  }
  if (!isMissingOrEmpty(dataDir)) {
    return Error::make(ErrorCode::kConflict, "data_folder_not_empty",
                       "目标数据目录不为空，恢复只写入新的或空的目录 (the target data folder is "
                       "not empty; a restore only writes a new or empty folder): " +
                           dataDir);
  }
  const fs::path backup = fs::absolute(backupDir, error);
  fs::path target = fs::absolute(dataDir, error).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();  // "new/" names "new"
  auto manifest = readManifest(backup);
  if (!manifest.ok()) return manifest.error();
  if (auto kind = checkStoreKind(manifest.value(), options.store_url); !kind.ok())
    return kind.error();
  if (auto database = store::RestoredDatabase::checkTarget(options.store_url); !database.ok())
    return database.error();
  if (auto listing = checkListing(backup, manifest.value()); !listing.ok()) return listing.error();

  StagingFolder staging(target);
  fs::remove_all(staging.path(), error);  // left by a restore of this pid that was killed
  if (auto made = makePrivateFolder(staging.path().string()); !made.ok()) return made.error();
  auto bytes = copyItems(backup, staging.path(), manifest.value());
  if (!bytes.ok()) return bytes.error();
  // Loaded from the copy whose digest was just checked, not from the backup folder again.
  auto database = store::RestoredDatabase::load(staging.path().string(), options.store_url);
  if (!database.ok()) return database.error();

  RestoreReport report;
  report.items = static_cast<std::int64_t>(manifest.value().items.size());
  report.bytes = bytes.value();
  VerifyOptions verify;
  verify.hash_blobs = true;
  verify.keys = options.keys;
  verify.store_url = options.store_url;
  auto verified = verifyDataDir(staging.path().string(), verify);
  if (!verified.ok()) return verified.error();
  report.verify = std::move(verified).value();
  if (!report.verify.ok() || options.check_only) return report;

  // rename(2) replaces an empty folder at the target in one step; a non-empty one (a server
  // started on it meanwhile) makes it fail, and the staging folder goes.
  fs::rename(staging.path(), target, error);
  if (error) {
    return Error::make(
        ErrorCode::kIo, "io_error",
        "无法把恢复的目录移到目标位置 (cannot move the restored folder into place) " +
            target.string() + ": " + error.message());
  }
  staging.keep();
  database.value()->keep();
  if (!syncFolder(target.parent_path().string())) {
    return Error::make(
        ErrorCode::kIo, "io_error",
        "已恢复，但无法把目录名写入磁盘，请再运行 verify-log 核对 (restored, but the "
        "folder's name could not be synced; run verify-log on it) " +
            target.string());
  }
  report.restored = true;
  return report;
}

}  // namespace gongkai::server::admin
