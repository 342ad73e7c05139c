#include "preservation_renditions.h"

#include <Poco/Logger.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "gongkai/archive/file_inspector.h"
#include "gongkai/core/audit_entry.h"
#include "gongkai/core/document.h"
#include "gongkai/core/media_types.h"
#include "gongkai/server/service/audit_trail.h"
#include "gongkai/server/store/archive_repository.h"
#include "gongkai/server/store/versioned_records.h"

namespace gongkai::server::service {
namespace {

namespace fs = std::filesystem;
using store::ArchiveRepository;

// What the bytes of a file are; nullopt when it cannot be read.
std::optional<archive::FileFindings> inspect(const std::string& path, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  archive::FileInspector inspector(name, "");
  std::vector<char> buffer(256 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) inspector.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  return inspector.finish();
}

// The extension LibreOffice picks its import filter by, for a file of these findings.
std::string extensionFor(const archive::FileFindings& findings) {
  if (findings.format != "ole") return findings.format;
  const std::string& puid = findings.identification.puid;
  if (puid == "fmt/61") return "xls";
  if (puid == "fmt/126") return "ppt";
  return "doc";
}

// Whether a file declared so may be an office document: the cheap test before its bytes are read.
bool mayWantRendition(const core::FileRecord& file) {
  std::string_view format = core::formatForMediaType(file.media_type);
  if (format.empty()) {
    const auto dot = file.name.rfind('.');
    if (dot != std::string::npos) format = core::formatForExtension(file.name.substr(dot + 1));
  }
  return format.empty() || archive::wantsPreservationRendition(format);
}

Poco::Logger& logger() { return Poco::Logger::get("gongkai.archive"); }

}  // namespace

std::optional<PreservationRenditions::Logged> PreservationRenditions::loggedFor(
    store::ReadSession& session, const std::string& originalSha256, std::int64_t maxSeq) {
  for (auto& entry :
       ArchiveRepository::auditEntriesAbout(session, kObjectType, originalSha256, maxSeq)) {
    auto parsed = core::parseAuditEntry(entry.bytes);
    if (!parsed.ok()) continue;
    // The first one counts; a second (two servers at once) is ignored everywhere alike.
    return Logged{std::move(entry), parsed.value().content_sha256};
  }
  return std::nullopt;
}

PreservationRenditions::Outcome PreservationRenditions::makeFor(const std::string& fonds, int year,
                                                                const std::string& category,
                                                                const Subject& subject,
                                                                const JobContext& context) {
  // Every file any version of the filed documents held, once per blob, with a name for it.
  std::map<std::string, core::FileRecord> blobs;
  {
    auto session = store_.read();
    for (const auto& reference :
         ArchiveRepository::referenceCodes(*session, fonds, year, category)) {
      for (const auto& stored : store::versionsUpTo(*session, store::VersionedKind::kDocument,
                                                    reference.document_id, INT64_MAX)) {
        auto version = core::parseRecord(stored.record);
        if (!version.ok()) continue;  // the bundle's build reports it
        for (const core::FileRecord& file : version.value().files) {
          if (mayWantRendition(file)) blobs.emplace(file.sha256, file);
        }
      }
    }
    for (auto it = blobs.begin(); it != blobs.end();) {
      it = loggedFor(*session, it->first, INT64_MAX) ? blobs.erase(it) : std::next(it);
    }
  }
  Outcome outcome;
  const bool available = !converter_.program().empty();
  for (const auto& [sha256, file] : blobs) {
    if (context.cancelRequested()) break;
    const auto findings = inspect(store_.blobs().pathOf(sha256), file.name);
    if (!findings || !archive::wantsPreservationRendition(findings->format)) continue;
    if (!available) {
      ++outcome.missing;
      continue;
    }
    if (auto failure = makeOne(sha256, extensionFor(*findings), subject)) {
      ++outcome.failed;
      outcome.failures.push_back(std::move(*failure));
    } else {
      ++outcome.made;
    }
  }
  if (outcome.missing > 0) {
    logger().warning(std::to_string(outcome.missing) +
                     " 个文件无 PDF/A 保存版本：没有转换程序 (files without a PDF/A rendition: no "
                     "converter; install libreoffice-writer-nogui or set "
                     "gongkai.archive.converter)");
  }
  return outcome;
}

std::optional<PreservationRenditions::Failure> PreservationRenditions::makeOne(
    const std::string& sha256, const std::string& extension, const Subject& subject) {
  const fs::path made = fs::path(store_.dataDir()) / "tmp" / ("rendition-" + sha256 + ".pdf");
  std::error_code ec;
  fs::create_directories(made.parent_path(), ec);
  const auto cleanup = [&] { fs::remove(made, ec); };
  if (auto converted = converter_.convert(store_.blobs().pathOf(sha256), extension, made.string());
      !converted.ok()) {
    logger().warning("PDF/A 转换失败 (PDF/A conversion failed) " + sha256 + ": " +
                     converted.error().message);
    cleanup();
    return Failure{sha256, converted.error().reason, converted.error().message};
  }
  const auto findings = inspect(made.string(), "rendition.pdf");
  if (!findings || !findings->identification.long_term || !findings->safety.empty()) {
    const std::string message =
        "转换结果不是可用的 PDF/A，已舍弃 (conversion gave no usable PDF/A, dropped)" +
        (findings ? ": " + archive::describeFormat(findings->identification) : std::string());
    logger().warning(message + " " + sha256);
    cleanup();
    return Failure{sha256, "not_pdfa", message};
  }
  std::ifstream in(made, std::ios::binary);
  auto staged = store_.blobs().stage(in, INT64_MAX);
  in.close();
  cleanup();
  if (!staged.ok()) {
    logger().warning("PDF/A 保存版本无法保存 (cannot keep the rendition): " +
                     staged.error().message);
    return Failure{sha256, "rendition_store", staged.error().message};
  }
  if (auto kept = store_.blobs().promote(staged.value()); !kept.ok()) {
    logger().warning("PDF/A 保存版本无法保存 (cannot keep the rendition): " + kept.error().message);
    return Failure{sha256, "rendition_store", kept.error().message};
  }
  const std::string renditionSha = staged.value().sha256();
  const auto recorded = store_.write([&](store::Transaction& tx) -> core::Status {
    // Another build may have made one meanwhile: the first recorded stands.
    if (ArchiveRepository::hasAuditEntryAbout(tx, kObjectType, sha256)) return core::okStatus();
    appendAudit(tx, subject, "file.rendition", kObjectType, sha256, 1, renditionSha);
    return core::okStatus();
  });
  if (!recorded.ok()) {
    logger().warning("PDF/A 保存版本无法记录 (cannot record the rendition): " +
                     recorded.error().message);
    return Failure{sha256, "rendition_store", recorded.error().message};
  }
  return std::nullopt;
}

}  // namespace gongkai::server::service
