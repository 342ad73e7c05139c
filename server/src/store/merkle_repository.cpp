#include "gongkai/server/store/merkle_repository.h"

#include <Poco/Data/LOB.h>

#include <cstring>

#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;
using core::merkle::Hash;
using core::merkle::NodeId;

namespace {

constexpr int kLevelShift = 48;

Hash toHash(const Poco::Data::BLOB& blob) {
  Hash hash{};
  if (blob.size() == hash.size()) std::memcpy(hash.data(), blob.rawContent(), hash.size());
  return hash;
}

NodeId fromKey(std::int64_t key) {
  return NodeId{static_cast<int>(key >> kLevelShift),
                static_cast<std::uint64_t>(key & ((std::int64_t{1} << kLevelShift) - 1))};
}

std::vector<StoredCheckpoint> selectCheckpoints(ReadSession& rs, const std::string& where,
                                                Poco::Int64 a, Poco::Int64 b) {
  std::vector<Poco::Int64> sizes;
  std::vector<std::string> roots, keys, notes, times;
  rs.session() << "SELECT tree_size, root_hash, signer_key, note, created_at FROM checkpoints " +
                      where,
      use(a), use(b), into(sizes), into(roots), into(keys), into(notes), into(times), now;
  std::vector<StoredCheckpoint> out;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    out.push_back(StoredCheckpoint{sizes[i], std::move(roots[i]), std::move(keys[i]),
                                   std::move(notes[i]), std::move(times[i])});
  }
  return out;
}

}  // namespace

std::int64_t MerkleRepository::nodeKey(const NodeId& id) {
  return (static_cast<std::int64_t>(id.level) << kLevelShift) | static_cast<std::int64_t>(id.index);
}

void MerkleRepository::insertNodes(Transaction& tx, const std::vector<core::merkle::Node>& nodes) {
  // All of an entry's nodes (its leaf and the subtrees it completes, two on average) in one
  // statement; one kept prepared statement for each count of nodes.
  if (nodes.empty()) return;
  std::string sql = "INSERT INTO merkle_nodes (id, hash) VALUES (?, ?)";
  std::vector<KeptValue> values;
  values.reserve(2 * nodes.size());
  for (const auto& node : nodes) {
    if (!values.empty()) sql += ", (?, ?)";
    values.push_back(KeptValue::integer(nodeKey(node.id)));
    values.push_back(KeptValue::blob(
        std::string_view(reinterpret_cast<const char*>(node.hash.data()), node.hash.size())));
  }
  tx.session().execute(sql, values);
}

std::map<NodeId, Hash> MerkleRepository::nodes(ReadSession& rs, const std::vector<NodeId>& ids) {
  std::map<NodeId, Hash> out;
  if (ids.empty()) return out;
  // Keys are integers we computed, so they go into the statement text; one query, one round.
  std::string list;
  for (const NodeId& id : ids) {
    if (!list.empty()) list += ',';
    list += std::to_string(nodeKey(id));
  }
  std::vector<Poco::Int64> keys;
  std::vector<Poco::Data::BLOB> hashes;
  rs.session() << "SELECT id, hash FROM merkle_nodes WHERE id IN (" + list + ")", into(keys),
      into(hashes), now;
  for (std::size_t i = 0; i < keys.size(); ++i) out[fromKey(keys[i])] = toHash(hashes[i]);
  return out;
}

std::uint64_t MerkleRepository::leafCount(ReadSession& rs) {
  Poco::Int64 last = -1;
  Poco::Int64 levelOneStart = std::int64_t{1} << kLevelShift;
  rs.session() << "SELECT COALESCE(MAX(id), -1) FROM merkle_nodes WHERE id < ?", use(levelOneStart),
      into(last), now;
  return static_cast<std::uint64_t>(last + 1);
}

std::vector<Hash> MerkleRepository::leaves(ReadSession& rs, std::uint64_t begin,
                                           std::uint64_t limit) {
  Poco::Int64 from = static_cast<Poco::Int64>(begin);
  Poco::Int64 to =
      static_cast<Poco::Int64>(std::min(begin + limit, std::uint64_t{1} << kLevelShift));
  std::vector<Poco::Data::BLOB> hashes;
  rs.session() << "SELECT hash FROM merkle_nodes WHERE id >= ? AND id < ? ORDER BY id", use(from),
      use(to), into(hashes), now;
  std::vector<Hash> out;
  out.reserve(hashes.size());
  for (const auto& blob : hashes) out.push_back(toHash(blob));
  return out;
}

StoredCheckpoint CheckpointRepository::insertIfAbsent(Transaction& tx, const StoredCheckpoint& c) {
  Poco::Int64 size = c.tree_size;
  std::string root = c.root_hash, key = c.signer_key, note = c.note, time = c.created_at;
  tx.session() << "INSERT INTO checkpoints (tree_size, root_hash, signer_key, note, created_at) "
                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING",
      use(size), use(root), use(key), use(note), use(time), now;
  std::vector<Poco::Int64> sizes;
  std::vector<std::string> roots, keys, notes, times;
  tx.session() << "SELECT tree_size, root_hash, signer_key, note, created_at FROM checkpoints "
                  "WHERE tree_size = ?",
      use(size), into(sizes), into(roots), into(keys), into(notes), into(times), now;
  return StoredCheckpoint{sizes.at(0), roots.at(0), keys.at(0), notes.at(0), times.at(0)};
}

std::optional<StoredCheckpoint> CheckpointRepository::latest(ReadSession& rs) {
  auto found = selectCheckpoints(rs, "WHERE tree_size >= ? ORDER BY tree_size DESC LIMIT ?", 0, 1);
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

std::int64_t CheckpointRepository::latestSize(Transaction& tx) {
  Poco::Int64 size = -1;
  tx.session() << "SELECT COALESCE(MAX(tree_size), -1) FROM checkpoints", into(size), now;
  return size;
}

std::optional<StoredCheckpoint> CheckpointRepository::atSize(ReadSession& rs, std::int64_t size) {
  auto found = selectCheckpoints(rs, "WHERE tree_size = ? LIMIT ?", size, 1);
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

std::vector<StoredCheckpoint> CheckpointRepository::list(ReadSession& rs, std::int64_t after,
                                                         std::int64_t limit) {
  return selectCheckpoints(rs, "WHERE tree_size > ? ORDER BY tree_size LIMIT ?", after, limit);
}

}  // namespace gongkai::server::store
