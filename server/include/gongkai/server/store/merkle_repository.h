#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/merkle.h"

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// All SQL about the Merkle tree nodes and the signed checkpoints. Throws Poco exceptions on
// database failure.
class MerkleRepository {
 public:
  static void insertNodes(Transaction& tx, const std::vector<core::merkle::Node>& nodes);
  // The stored hashes of `ids`; ids not stored are missing from the map.
  static std::map<core::merkle::NodeId, core::merkle::Hash> nodes(
      ReadSession& rs, const std::vector<core::merkle::NodeId>& ids);
  // Leaves stored (level-0 nodes), i.e. one more than the largest leaf index.
  static std::uint64_t leafCount(ReadSession& rs);
  // Stored leaf hashes with index in [begin, begin + limit), in order.
  static std::vector<core::merkle::Hash> leaves(ReadSession& rs, std::uint64_t begin,
                                                std::uint64_t limit);
  static std::int64_t nodeKey(const core::merkle::NodeId& id);
};

struct StoredCheckpoint {
  std::int64_t tree_size = 0;
  std::string root_hash;   // hex
  std::string signer_key;  // "name+keyid"
  std::string note;        // the signed note
  std::string created_at;  // RFC 3339
};

class CheckpointRepository {
 public:
  // Inserts unless a checkpoint of that size exists; returns the one stored.
  static StoredCheckpoint insertIfAbsent(Transaction& tx, const StoredCheckpoint& checkpoint);
  static std::optional<StoredCheckpoint> latest(ReadSession& rs);
  // The size of the newest checkpoint as this transaction sees it, -1 when there is none.
  static std::int64_t latestSize(Transaction& tx);
  static std::optional<StoredCheckpoint> atSize(ReadSession& rs, std::int64_t size);
  // Checkpoints with tree_size > after, in order, at most `limit`.
  static std::vector<StoredCheckpoint> list(ReadSession& rs, std::int64_t after,
                                            std::int64_t limit);
};

}  // namespace gongkai::server::store
