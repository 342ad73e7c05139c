#include "gongkai/server/service/audit_service.h"

#include <algorithm>

#include "gongkai/core/audit_export.h"
#include "gongkai/policies/authorizer.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {

core::Status AuditService::mayRead(const Subject& subject) const {
  if (subject.system) return core::okStatus();
  if (policies_ == nullptr) {
    return core::Error::make(core::ErrorCode::kInternal, "no_policy",
                             "审计日志的读取者无法判定 (no policy to decide readers by)");
  }
  return policies::requirePermission(*policies_->engine(), subject.principal, "audit.read");
}
namespace {

using core::Error;
using core::ErrorCode;
using core::merkle::Hash;
using core::merkle::NodeId;

Error badRange(std::string message) {
  return Error::make(ErrorCode::kInvalidArgument, "invalid_range", std::move(message));
}

// Fetches the nodes a proof needs in one query and serves them to the proof builder.
class StoredNodes {
 public:
  StoredNodes(store::ReadSession& rs, const std::vector<NodeId>& ids)
      : nodes_(store::MerkleRepository::nodes(rs, ids)) {}
  core::merkle::NodeSource source() const {
    return [this](const NodeId& id) {
      const auto found = nodes_.find(id);
      if (found == nodes_.end()) {
        throw std::runtime_error("默克尔树节点缺失 (Merkle tree node missing): level " +
                                 std::to_string(id.level) + " index " + std::to_string(id.index));
      }
      return found->second;
    };
  }

