#pragma once

#include <cstdint>
#include <string>

#include "gongkai/policies/policy_engine.h"

namespace gongkai::server::service {

// Who is acting: the account (or an anonymous caller) and where the request came from. The audit
// log records `id` as the actor and the address beside it.
struct Subject {
  std::string id = "anonymous";   // the username, or "anonymous"
  std::string address;            // the client's IP address, "" for local tools
  policies::Principal principal;  // what the policy engine decides on
  std::int64_t token_id = 0;      // the bearer token the request came with, 0 for none
  // The server itself at work (demo data at start): not a caller, so no policy decides for it.
  // Requests never carry it; only code that runs without one sets it.
  bool system = false;
};

}  // namespace gongkai::server::service
