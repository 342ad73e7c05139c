#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "gongkai/core/merkle.h"
#include "gongkai/core/result.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/merkle_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

struct InclusionProof {
  std::int64_t index = 0;  // leaf index = seq - 1
  std::int64_t size = 0;
  core::merkle::Hash leaf_hash{};
  core::merkle::Hash root{};
  std::vector<core::merkle::Hash> proof;
};

struct ConsistencyProof {
  std::int64_t from = 0;
  std::int64_t to = 0;
  core::merkle::Hash root1{};
  core::merkle::Hash root2{};
  std::vector<core::merkle::Hash> proof;
};

// A proof as a verifier asks for it, with the note of the signed checkpoint of its tree size
// when there is one (nullopt otherwise).
template <typename Proof>
struct CheckpointedProof {
  Proof proof;
  std::optional<std::string> checkpoint;
};

// Read access to the audit log, its Merkle tree and its checkpoints. Entries are written only by
// the services that make changes; checkpoints only by the CheckpointService.
class AuditService {
 public:
  static constexpr std::int64_t kMaxPage = 1000;
  explicit AuditService(store::Store& store) : store_(store) {}
  // With the policy in force, readers are decided on (mayRead); tools and tests leave it out.
  AuditService(store::Store& store, const PolicyService& policies)
      : store_(store), policies_(&policies) {}

  // Whether the subject may read the log, proofs, checkpoints and exports: audit.read, since
  // entries name who did what to which document. Every reading use case asks this first.
  core::Status mayRead(const Subject& subject) const;

  // Entries with seq > after, in order; `limit` is clamped to 1..kMaxPage.
  core::Result<std::vector<store::StoredAuditEntry>> list(std::int64_t after, std::int64_t limit);
  // Only the entries about one object, e.g. a document's timeline.
  core::Result<std::vector<store::StoredAuditEntry>> listForObject(const std::string& objectType,
                                                                   const std::string& objectId,
                                                                   std::int64_t after,
                                                                   std::int64_t limit);
  core::Result<std::int64_t> size();
  // Entries by leaf index, start..end inclusive (as RFC 6962's get-entries), at most kMaxPage.
  core::Result<std::vector<store::StoredAuditEntry>> entries(std::int64_t start, std::int64_t end);

  // Proofs against the tree of `size` entries (<= the current size), read from stored subtrees.
  core::Result<InclusionProof> inclusionProof(std::int64_t index, std::int64_t size);
  core::Result<ConsistencyProof> consistencyProof(std::int64_t from, std::int64_t to);
  // The same against `size` (`to`) entries or, when not given, as many as the latest checkpoint
  // has, so that the proof checks against a root someone signed.
  core::Result<CheckpointedProof<InclusionProof>> checkpointedInclusionProof(
      std::int64_t index, std::optional<std::int64_t> size);
  core::Result<CheckpointedProof<ConsistencyProof>> checkpointedConsistencyProof(
      std::int64_t from, std::optional<std::int64_t> to);

  core::Result<store::StoredCheckpoint> latestCheckpoint();
  core::Result<store::StoredCheckpoint> checkpointAt(std::int64_t size);
  core::Result<std::vector<store::StoredCheckpoint>> checkpoints(std::int64_t after,
                                                                 std::int64_t limit);

  // Writes the export file (core/audit_export.h) of entries 1..checkpoint.tree_size, reading
  // them page by page. Throws when the stream or the store fails part way.
  void writeExport(std::ostream& out, const store::StoredCheckpoint& checkpoint);

 private:
  // `size` if given, else the latest checkpoint's tree size.
  core::Result<std::int64_t> sizeOrLatestCheckpoint(std::optional<std::int64_t> size);
  // The proof with the note of the checkpoint of `size` entries, if there is one.
  template <typename Proof>
  core::Result<CheckpointedProof<Proof>> withCheckpoint(core::Result<Proof> proof,
                                                        std::int64_t size);

  store::Store& store_;
  const PolicyService* policies_ = nullptr;
};

}  // namespace gongkai::server::service
