#pragma once

// Reads the whole audit log in order, each entry with the leaf the Merkle tree keeps for it, for
// verify-log. With SQLite this is one sequential pass over each of the two tables (both are
// keyed by their order: audit_log by seq, the tree's leaves by index), stepped directly and
// prepared once on a connection without SQLite's per-call mutex, instead of a query per page
// through Poco::Data; with PostgreSQL it pages through the repositories as before.

#include <cstddef>
#include <memory>
#include <vector>

#include "gongkai/core/log_verifier.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::store {

// Sets up a read-only connection that is about to read most of the database once: SQLite maps
// the file (no copy of each page through the page cache) and keeps a larger cache. Call before
// the read transaction starts; does nothing with PostgreSQL.
void prepareForWholeReads(ReadSession& rs);

class AuditLogScan {
 public:
  // Reads inside the caller's read transaction on `rs`. With PostgreSQL it reads through `rs`,
  // which nothing else may use until the scan is destroyed; with SQLite on a read-only connection
  // of its own, up to the last entry `rs` sees (so `rs` is free again once this returns).
  explicit AuditLogScan(ReadSession& rs);
  ~AuditLogScan();
  AuditLogScan(const AuditLogScan&) = delete;
  AuditLogScan& operator=(const AuditLogScan&) = delete;

  // The next `limit` entries (fewer at the end; none after the last), in seq order. Each has
  // its stored hash and the tree's leaf at index seq - 1, or the zero hash when the tree has no
  // leaf there (so it shows as a mismatch). Throws Poco::Exception on a read error.
  core::LogVerifier::Batch next(std::size_t limit);
  // Gives a batch that next() returned back once it is verified, so a later next() fills its
  // memory again instead of allocating (and faulting in) megabytes per batch. Callable from
  // another thread than next().
  void recycle(core::LogVerifier::Batch batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gongkai::server::store