 private:
  std::map<NodeId, Hash> nodes_;
};

template <typename T, typename Work>
core::Result<T> reading(store::Store& store, Work work) {
  try {
    auto session = store.read();
    return work(*session);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

}  // namespace

core::Result<std::vector<store::StoredAuditEntry>> AuditService::list(std::int64_t after,
                                                                      std::int64_t limit) {
  return reading<std::vector<store::StoredAuditEntry>>(store_, [&](store::ReadSession& rs) {
    return store::AuditRepository::list(rs, std::max<std::int64_t>(after, 0),
                                        std::clamp<std::int64_t>(limit, 1, kMaxPage));
  });
}

core::Result<std::vector<store::StoredAuditEntry>> AuditService::listForObject(
    const std::string& objectType, const std::string& objectId, std::int64_t after,
    std::int64_t limit) {
  return reading<std::vector<store::StoredAuditEntry>>(store_, [&](store::ReadSession& rs) {
    return store::AuditRepository::listForObject(rs, objectType, objectId,
                                                 std::max<std::int64_t>(after, 0),
                                                 std::clamp<std::int64_t>(limit, 1, kMaxPage));
  });
}

core::Result<std::int64_t> AuditService::size() {
  return reading<std::int64_t>(
      store_, [](store::ReadSession& rs) { return store::AuditRepository::size(rs); });
}

core::Result<std::vector<store::StoredAuditEntry>> AuditService::entries(std::int64_t start,
                                                                         std::int64_t end) {
  if (start < 0 || end < start) return badRange("需要 0 <= start <= end (need 0 <= start <= end)");
  // end - start cannot overflow (both are >= 0); end - start + 1 could, for end = INT64_MAX.
  const std::int64_t count = std::min(end - start, kMaxPage - 1) + 1;
  return list(start, count);  // leaf index i is seq i + 1, so seq > start begins at index start
}

core::Result<InclusionProof> AuditService::inclusionProof(std::int64_t index, std::int64_t size) {
  return reading<InclusionProof>(
      store_, [&](store::ReadSession& rs) -> core::Result<InclusionProof> {
        const std::int64_t current = store::AuditRepository::size(rs);
        if (size < 1 || size > current) {
          return badRange("size 应在 1 到 " + std::to_string(current) +
                          " 之间 (size must be in 1.." + std::to_string(current) + ")");
        }
        if (index < 0 || index >= size)
          return badRange("index 应小于 size (index must be below size)");
        const auto u = static_cast<std::uint64_t>(index), n = static_cast<std::uint64_t>(size);
        auto ids = core::merkle::nodesForInclusion(u, n);
        const auto rootIds = core::merkle::nodesForRoot(n);
        ids.insert(ids.end(), rootIds.begin(), rootIds.end());
        ids.push_back(NodeId{0, u});
        const StoredNodes nodes(rs, ids);
        const auto source = nodes.source();
        return InclusionProof{index, size, source(NodeId{0, u}), core::merkle::rootAt(n, source),
                              core::merkle::inclusionProof(u, n, source)};
      });
}

core::Result<ConsistencyProof> AuditService::consistencyProof(std::int64_t from, std::int64_t to) {
  return reading<ConsistencyProof>(
      store_, [&](store::ReadSession& rs) -> core::Result<ConsistencyProof> {
        const std::int64_t current = store::AuditRepository::size(rs);
        if (to > current) {
          return badRange("to 不能超过当前大小 " + std::to_string(current) +
                          " (to must not exceed " + std::to_string(current) + ")");
        }
        if (from < 1 || from > to) return badRange("需要 1 <= from <= to (need 1 <= from <= to)");
        const auto m = static_cast<std::uint64_t>(from), n = static_cast<std::uint64_t>(to);
        auto ids = core::merkle::nodesForConsistency(m, n);
        for (auto size : {m, n}) {
          const auto rootIds = core::merkle::nodesForRoot(size);
          ids.insert(ids.end(), rootIds.begin(), rootIds.end());
        }
        const StoredNodes nodes(rs, ids);
        const auto source = nodes.source();
        return ConsistencyProof{from, to, core::merkle::rootAt(m, source),
                                core::merkle::rootAt(n, source),
                                core::merkle::consistencyProof(m, n, source)};
      });
}

core::Result<std::int64_t> AuditService::sizeOrLatestCheckpoint(std::optional<std::int64_t> size) {
  if (size) return *size;
  auto latest = latestCheckpoint();
  if (!latest.ok()) return latest.error();
  return latest.value().tree_size;
}

template <typename Proof>
core::Result<CheckpointedProof<Proof>> AuditService::withCheckpoint(core::Result<Proof> proof,
                                                                    std::int64_t size) {
  if (!proof.ok()) return proof.error();
  auto checkpoint = checkpointAt(size);
  return CheckpointedProof<Proof>{
      std::move(proof).value(),
      checkpoint.ok() ? std::optional(checkpoint.value().note) : std::nullopt};
}

core::Result<CheckpointedProof<InclusionProof>> AuditService::checkpointedInclusionProof(
    std::int64_t index, std::optional<std::int64_t> size) {
  auto n = sizeOrLatestCheckpoint(size);
  if (!n.ok()) return n.error();
  return withCheckpoint(inclusionProof(index, n.value()), n.value());
}

core::Result<CheckpointedProof<ConsistencyProof>> AuditService::checkpointedConsistencyProof(
    std::int64_t from, std::optional<std::int64_t> to) {
  auto n = sizeOrLatestCheckpoint(to);
  if (!n.ok()) return n.error();
  return withCheckpoint(consistencyProof(from, n.value()), n.value());
}

core::Result<store::StoredCheckpoint> AuditService::latestCheckpoint() {
  return reading<store::StoredCheckpoint>(
      store_, [](store::ReadSession& rs) -> core::Result<store::StoredCheckpoint> {
        auto found = store::CheckpointRepository::latest(rs);
        if (!found)
          return Error::make(ErrorCode::kNotFound, "no_checkpoint",
                             "还没有检查点 (no checkpoint yet)");
        return std::move(*found);
      });
}

core::Result<store::StoredCheckpoint> AuditService::checkpointAt(std::int64_t size) {
  return reading<store::StoredCheckpoint>(
      store_, [&](store::ReadSession& rs) -> core::Result<store::StoredCheckpoint> {
        auto found = store::CheckpointRepository::atSize(rs, size);
        if (!found) {
          return Error::make(
              ErrorCode::kNotFound, "checkpoint_not_found",
              "没有该大小的检查点 (no checkpoint of that size): " + std::to_string(size));
        }
        return std::move(*found);
      });
}

core::Result<std::vector<store::StoredCheckpoint>> AuditService::checkpoints(std::int64_t after,
                                                                             std::int64_t limit) {
  return reading<std::vector<store::StoredCheckpoint>>(store_, [&](store::ReadSession& rs) {
    return store::CheckpointRepository::list(rs, after,
                                             std::clamp<std::int64_t>(limit, 1, kMaxPage));
  });
}

// Each page is read in a read transaction of its own and written after it ends: a client that
// reads the export slowly never holds a snapshot, so SQLite can keep checkpointing its WAL. The
// log is append-only, so pages read at different times still make one consistent prefix.
void AuditService::writeExport(std::ostream& out, const store::StoredCheckpoint& checkpoint) {
  out << core::audit_export::header(checkpoint.note,
                                    static_cast<std::uint64_t>(checkpoint.tree_size));
  std::int64_t after = 0;
  while (after < checkpoint.tree_size) {
    std::vector<store::StoredAuditEntry> page;
    {
      auto session = store_.read();
      page = store::AuditRepository::list(
          *session, after, std::min<std::int64_t>(10000, checkpoint.tree_size - after));
    }
    if (page.empty()) throw std::runtime_error("audit log ends before the checkpoint");
    for (const auto& entry : page) {
      out << entry.bytes << '\n';
      after = entry.seq;
    }
    if (!out) throw std::runtime_error("export stream failed");
  }
  out << core::audit_export::kEnd;
  out.flush();
}

}  // namespace gongkai::server::service
