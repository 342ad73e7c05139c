#include "backup_manifest.h"

#include <charconv>
#include <set>
#include <sstream>

#include "gongkai/core/sha256.h"
#include "gongkai/server/store/database_snapshot.h"

namespace gongkai::server::admin {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view kFormatLine = "gongkai-backup 1";

bool isPlainName(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!allowed) return false;
  }
  return true;
}

Error badLine(std::size_t number, std::string_view why) {
  return Error::make(ErrorCode::kCorrupt, "manifest_malformed",
                     "备份清单第 " + std::to_string(number) + " 行无效 (manifest line " +
                         std::to_string(number) + " is not valid): " + std::string(why));
}

template <typename Number>
bool parseNumber(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value >= 0;
}

bool parseItem(std::string_view line, ManifestItem& item) {
  const auto tab1 = line.find('\t');
  const auto tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
  if (tab2 == std::string_view::npos) return false;
  item.sha256 = std::string(line.substr(0, tab1));
  item.path = std::string(line.substr(tab2 + 1));
  return core::isSha256Hex(item.sha256) &&
         parseNumber(line.substr(tab1 + 1, tab2 - tab1 - 1), item.size) &&
         isBackupItemPath(item.path);
}

}  // namespace

bool isBackupItemPath(std::string_view path) {
  if (path == store::kSqliteSnapshotFile || path == store::kPostgresqlSnapshotFile) return true;
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view top = path.substr(0, slash);
  const std::string_view rest = path.substr(slash + 1);
  if (top == "archives" || top == "keys") return isPlainName(rest);
  if (top != "blobs") return false;
  const auto inner = rest.find('/');
  return inner == 2 && isPlainName(rest.substr(0, 2)) && isPlainName(rest.substr(3));
}

std::string formatManifest(const BackupManifest& manifest) {
  std::ostringstream out;
  out << kFormatLine << "\n"
      << "# Gongkai 备份清单 (backup manifest): 每行 SHA-256<TAB>字节数<TAB>路径 (one item a "
         "line)\n"
      << "# 搜索索引不在备份中，恢复后的服务器首次启动时从数据库重建 (the search index is not\n"
      << "# backed up: the restored server rebuilds it from the database when it first starts)\n"
      << "created_at " << manifest.created_at << "\n"
      << "schema_version " << manifest.schema_version << "\n"
      << "audit_size " << manifest.audit_size << "\n";
  for (const auto& item : manifest.items) {
    out << item.sha256 << "\t" << item.size << "\t" << item.path << "\n";
  }
  out << "end " << manifest.items.size() << "\n";
  return out.str();
}

core::Result<BackupManifest> parseManifest(std::string_view text) {
  BackupManifest manifest;
  std::set<std::string> paths;
  std::size_t number = 0;
  bool ended = false;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) return badLine(number + 1, "没有换行 (no line end)");
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    ++number;
    if (ended) return badLine(number, "end 之后还有内容 (text after the end line)");
    if (number == 1) {
      if (line != kFormatLine) return badLine(1, "不是 Gongkai 备份清单 (not a Gongkai manifest)");
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    const std::string_view key = line.substr(0, space);
    const std::string_view value = space == std::string_view::npos ? "" : line.substr(space + 1);
    if (key == "created_at") {
      manifest.created_at = std::string(value);
    } else if (key == "schema_version") {
      if (!parseNumber(value, manifest.schema_version)) return badLine(number, line);
    } else if (key == "audit_size") {
      if (!parseNumber(value, manifest.audit_size)) return badLine(number, line);
    } else if (key == "end") {
      std::size_t count = 0;
      if (!parseNumber(value, count) || count != manifest.items.size()) {
        return badLine(number, "条目数不符 (the item count does not match)");
      }
      ended = true;
    } else {
      ManifestItem item;
      if (!parseItem(line, item)) return badLine(number, line);
      if (!paths.insert(item.path).second) {
        return badLine(number, "路径重复 (path listed twice): " + item.path);
      }
      manifest.items.push_back(std::move(item));
    }
  }
  if (!ended) {
    return Error::make(ErrorCode::kCorrupt, "manifest_incomplete",
                       "备份清单不完整，缺少结尾行 (the manifest is cut off: no end line)");
  }
  return manifest;
}

}  // namespace gongkai::server::admin
