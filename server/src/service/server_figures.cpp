#include "gongkai/server/service/server_figures.h"

#include <algorithm>
#include <fstream>

#include "gongkai/core/time.h"
#include "gongkai/server/store/archive_repository.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/merkle_repository.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {
namespace {

std::optional<double> secondsSince(const std::string& rfc3339) {
  const auto then = core::parseRfc3339(rfc3339);
  if (!then) return std::nullopt;
  return std::chrono::duration<double>(core::nowUtc() - *then).count();
}

}  // namespace

core::Result<ServerFigures> gatherFigures(store::Store& store, const SearchService& search) {
  ServerFigures figures;
  try {
    auto rs = store.read();
    figures.audit_entries = store::AuditRepository::size(*rs);
    if (const auto latest = store::CheckpointRepository::latest(*rs)) {
      figures.checkpoint_size = latest->tree_size;
      figures.checkpoint_age_seconds = secondsSince(latest->created_at);
    }
    figures.jobs_by_state = store::ArchiveRepository::jobCounts(*rs);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  auto status = search.status();
  if (!status.ok()) return status.error();
  figures.outbox_pending = status.value().pending;
  figures.index_versions = status.value().index.versions;
  figures.index_commit_age_seconds = secondsSince(status.value().index.last_commit);
  return figures;
}

bool Readiness::ready() const {
  for (const auto& check : checks) {
    if (!check.ok) return false;
  }
  return true;
}

Readiness checkReadiness(store::Store& store, const SearchService& search,
                         const std::string& signingKeyFile) {
  Readiness readiness;
  try {
    auto rs = store.read();
    (void)store::AuditRepository::size(*rs);
    readiness.checks.push_back({"store", true, ""});
  } catch (const std::exception& e) {
    readiness.checks.push_back({"store", false, store::storageError(e).message});
  }
  auto status = search.status();
  if (!status.ok()) {
    readiness.checks.push_back({"search_index", false, status.error().message});
  } else if (!status.value().last_error.empty()) {
    readiness.checks.push_back({"search_index", false, status.value().last_error});
  } else {
    readiness.checks.push_back({"search_index", true, ""});
  }
  // The key is in memory; a key file gone or unreadable would stop the next start.
  std::ifstream key(signingKeyFile);
  readiness.checks.push_back(
      {"signing_key", static_cast<bool>(key),
       key ? "" : "签名密钥文件无法读取 (cannot read the signing key file)"});
  return readiness;
}

core::Result<std::string> MetricsAccess::read(const Subject& subject) const {
  if (std::find(allowed_.begin(), allowed_.end(), subject.address) == allowed_.end()) {
    return core::Error::make(core::ErrorCode::kNotFound, "not_found",
                             "资源不存在 (no such resource): /metrics");
  }
  return render_();
}

}  // namespace gongkai::server::service
