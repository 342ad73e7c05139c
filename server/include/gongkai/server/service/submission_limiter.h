#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "gongkai/core/result.h"
#include "gongkai/core/time.h"

namespace gongkai::server::service {

// Public submissions (feedback, applications) accepted per client address in any hour: a sliding
// window per address, kept in memory (a restart forgets it, which errs on the side of the
// public). Shared by every public form so one address cannot spread over them. Thread-safe.
class SubmissionLimiter {
 public:
  using Clock = std::function<core::TimePoint()>;
  SubmissionLimiter(int perHour, Clock clock) : perHour_(perHour), clock_(std::move(clock)) {}

  // Counts one submission from `address`; kTooManyRequests once the hour's allowance is used.
  core::Status admit(const std::string& address) {
    const core::TimePoint now = clock_();
    const core::TimePoint hourAgo = now - std::chrono::hours(1);
    std::lock_guard lock(mutex_);
    // Forget addresses quiet for an hour, so the map does not grow without end.
    if (recent_.size() > 10000) {
      for (auto it = recent_.begin(); it != recent_.end();) {
        it = it->second.empty() || it->second.back() < hourAgo ? recent_.erase(it) : std::next(it);
      }
    }
    auto& times = recent_[address];
    while (!times.empty() && times.front() < hourAgo) times.pop_front();
    if (static_cast<int>(times.size()) >= perHour_) {
      return core::Error::make(core::ErrorCode::kTooManyRequests, "too_many_submissions",
                               "提交过于频繁，请稍后再试 (too many submissions from this address; "
                               "try again later)");
    }
    times.push_back(now);
    return core::okStatus();
  }

 private:
  int perHour_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, std::deque<core::TimePoint>> recent_;
};

}  // namespace gongkai::server::service
