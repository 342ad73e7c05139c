// The API's description as the server serves it (GET /api/v1/openapi.json): public, cacheable,
// an OpenAPI 3.1 document, and naming exactly the routes the server's router has (the server
// compares the two when it starts and logs each difference).
#include <Poco/JSON/Parser.h>

#include "fixture.h"

namespace gongkai::testing {
namespace {

class OpenApiTest : public ServerTest {};

TEST_F(OpenApiTest, IsServedToAnyoneAsOpenApi31Json) {
  const auto served = anonymous().get("/api/v1/openapi.json");
  ASSERT_EQ(served.status, 200) << served.body.substr(0, 500);
  EXPECT_EQ(served.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(served.header("Cache-Control"), "public, no-cache");
  const auto document = served.json();
  EXPECT_EQ(document->getValue<std::string>("openapi"), "3.1.0");
  const auto paths = document->getObject("paths");
  ASSERT_TRUE(paths);
  for (const char* path : {"/healthz", "/api/v1/openapi.json", "/api/v1/documents/{id}",
                           "/api/v1/feedback/receipt/{code}", "/api/v1/audit/proof/inclusion"}) {
    EXPECT_TRUE(paths->has(path)) << path;
  }

  const std::string etag = served.header("ETag");
  ASSERT_FALSE(etag.empty());
  const auto again = anonymous().get("/api/v1/openapi.json", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(OpenApiTest, NamesEveryRouteTheRouterHasAndNoOther) {
  // Logged at start, before the server listens: complete by the time the fixture has a client.
  const std::string log = server().log();
  EXPECT_NE(log.find("listening on"), std::string::npos) << log;
  EXPECT_EQ(log.find("OpenAPI description:"), std::string::npos) << log;
}

}  // namespace
}  // namespace gongkai::testing
