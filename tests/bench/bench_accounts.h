#pragma once

#include <string>

#include "support/http_client.h"
#include "support/server_process.h"

namespace gongkai::bench {

// Bearer tokens of the accounts a benchmark acts as.
struct BenchAccounts {
  std::string admin, archivist, reviewer;
};

// On a server's first start: signs in as the admin it printed, adds unit branch-1 (where
// sampleMetadata files) with archivist1 and reviewer1 of it, and signs them in.
inline BenchAccounts signInBenchAccounts(const testing::ServerProcess& server,
                                         const std::string& password) {
  using namespace gongkai::testing;
  const HttpClient anonymous(server.port());
  BenchAccounts accounts;
  accounts.admin = login(anonymous, "admin", firstAdminPassword(server.log()));
  const HttpClient admin = anonymous.as(accounts.admin);
  admin.postJson("/api/v1/org-units", R"({"code":"branch-1","name":"第一支部","parent":""})");
  for (const std::string role : {"archivist", "reviewer"}) {
    admin.postJson("/api/v1/users", R"({"username":")" + role + R"(1","password":")" + password +
                                        R"(","roles":[{"role":")" + role +
                                        R"(","unit":"branch-1"}]})");
  }
  accounts.archivist = login(anonymous, "archivist1", password);
  accounts.reviewer = login(anonymous, "reviewer1", password);
  return accounts;
}

}  // namespace gongkai::bench
