// What an operator watches, against the real server: /metrics read by a strict Prometheus text
// parser and counting what was done, open to the allowed addresses only; /readyz naming what is
// not ready; request ids in the answer, the problem and the logs; log lines that are JSON; the
// threads named for their jobs.
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "fixture.h"
#include "support/prometheus_text.h"

namespace gongkai::testing {
namespace {

class OperationsTest : public ServerTest {
 protected:
  PrometheusText scrape() {
    const auto response = anonymous().get("/metrics");
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
    return PrometheusText(response.body);
  }
};

TEST_F(OperationsTest, MetricsCountRequestsByRouteAndShowTheStoreIndexAndJobs) {
  const std::string document =
      R"({"title":"指标测试","category":"DF","org_unit":"branch-1","scope":"public",)"
      R"("mode":"proactive","period":"immediate"})";
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(client().postJson("/api/v1/documents", document).status, 201);
  ASSERT_EQ(client().get("/api/v1/documents/999999").status, 404);
  ASSERT_EQ(
      anonymous().postJson("/api/v1/auth/login", R"({"username":"admin","password":"x"})").status,
      401);

  const PrometheusText metrics = scrape();
  EXPECT_EQ(metrics.typeOf("gongkai_http_requests_total"), "counter");
  // By route pattern, never by raw path (ids would make a series per document).
  EXPECT_EQ(metrics.value("gongkai_http_requests_total",
                          {{"method", "POST"}, {"route", "/api/v1/documents"}, {"status", "201"}}),
            3);
  EXPECT_EQ(
      metrics.value("gongkai_http_requests_total",
                    {{"method", "GET"}, {"route", "/api/v1/documents/{id}"}, {"status", "404"}}),
      1);
  for (const auto& labels : metrics.series("gongkai_http_requests_total")) {
    EXPECT_EQ(labels.at("route").find("999999"), std::string::npos);
  }
  EXPECT_EQ(metrics.typeOf("gongkai_http_request_duration_seconds"), "histogram");
  EXPECT_EQ(metrics.value("gongkai_http_request_duration_seconds_count",
                          {{"method", "POST"}, {"route", "/api/v1/documents"}}),
            3);
  EXPECT_GE(metrics.value("gongkai_http_requests_in_flight"), 1);  // this scrape
  EXPECT_GE(metrics.value("gongkai_login_refusals_total"), 1);
  EXPECT_EQ(metrics.value("gongkai_audit_entries"), auditSize());
  EXPECT_LE(metrics.value("gongkai_checkpoint_size"), auditSize());  // signed at start at least
  EXPECT_GE(metrics.value("gongkai_checkpoint_age_seconds"), 0);
  EXPECT_GE(metrics.value("gongkai_store_commit_seconds_count"), 3);
  EXPECT_GE(metrics.value("gongkai_store_batch_units_sum"), 3);
  EXPECT_TRUE(metrics.has("gongkai_search_outbox_pending"));
  EXPECT_EQ(metrics.value("gongkai_jobs", {{"state", "running"}}), 0);
  EXPECT_EQ(metrics.value("gongkai_figures_up"), 1);
}

// What `top -H`, `ps -L` and `perf` show for the server's threads: each its job's name.
TEST_F(OperationsTest, TheServersThreadsCarryTheirJobsNames) {
  ASSERT_EQ(client().get("/api/v1/search/status").status, 200);  // an HTTP thread has served
  std::set<std::string> names;
  const std::string tasks = "/proc/" + std::to_string(server().pid()) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.insert(name);
  }
  for (const char* expected :
       {"gk-store-write", "gk-search-index", "gk-checkpoint", "gk-jobs", "gk-http"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
}

TEST_F(OperationsTest, MetricsAreForTheAllowedAddressesOnly) {
  server().stop();
  // Behind a proxy on this machine: the client it names is not loopback, so not allowed.
  start({"-D", "gongkai.server.trusted_proxies=127.0.0.1,::1"});
  HttpClient outside = anonymous();
  outside.setDefaultHeader("X-Forwarded-For", "203.0.113.7");
  const auto refused = outside.get("/metrics");
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(anonymous().get("/metrics").status, 200);
  server().stop();
  start({"-D", "gongkai.server.trusted_proxies=127.0.0.1,::1", "-D",
         "gongkai.metrics.allow=203.0.113.7"});
  HttpClient monitor = anonymous();
  monitor.setDefaultHeader("X-Forwarded-For", "203.0.113.7");
  EXPECT_EQ(monitor.get("/metrics").status, 200);
  EXPECT_EQ(anonymous().get("/metrics").status, 404);
}

TEST_F(OperationsTest, ReadyzNamesWhatIsNotReady) {
  const auto ready = anonymous().get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json()->getValue<std::string>("status"), "ready");
  EXPECT_EQ(ready.json()->getObject("checks")->getValue<std::string>("store"), "ok");
  // The signing key file gone (a mount lost, a bad restore): the next start would fail.
  const std::filesystem::path keys = std::filesystem::path(dataDir()) / "keys";
  std::filesystem::rename(keys, keys.string() + ".away");
  const auto notReady = anonymous().get("/readyz");
  EXPECT_EQ(notReady.status, 503) << notReady.body;
  EXPECT_EQ(notReady.json()->getValue<std::string>("code"), "not_ready");
  const auto failing = notReady.json()->getArray("errors");
  ASSERT_EQ(failing->size(), 1u) << notReady.body;
  EXPECT_EQ(failing->getObject(0)->getValue<std::string>("field"), "signing_key");
  EXPECT_EQ(anonymous().get("/healthz").status, 200);  // it still answers
  std::filesystem::rename(keys.string() + ".away", keys);
  EXPECT_EQ(anonymous().get("/readyz").status, 200);
}

TEST_F(OperationsTest, EveryAnswerCarriesARequestIdThatTheLogsKeep) {
  HttpClient traced = anonymous();
  traced.setDefaultHeader("X-Request-Id", "trace-42.a_b");
  const auto missing = traced.get("/api/v1/documents/424242");
  EXPECT_EQ(missing.header("x-request-id"), "trace-42.a_b");
  EXPECT_EQ(missing.json()->getValue<std::string>("request_id"), "trace-42.a_b");
  // An unusable one (too long, or not of the safe characters) is replaced, not echoed.
  HttpClient hostile = anonymous();
  hostile.setDefaultHeader("X-Request-Id", "a\"b<script>");
  const std::string replaced = hostile.get("/healthz").header("x-request-id");
  EXPECT_EQ(replaced.size(), 16u) << replaced;
  EXPECT_EQ(replaced.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(anonymous().get("/healthz").header("x-request-id"), replaced);

  const std::string log = server().log();
  server().stop();  // writes out the access log
  std::ifstream accessFile(dataDir() + "/logs/access.log");
  std::string line;
  bool found = false;
  while (std::getline(accessFile, line)) {
    const auto entry = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    for (const char* field : {"time", "client", "method", "uri", "status", "ms", "request_id"})
      EXPECT_TRUE(entry->has(field)) << field << " in " << line;
    if (entry->getValue<std::string>("request_id") == "trace-42.a_b") {
      found = true;
      EXPECT_EQ(entry->getValue<int>("status"), 404);
      EXPECT_EQ(entry->getValue<std::string>("uri"), "/api/v1/documents/424242");
    }
  }
  EXPECT_TRUE(found);
  // The server's own log: one JSON object per line (the first admin's password is printed apart).
  std::istringstream serverLines(log);
  int jsonLines = 0;
  while (std::getline(serverLines, line)) {
    if (line.empty() || line[0] != '{') continue;
    const auto entry = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_TRUE(entry->has("time") && entry->has("level") && entry->has("message")) << line;
    ++jsonLines;
  }
  EXPECT_GT(jsonLines, 0) << log;
}

TEST(PrometheusTextTest, TheParserRefusesWhatPrometheusWould) {
  EXPECT_NO_THROW(
      PrometheusText("# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n"));
  const char* bad[] = {
      "a 1",                    // no final newline
      "1a 1\n",                 // bad name
      "a{x=\"1} 1\n",           // unterminated value
      "a{x=\"\\q\"} 1\n",       // bad escape
      "a one\n",                // bad value
      "a 1\na 2\n",             // the same series twice
      "a 1\n# TYPE a gauge\n",  // TYPE after samples
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",
  };
  for (const char* text : bad) {
    EXPECT_THROW(PrometheusText{text}, PrometheusText::ParseError) << text;
  }
}

}  // namespace
}  // namespace gongkai::testing
