// How the server compares its router with the OpenAPI description it serves (the check the
// integration suite relies on to find a route that is not described).
#include <gtest/gtest.h>

#include <algorithm>

#include "gongkai/server/http/openapi.h"
#include "gongkai/server/net/openapi_check.h"

namespace gongkai::server::http {
namespace {

TEST(OpenApiRoutesTest, NamesRoutesLeftOutAndOperationsWithoutARoute) {
  net::Router router;
  router.add("GET", "/a", [](net::Exchange&) {});
  router.add("POST", "/b/{id}", [](net::Exchange&) {});
  router.add("GET", "/", [](net::Exchange&) {});
  const auto found = net::undescribedRoutes(
      router, R"({"openapi":"3.1.0","paths":{"/a":{"get":{}},"/":{"get":{}},"/c":{"put":{}}}})");
  EXPECT_EQ(found, (std::vector<std::string>{"POST /b/{id}: not described",
                                             "PUT /c: described but not routed"}));
}

TEST(OpenApiRoutesTest, AgreeingRouterAndDescriptionGiveNothing) {
  net::Router router;
  router.add("GET", "/a/{id}", [](net::Exchange&) {});
  EXPECT_TRUE(net::undescribedRoutes(router, R"({"paths":{"/a/{id}":{"get":{},"parameters":[]}}})")
                  .empty());
}

TEST(OpenApiRoutesTest, ADescriptionThatIsNoJsonIsOneComplaint) {
  const auto found = net::undescribedRoutes(net::Router(), "openapi: 3.1.0");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("no JSON object"), std::string::npos) << found[0];
}

TEST(OpenApiRoutesTest, TheCompiledInDescriptionParsesAndDescribesOperations) {
  const auto found = net::undescribedRoutes(net::Router(), openApiDocument());
  EXPECT_GT(found.size(), 70u);
  EXPECT_TRUE(std::all_of(found.begin(), found.end(), [](const std::string& line) {
    return line.ends_with(": described but not routed");
  }));
}

}  // namespace
}  // namespace gongkai::server::http
