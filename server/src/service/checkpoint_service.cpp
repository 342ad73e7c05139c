#include "gongkai/server/service/checkpoint_service.h"

#include <Poco/Logger.h>

#include "gongkai/core/checkpoint.h"
#include "gongkai/core/time.h"
#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/thread_name.h"

namespace gongkai::server::service {

CheckpointService::CheckpointService(store::Store& store, std::string origin,
                                     CheckpointSigner signer, CheckpointPolicy policy)
    : store_(store), origin_(std::move(origin)), signer_(std::move(signer)), policy_(policy) {}

CheckpointService::~CheckpointService() { stop(); }

store::StoredCheckpoint CheckpointService::signIn(store::Transaction& tx) {
  const auto [size, root] = store::AuditRepository::treeHead(tx);
  const std::string text =
      core::formatCheckpoint(core::Checkpoint{origin_, static_cast<std::uint64_t>(size), root, {}});
  store::StoredCheckpoint checkpoint{
      size, core::toHex(root), signer_.name + "+" + core::note::keyIdHex(signer_.verifier.key_id),
      core::note::signNote(text, signer_.name, signer_.key), core::formatRfc3339(core::nowUtc())};
  auto stored = store::CheckpointRepository::insertIfAbsent(tx, checkpoint);
  lastSize_ = size;
  return stored;
}

core::Result<store::StoredCheckpoint> CheckpointService::checkpointNow() {
  return store_.write<store::StoredCheckpoint>(
      [this](store::Transaction& tx) -> core::Result<store::StoredCheckpoint> {
        return signIn(tx);
      });
}

core::Status CheckpointService::start() {
  hookInstalled_ = true;
  store_.setUnitHook([this](store::Transaction& tx) {
    const auto [size, root] = store::AuditRepository::treeHead(tx);
    if (lastSize_ >= 0 && size - lastSize_ < policy_.every_entries) return;
    // Other servers sharing the database sign too: what counts is the last checkpoint stored
    // (read under the writers' turn), so each size is signed once, whichever server gets there.
    lastSize_ = store::CheckpointRepository::latestSize(tx);
    if (lastSize_ < 0 || size - lastSize_ >= policy_.every_entries) signIn(tx);
  });
  // The first write also catches up after a crash between entries and their checkpoint.
  auto first = checkpointNow();
  if (!first.ok()) return first.error();
  timer_ = std::thread([this] {
    nameThisThread("gk-checkpoint");
    timerLoop();
  });
  return core::okStatus();
}

void CheckpointService::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (timer_.joinable()) timer_.join();
  // Writes after this (other services stopping, a lease given up) must not call into a
  // checkpoint service that is gone; setUnitHook waits for a batch in progress.
  if (hookInstalled_) store_.setUnitHook(nullptr);
  hookInstalled_ = false;
}

void CheckpointService::timerLoop() {
  const auto period = std::chrono::seconds(std::max(1, policy_.every_seconds));
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    lock.unlock();
    // Signs only when entries arrived since the last checkpoint; otherwise returns that one.
    auto made = checkpointNow();
    if (!made.ok()) {
      Poco::Logger::get("gongkai").warning("checkpoint failed: " + made.error().message);
    }
    lock.lock();
  }
}

}  // namespace gongkai::server::service
