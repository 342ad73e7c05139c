#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/archive/sm2_signer.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/checkpoint_service.h"
#include "gongkai/server/service/job_service.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/store/archive_repository.h"

namespace gongkai::server::service {

// What to bundle: one category's archived documents of one year, against a checkpoint of the
// audit log made for the export, or an earlier one (to rebuild a bundle byte for byte).
struct BundleRequest {
  std::string category;
  int year = 0;
  std::optional<std::int64_t> checkpoint_size;
};

// Builds the signed annual archive bundles (archive/bundle_layout.h) in background jobs and keeps
// them: DATA_DIR/archives/<sha256>.tar, never changed once written, listed in the archives table.
// The bundle is signed with the audit log's Ed25519 key (so one public key checks both the
// bundle and the checkpoint inside it) and, when the unit configured one, an SM2 key too.
class ArchiveService {
 public:
  ArchiveService(store::Store& store, AuditService& audit, CheckpointService& checkpoints,
                 PolicyService& policies, const policies::CategoryCatalogue& categories,
                 JobService& jobs, std::string folder, const archive::Sm2Signer* sm2 = nullptr);

  // Checks the request (a category in force, a plausible year, at least one archived document,
  // an existing checkpoint when one is named) and queues the build. Returns the job id.
  core::Result<std::int64_t> requestBundle(const BundleRequest& request, const Subject& subject);

  core::Result<std::vector<store::ArchiveRow>> list(const std::optional<std::string>& category,
                                                    const std::optional<int>& year);
  core::Result<store::ArchiveRow> get(std::int64_t id);
  std::string pathOf(const store::ArchiveRow& archive) const;
  // The public keys a committee checks bundles with (PEM): Ed25519, and SM2 when configured.
  std::string ed25519PublicKeyPem() const;
  std::string sm2PublicKeyPem() const;

 private:
  core::Result<std::string> build(const BundleRequest& request, const Subject& subject,
                                  JobContext& context);

  store::Store& store_;
  AuditService& audit_;
  CheckpointService& checkpoints_;
  PolicyService& policies_;
  const policies::CategoryCatalogue& categories_;
  JobService& jobs_;
  std::string folder_;
  const archive::Sm2Signer* sm2_;
};

}  // namespace gongkai::server::service
