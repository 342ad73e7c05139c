#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace gongkai::testing {

// A running gongkai-server on a free port over a fresh data folder.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }

  void start(std::vector<std::string> extraArgs = {}) {
    server_ = std::make_unique<ServerProcess>(dataDir(), std::move(extraArgs));
    client_ = std::make_unique<HttpClient>(server_->port());
  }
  void restart(std::vector<std::string> extraArgs = {}) {
    server_.reset();
    start(std::move(extraArgs));
  }

  std::string dataDir() const { return temp_ / "data"; }
  HttpClient& client() { return *client_; }
  ServerProcess& server() { return *server_; }

  std::int64_t auditSize() {
    return client().get("/healthz").json()->getValue<Poco::Int64>("audit_size");
  }
  std::int64_t documentCount() {
    return client().get("/api/v1/documents").json()->getValue<Poco::Int64>("total");
  }

  // Runs `gongkai verify-log` on the data folder; returns its exit code.
  int verifyLog(std::string& output) {
    return runCommand({GONGKAI_CLI_BINARY, "verify-log", "--data-dir", dataDir(), "--hash-blobs"},
                      output);
  }

  TempDir temp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace gongkai::testing
