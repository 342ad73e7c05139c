#pragma once

#include <string>

namespace gongkai::server::service {

// Who is acting. Until accounts exist (the accounts issue) every caller is "anonymous", and the
// audit log records the client address beside it.
struct Subject {
  std::string id = "anonymous";
  std::string address;  // the client's IP address, "" for local tools
};

}  // namespace gongkai::server::service
