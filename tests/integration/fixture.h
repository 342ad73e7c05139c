#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::testing {

// A running gongkai-server on a free port over a fresh data folder.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }

  // Starts the server; the first start signs in as the admin it made and files the units the
  // tests use. client() then acts as that admin; anonymous() as nobody.
  void start(std::vector<std::string> extraArgs = {}) {
    server_ = std::make_unique<ServerProcess>(dataDir(), std::move(extraArgs));
    client_ = std::make_unique<HttpClient>(server_->port());
    if (adminToken_.empty()) {
      adminPassword_ = gongkai::testing::firstAdminPassword(server_->log());
      if (adminPassword_.empty()) return;  // a data folder that had accounts already
      adminToken_ = login("admin", adminPassword_);
      client_->setDefaultHeader("Authorization", "Bearer " + adminToken_);
      addUnit("committee", "党委", "");
      for (const char* unit : {"branch-1", "branch-2", "b", "lyg-fybjy", "xiaode-wsy", "xd-wsy"}) {
        addUnit(unit, std::string("支部 ") + unit, "committee");
      }
      setupAudit_ = auditSize();
    } else {
      client_->setDefaultHeader("Authorization", "Bearer " + adminToken_);
    }
  }

  // A session token, or "" when the login is refused.
  std::string login(const std::string& username, const std::string& password) {
    return gongkai::testing::login(anonymous(), username, password);
  }

  void addUnit(const std::string& code, const std::string& name, const std::string& parent) {
    const auto response =
        client().postJson("/api/v1/org-units", R"({"code":")" + code + R"(","name":")" + name +
                                                   R"(","parent":")" + parent + R"("})");
    ASSERT_EQ(response.status, 201) << response.body;
  }

  // Makes an account with one role (unit-bound roles need `unit`) and returns its session token.
  std::string userWithRole(const std::string& username, const std::string& role,
                           const std::string& unit = "") {
    const std::string password = "pw-" + username + "-long-enough";
    std::string roles =
        R"({"role":")" + role + "\"" + (unit.empty() ? "" : R"(,"unit":")" + unit + "\"") + "}";
    const auto made =
        client().postJson("/api/v1/users", R"({"username":")" + username + R"(","password":")" +
                                               password + R"(","roles":[)" + roles + "]}");
    EXPECT_EQ(made.status, 201) << made.body;
    return login(username, password);
  }

  HttpClient anonymous() const { return HttpClient(server_->port()); }
  // The admin's Authorization header line, for requests written by hand.
  std::string authLine() const { return "Authorization: Bearer " + adminToken_ + "\r\n"; }
  void restart(std::vector<std::string> extraArgs = {}) {
    server_.reset();
    start(std::move(extraArgs));
  }

  std::string dataDir() const { return temp_ / "data"; }
  HttpClient& client() { return *client_; }
  ServerProcess& server() { return *server_; }

  // The audit position (seq, and the tree size just after it) of the test's own n-th audit
  // entry: the setup's entries come first.
  std::int64_t entryAt(std::int64_t n) const { return setupAudit_ + n; }

  std::int64_t auditSize() {
    return client().get("/healthz").json()->getValue<Poco::Int64>("audit_size");
  }
  std::int64_t documentCount() {
    return client().get("/api/v1/documents").json()->getValue<Poco::Int64>("total");
  }

  // Runs `gongkai verify-log` on the data folder; returns its exit code.
  int verifyLog(std::string& output) {
    return runCommand(
        withTestStore({GONGKAI_CLI_BINARY, "verify-log", "--data-dir", dataDir(), "--hash-blobs"}),
        output);
  }

  TempDir temp_;
  std::string adminPassword_, adminToken_;
  std::int64_t setupAudit_ = 0;  // audit entries the setup made (the admin's login, the units)
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace gongkai::testing
