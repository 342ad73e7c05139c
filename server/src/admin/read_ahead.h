#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace gongkai::server::admin {

// Runs `produce` on its own thread one batch ahead of the consumer, so reading the next batch
// of entries (from SQLite or a file) overlaps with verifying this one. `produce` returns nullopt
// at the end; an exception it throws comes out of next().
template <typename Batch>
class ReadAhead {
 public:
  explicit ReadAhead(std::function<std::optional<Batch>()> produce)
      : produce_(std::move(produce)), thread_([this] { run(); }) {}

  ~ReadAhead() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next batch, or nullopt after the last.
  std::optional<Batch> next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return ready_ || done_; });
    if (ready_) {
      std::optional<Batch> out = std::move(ready_);
      ready_.reset();
      changed_.notify_all();
      return out;
    }
    if (error_) std::rethrow_exception(error_);
    return std::nullopt;
  }

 private:
  void run() {
    while (true) {
      std::optional<Batch> batch;
      try {
        batch = produce_();
      } catch (...) {
        std::lock_guard lock(mutex_);
        error_ = std::current_exception();
      }
      std::unique_lock lock(mutex_);
      if (!batch) {
        done_ = true;
        changed_.notify_all();
        return;
      }
      changed_.wait(lock, [this] { return !ready_ || stopping_; });
      if (stopping_) return;
      ready_ = std::move(batch);
      changed_.notify_all();
    }
  }

  std::function<std::optional<Batch>()> produce_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Batch> ready_;
  bool done_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace gongkai::server::admin
