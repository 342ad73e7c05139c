#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "gongkai/core/time.h"

namespace gongkai::server::service {

// What stands between a flood of logins and the two costly things a login does, a 600,000-round
// PBKDF2 and audit writes, before either happens:
//  - per client address, at most `per_address_per_minute` attempts in any minute (a fixed
//    window per address; the table is bounded, so a flood of addresses empties it rather than
//    filling memory);
//  - overall, at most `concurrent_checks` password checks at once; an attempt that finds none
//    free within a second is turned away, so logins can never take every core.
// Each refusal says how many seconds to wait (Retry-After).
class LoginThrottle {
 public:
  struct Options {
    int per_address_per_minute = 60;
    int concurrent_checks = 1;
  };
  explicit LoginThrottle(Options options) : options_(options) {}

  // Counts an attempt from `address`; the seconds to wait when it is one too many.
  std::optional<int> admit(const std::string& address, core::TimePoint now);

  // Holds one of the password-check slots for its lifetime; `acquired` is false when none came
  // free in time.
  class Slot {
   public:
    explicit Slot(LoginThrottle& throttle);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    bool acquired() const { return acquired_; }

   private:
    LoginThrottle& throttle_;
    bool acquired_ = false;
  };

 private:
  struct Window {
    core::TimePoint start{};
    int attempts = 0;
  };
  Options options_;
  std::mutex windowsMutex_;
  std::map<std::string, Window> windows_;
  std::mutex slotsMutex_;
  std::condition_variable slotFreed_;
  int busy_ = 0;
};

}  // namespace gongkai::server::service
