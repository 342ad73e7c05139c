-- The RFC 6962 Merkle tree over audit_log (leaf index = seq - 1) and its signed checkpoints.

-- The root of every complete subtree: 2^level leaves starting at leaf index << level.
-- id = level * 2^48 + index, so the nodes of one level are one contiguous key range.
-- Kept so that appends cost O(log n) and proofs read O(log n) rows, never the whole log.
CREATE TABLE merkle_nodes (
  id INTEGER PRIMARY KEY,
  hash BLOB NOT NULL
);

-- note: the whole C2SP signed note exactly as served; root_hash (hex) and key for queries.
CREATE TABLE checkpoints (
  tree_size INTEGER PRIMARY KEY,
  root_hash TEXT NOT NULL,
  signer_key TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
);
