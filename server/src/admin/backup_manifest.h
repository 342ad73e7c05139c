#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"

namespace gongkai::server::admin {

// The file in a backup folder that lists everything else in it. Written last, so a backup
// without one is incomplete; it ends with a line that counts the items, so a cut-off copy of it
// is told apart too.
inline constexpr std::string_view kManifestName = "manifest";

struct ManifestItem {
  // relative to the backup folder: store.db or store.pgdump, blobs/…, archives/…, keys/…
  std::string path;
  std::int64_t size = 0;
  std::string sha256;
};

struct BackupManifest {
  std::string created_at;  // RFC 3339 UTC
  int schema_version = 0;
  std::int64_t audit_size = 0;
  std::vector<ManifestItem> items;
};

// The text form: a format line, `# ` comments for people, `key value` lines, one
// `sha256<TAB>size<TAB>path` line per item, and `end <count>`.
std::string formatManifest(const BackupManifest& manifest);

// Parses and checks the text form. kCorrupt naming the line when it is not a manifest, is cut
// off, lists a path twice, or lists a path outside what a backup holds (isBackupItemPath).
core::Result<BackupManifest> parseManifest(std::string_view text);

// Whether `path` is one a backup may hold and a restore may write: store.db, store.pgdump, or a
// plain file name below blobs/XX/, archives/ or keys/ (no "..", no absolute path, nothing else).
bool isBackupItemPath(std::string_view path);

}  // namespace gongkai::server::admin
