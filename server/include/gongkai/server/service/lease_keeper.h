#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/store/lease_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

struct LeaseTiming {
  // A lease not renewed for this long is another server's to take.
  std::chrono::milliseconds ttl{10000};
  std::chrono::milliseconds renew_every{2000};
};

// Keeps this server's leases among the servers that share one database: "server:<id>", which says
// it is alive (its jobs are its own while it holds it), and whichever named leases it asked for
// (e.g. "search.writer"), taken when free or expired and renewed while held. Every round is one
// store write; the leases' times are the servers' own clocks, so they must keep time (NTP) to
// well within the ttl. Thread-safe.
class LeaseKeeper {
 public:
  // `alone`: no other server can share this store (SQLite, whose data folder is locked), so the
  // "server:" leases left by earlier runs are dropped at start rather than waited out.
  LeaseKeeper(store::Store& store, std::string serverId, std::string address, LeaseTiming timing,
              bool alone);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Claims the server's own lease (failing when the store cannot be written) and starts renewing.
  core::Status start();
  // Stops renewing and gives up every lease held, so others need not wait them out.
  void stop();

  const std::string& serverId() const { return serverId_; }
  const std::string& address() const { return address_; }
  // Asks for `name` from the next round on.
  void want(const std::string& name);
  // Whether this server holds `name` now (as of its last round, and not expired since).
  bool holds(const std::string& name) const;
  // The lease `name` as last seen, whoever holds it.
  std::optional<store::Lease> lastSeen(const std::string& name) const;
  // Called in the keeper's thread after every round (with the store's errors ignored).
  void onRound(std::function<void()> callback);
  // One round now, in this thread (the keeper's thread does them every renew_every).
  core::Status renew();

 private:
  void loop();

  store::Store& store_;
  const std::string serverId_;
  const std::string address_;
  const LeaseTiming timing_;
  const bool alone_;

  mutable std::mutex mutex_;
  std::set<std::string> wanted_;
  std::map<std::string, store::Lease> seen_;
  std::vector<std::function<void()>> callbacks_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// A name for this run of this server: host, port and a random part, so a restarted server is a
// new holder and the jobs of the run that died are adopted rather than mistaken for its own.
std::string newServerId(int port);

// Milliseconds since the Unix epoch.
std::int64_t nowMs();

}  // namespace gongkai::server::service
