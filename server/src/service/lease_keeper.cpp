#include "gongkai/server/service/lease_keeper.h"

#include <Poco/Logger.h>
#include <unistd.h>

#include <cstdio>
#include <random>

#include "gongkai/server/thread_name.h"

namespace gongkai::server::service {

namespace {
constexpr const char* kServerPrefix = "server:";
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string newServerId(int port) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  const unsigned suffix = random() & 0xffffffu;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06x", suffix);
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(port) + ":" + hex;
}

LeaseKeeper::LeaseKeeper(store::Store& store, std::string serverId, std::string address,
                         LeaseTiming timing, bool alone)
    : store_(store),
      serverId_(std::move(serverId)),
      address_(std::move(address)),
      timing_(timing),
      alone_(alone) {
  wanted_.insert(kServerPrefix + serverId_);
}

LeaseKeeper::~LeaseKeeper() { stop(); }

core::Status LeaseKeeper::start() {
  if (alone_) {
    core::Status cleared = store_.write([&](store::Transaction& tx) -> core::Status {
      store::LeaseRepository::dropAll(tx, kServerPrefix);
      return core::okStatus();
    });
    if (!cleared.ok()) return cleared;
  }
  if (auto first = renew(); !first.ok()) return first;
  thread_ = std::thread([this] {
    nameThisThread("gk-lease");
    loop();
  });
  return core::okStatus();
}

void LeaseKeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::set<std::string> names;
  {
    std::lock_guard lock(mutex_);
    names = wanted_;
  }
  (void)store_.write([&](store::Transaction& tx) -> core::Status {
    for (const auto& name : names) store::LeaseRepository::release(tx, name, serverId_);
    return core::okStatus();
  });
}

void LeaseKeeper::want(const std::string& name) {
  std::lock_guard lock(mutex_);
  wanted_.insert(name);
}

bool LeaseKeeper::holds(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto found = seen_.find(name);
  return found != seen_.end() && found->second.holder == serverId_ &&
         found->second.expires_at_ms > nowMs();
}

std::optional<store::Lease> LeaseKeeper::lastSeen(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto found = seen_.find(name);
  if (found == seen_.end()) return std::nullopt;
  return found->second;
}

void LeaseKeeper::onRound(std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  callbacks_.push_back(std::move(callback));
}

core::Status LeaseKeeper::renew() {
  std::set<std::string> names;
  {
    std::lock_guard lock(mutex_);
    names = wanted_;
  }
  std::vector<store::Lease> leases;
  const std::int64_t now = nowMs();
  const std::int64_t until = now + timing_.ttl.count();
  core::Status claimed = store_.write([&](store::Transaction& tx) -> core::Status {
    leases.clear();
    for (const auto& name : names) {
      leases.push_back(store::LeaseRepository::claim(tx, name, serverId_, address_, now, until));
    }
    return core::okStatus();
  });
  if (!claimed.ok()) return claimed;
  std::lock_guard lock(mutex_);
  for (auto& lease : leases) seen_[lease.name] = std::move(lease);
  return core::okStatus();
}

void LeaseKeeper::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, timing_.renew_every, [this] { return stopping_; })) {
    lock.unlock();
    if (auto renewed = renew(); !renewed.ok()) {
      Poco::Logger::get("gongkai").warning("lease renewal failed: " + renewed.error().message);
    }
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard copy(mutex_);
      callbacks = callbacks_;
    }
    for (const auto& callback : callbacks) callback();
    lock.lock();
  }
}

}  // namespace gongkai::server::service
