#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "gongkai/core/result.h"
#include "gongkai/indexer/search_index.h"
#include "gongkai/server/service/lease_keeper.h"

namespace gongkai::server::service {

class ChildProcess;

// The lease whose holder is the one server that writes the search index.
inline constexpr const char* kSearchWriterLease = "search.writer";

struct ReplicationOptions {
  // host:port where this server serves the index to the others while it writes it (the
  // address its lease carries); xapian-replicate-server listens there.
  std::string address;
  // This server's own copy of the writer's index (local disk; one folder per server).
  std::string replica_folder;
  // Xapian's tools (Debian package xapian-tools), found in PATH unless given as paths.
  std::string server_program = "xapian-replicate-server";
  std::string client_program = "xapian-replicate";
};

// What the search service does as this server's role changes.
struct IndexRoleHooks {
  // Open the index in the shared index folder and write it (the outbox worker runs); an error
  // (say the old writer's lock is still held) is tried again a moment later.
  std::function<core::Status()> becomeWriter;
  // Stop writing at once and release the index's lock; searches may go on reading it.
  std::function<void()> stopWriting;
  // Answer searches from this read-only index from now on.
  std::function<void(std::shared_ptr<indexer::SearchIndex>)> readFrom;
};

struct ReplicationState {
  bool writer = false;              // this server writes the index
  std::string writer_id;            // the server that does, "" when none holds the lease
  std::string reading;              // "master" (the shared index folder) or "replica"
  std::string replica;              // the replica's path while searches read it
  std::string writer_last_commit;   // of the index in the shared folder (RFC 3339)
  std::string replica_last_commit;  // of this server's replica
};

// Several servers sharing one database: the holder of kSearchWriterLease writes the index in the
// shared index folder and serves it with xapian-replicate-server; every other server keeps a
// replica of it with xapian-replicate (polling every second, restarted when the writer, its
// address or the index generation changes) and searches that. When the writer is gone its lease
// expires and another server takes it over, carrying on from the outbox. Until its replica is
// ready a server searches the shared index read-only. One thread makes every change (and starts
// every child, which dies with it: see ChildProcess).
class SearchReplication {
 public:
  SearchReplication(LeaseKeeper& leases, std::string indexFolder, ReplicationOptions options,
                    IndexRoleHooks hooks);
  ~SearchReplication();
  SearchReplication(const SearchReplication&) = delete;
  SearchReplication& operator=(const SearchReplication&) = delete;

  // Takes this server's first role (failing when it holds the lease but cannot open the index,
  // or when Xapian's tools are missing) and starts following the lease.
  core::Status start();
  // Stops writing or replicating; the children are gone when it returns.
  void stop();
  ReplicationState state() const;

 private:
  void loop();
  // One look at the lease and the index; acts on what changed.
  core::Status step();
  void keepServing();
  void follow();
  void showReplicaWhenReady(const std::string& name);
  void keepReplicating(const std::string& name);

  LeaseKeeper& leases_;
  const std::string indexFolder_;
  ReplicationOptions options_;
  const IndexRoleHooks hooks_;
  // The role thread's own (children and what they were started for).
  std::unique_ptr<ChildProcess> server_;
  std::unique_ptr<ChildProcess> client_;
  std::string clientTarget_;  // address and index name the client replicates
  std::chrono::steady_clock::time_point nextStart_{};
  std::string readingPath_;  // the index searches read ("" none)
  std::string lastWarning_;
  // Shared with state().
  mutable std::mutex mutex_;
  bool writing_ = false;
  bool readingReplica_ = false;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::mutex startMutex_;
  std::condition_variable started_;
  std::optional<core::Status> firstStep_;
  std::thread thread_;
};

}  // namespace gongkai::server::service
