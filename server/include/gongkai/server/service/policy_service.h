#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "gongkai/core/result.h"
#include "gongkai/policies/policy_engine.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// The policy in force as a reader sees it: its rules and the digest of its files.
struct PolicyInForce {
  std::shared_ptr<const policies::PolicyEngine> engine;
  std::string digest;  // policyDigest of the files it was loaded from
};

// The rules of a policy folder and the digest (policyDigest) of exactly the files they were read
// from: files changed while they were read are refused (kConflict) rather than paired with a
// digest of other bytes.
struct LoadedPolicy {
  policies::PolicySet set;
  std::string digest;
};
core::Result<LoadedPolicy> loadPolicyFolder(const std::string& folder);

// The policy in force. Loaded from the policy folder at start and again on reload; a reload that
// fails validation keeps the policy in force and says where the files are wrong. Thread-safe:
// each request takes the engine once and decides everything on that one.
class PolicyService {
 public:
  PolicyService(store::Store& store, std::string folder, LoadedPolicy initial);

  std::shared_ptr<const policies::PolicyEngine> engine() const;
  // The policy in force as a use case: policies.read only.
  core::Result<PolicyInForce> read(const Subject& subject) const;
  // Reads the folder again (policies.reload only); on success the new policy is in force and the
  // reload is audited with the digest of every file, which is returned. Files changed while they
  // were read are refused (kConflict), so the digest is always that of the rules in force.
  core::Result<std::string> reload(const Subject& subject);

 private:
  store::Store& store_;
  std::string folder_;
  std::mutex reloadMutex_;
  mutable std::mutex mutex_;
  std::shared_ptr<const policies::PolicyEngine> engine_;
  std::string digest_;  // of the files engine_ was loaded from; a later edit does not change it
};

// SHA-256 over the policy files of `folder` (name and bytes of each, in name order): what a
// reload's audit entry records, so the log shows which policy was in force from when.
std::string policyDigest(const std::string& folder);

}  // namespace gongkai::server::service
