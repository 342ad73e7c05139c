#include "gongkai/server/service/policy_service.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gongkai/core/sha256.h"
#include "gongkai/policies/authorizer.h"
#include "gongkai/server/service/audit_trail.h"

namespace gongkai::server::service {

namespace fs = std::filesystem;

std::string policyDigest(const std::string& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    all += file.filename().string() + '\n' + core::sha256Hex(bytes.str()) + '\n';
  }
  return core::sha256Hex(all);
}

core::Result<LoadedPolicy> loadPolicyFolder(const std::string& folder) {
  // The digest before and after reading: equal, it is the digest of what was read.
  const std::string digest = policyDigest(folder);
  auto loaded = policies::PolicySet::loadFolder(folder);
  if (!loaded.ok()) return loaded.error();
  if (policyDigest(folder) != digest) {
    return core::Error::make(core::ErrorCode::kConflict, "policy_changed_while_loading",
                             "策略文件在载入时被修改，请再试一次 (the policy files changed while "
                             "they were read; try again)");
  }
  return LoadedPolicy{std::move(loaded).value(), digest};
}

PolicyService::PolicyService(store::Store& store, std::string folder, LoadedPolicy initial)
    : store_(store),
      folder_(std::move(folder)),
      engine_(std::make_shared<const policies::PolicyEngine>(std::move(initial.set))),
      digest_(std::move(initial.digest)) {}

std::shared_ptr<const policies::PolicyEngine> PolicyService::engine() const {
  std::lock_guard lock(mutex_);
  return engine_;
}

core::Result<PolicyInForce> PolicyService::read(const Subject& subject) const {
  std::shared_ptr<const policies::PolicyEngine> current;
  std::string digest;
  {
    std::lock_guard lock(mutex_);
    current = engine_;
    digest = digest_;
  }
  if (!subject.system) {
    if (auto allowed = policies::requirePermission(*current, subject.principal, "policies.read");
        !allowed.ok()) {
      return allowed.error();
    }
  }
  return PolicyInForce{current, digest};
}

core::Result<std::string> PolicyService::reload(const Subject& subject) {
  if (!subject.system) {
    if (auto allowed = policies::requirePermission(*engine(), subject.principal, "policies.reload");
        !allowed.ok()) {
      return allowed.error();
    }
  }
  // One reload at a time, so the audit log's order is the order policies came into force.
  std::lock_guard reloading(reloadMutex_);
  auto loaded = loadPolicyFolder(folder_);
  if (!loaded.ok()) return loaded.error();
  const std::string digest = loaded.value().digest;
  auto recorded = store_.write([&](store::Transaction& tx) -> core::Status {
    appendAudit(tx, subject, "policy.reload", "policy", "policies", std::nullopt, digest);
    return core::okStatus();
  });
  if (!recorded.ok()) return recorded.error();
  std::lock_guard lock(mutex_);
  engine_ = std::make_shared<const policies::PolicyEngine>(std::move(loaded).value().set);
  digest_ = digest;
  return digest;
}

}  // namespace gongkai::server::service
