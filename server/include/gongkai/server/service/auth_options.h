#pragma once

#include <chrono>
#include <cstddef>

#include "gongkai/core/password.h"

namespace gongkai::server::service {

// The settings of accounts, sign-in and tokens, read from the configuration in one place; each
// account service takes what it needs from it.
struct AuthOptions {
  std::chrono::seconds session_lifetime{8 * 3600};
  int api_token_max_days = 366;
  int pbkdf2_iterations = core::kDefaultPbkdf2Iterations;
  // After this many failures in a row each further one makes the account wait 2^(n - this)
  // seconds before the next try; at lock_after_failures it is locked for lock_duration.
  int slow_after_failures = 3;
  int lock_after_failures = 10;
  std::chrono::seconds lock_duration{15 * 60};
  std::size_t min_password_length = 12;
  // Before any password check or audit write (see LoginThrottle).
  int login_attempts_per_address_per_minute = 60;
  int concurrent_password_checks = 1;
};

}  // namespace gongkai::server::service
