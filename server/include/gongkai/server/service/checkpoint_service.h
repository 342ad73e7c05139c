#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "gongkai/core/result.h"
#include "gongkai/server/service/signing_key.h"
#include "gongkai/server/store/merkle_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

struct CheckpointPolicy {
  std::int64_t every_entries = 1000;  // a checkpoint at least every this many entries
  int every_seconds = 60;             // and within this many seconds of any new entry
};

// Signs C2SP checkpoints of the audit log's Merkle tree and keeps every one. A checkpoint is made
// in the writer right after the unit of work that brings the log N entries past the last one
// (so it commits with those entries), by a timer when entries have waited T seconds, at start
// when the log has moved on since the last one, and on request (an export or a bundle).
class CheckpointService {
 public:
  CheckpointService(store::Store& store, std::string origin, CheckpointSigner signer,
                    CheckpointPolicy policy);
  ~CheckpointService();
  CheckpointService(const CheckpointService&) = delete;
  CheckpointService& operator=(const CheckpointService&) = delete;

  // Installs the writer hook, makes a checkpoint if the log moved on, starts the timer.
  core::Status start();
  void stop();

  // A checkpoint of the log as it is now (the existing one when nothing was added since).
  core::Result<store::StoredCheckpoint> checkpointNow();

  const std::string& origin() const { return origin_; }
  const core::note::VerifierKey& verifierKey() const { return signer_.verifier; }
  // The key checkpoints are signed with; archive bundles are signed with it too.
  const core::Ed25519Signer& signingKey() const { return signer_.key; }
  // Every verifier key the log has been signed with (after rotations), current last.
  core::Result<std::vector<core::note::VerifierKey>> allVerifierKeys() const {
    return readVerifierKeys(signer_.key_file);
  }

 private:
  store::StoredCheckpoint signIn(store::Transaction& tx);
  void timerLoop();

  store::Store& store_;
  std::string origin_;
  CheckpointSigner signer_;
  CheckpointPolicy policy_;

  std::int64_t lastSize_ = -1;  // touched only in the writer thread
  bool hookInstalled_ = false;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread timer_;
};

}  // namespace gongkai::server::service
