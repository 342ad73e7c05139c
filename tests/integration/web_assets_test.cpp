// The workbench as the server sends it: the page, its content-hashed assets, caching and the
// headers that keep the page to its own origin. Uses the built web/dist the server finds beside
// its binary (build/share/gongkai/web), as an installed copy would.
#include <regex>

#include "fixture.h"
#include "gongkai/core/sha256.h"

namespace gongkai::testing {
namespace {

class WebAssetsTest : public ServerTest {
 protected:
  // The asset names the page refers to, e.g. "app-ABC123.js".
  std::vector<std::string> assetsOfPage() {
    const auto page = anonymous().get("/");
    EXPECT_EQ(page.status, 200);
    std::vector<std::string> names;
    const std::regex ref("/assets/([A-Za-z0-9_.-]+)\"");
    for (std::sregex_iterator it(page.body.begin(), page.body.end(), ref), end; it != end; ++it) {
      names.push_back((*it)[1]);
    }
    return names;
  }
};

TEST_F(WebAssetsTest, ThePageNamesAScriptAndAStyleSheetWithContentHashes) {
  const auto page = anonymous().get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Cache-Control"), "no-cache");
  const std::string csp = page.header("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);  // no inline script
  const auto names = assetsOfPage();  // the script, the style sheet, chunks preloaded
  ASSERT_GE(names.size(), 2u) << page.body;
  for (const auto& name : names) {
    EXPECT_TRUE(std::regex_match(name, std::regex("(app|style|chunk)-[A-Z0-9]{8}\\.(js|css)")))
        << name;
  }
}

TEST_F(WebAssetsTest, AssetsAreCachedForAYearRevalidatedByETagAndGzippedOnRequest) {
  for (const auto& name : assetsOfPage()) {
    const auto plain = anonymous().get("/assets/" + name);
    ASSERT_EQ(plain.status, 200) << name;
    EXPECT_EQ(plain.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(plain.header("Content-Type"),
              name.ends_with(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
    EXPECT_EQ(plain.header("Content-Encoding"), "");
    const std::string etag = plain.header("ETag");
    ASSERT_FALSE(etag.empty());

    const auto again = anonymous().get("/assets/" + name, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());

    const auto zipped = anonymous().get("/assets/" + name, {{"Accept-Encoding", "gzip, br"}});
    ASSERT_EQ(zipped.status, 200);
    EXPECT_EQ(zipped.header("Content-Encoding"), "gzip");
    EXPECT_LT(zipped.body.size(), plain.body.size());
    EXPECT_EQ(zipped.body.substr(0, 2), std::string("\x1f\x8b"));  // a gzip member
  }
}

TEST_F(WebAssetsTest, NamesThatCouldLeaveTheAssetsFolderAreNotFound) {
  for (const std::string& path : std::vector<std::string>{
           "/assets/..%2Findex.html", "/assets/.hidden", "/assets/%2e%2e", "/assets/a%00b.js",
           "/assets/nope-12345678.js", "/assets/" + std::string(300, 'a') + ".js"}) {
    const auto response = anonymous().get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.header("Content-Type").rfind("application/problem+json", 0), 0u) << path;
  }
  // The data folder's files are never reachable through the web routes.
  EXPECT_EQ(anonymous().get("/store.db").status, 404);
  EXPECT_EQ(anonymous().get("/assets/../store.db").status, 404);
}

TEST_F(WebAssetsTest, EveryAnswerForbidsFramingAndSniffing) {
  const auto api = anonymous().get("/api/v1/categories");
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(api.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(api.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(api.header("Content-Security-Policy"), "frame-ancestors 'none'");
  const auto problem = anonymous().get("/api/v1/nothing-here");
  EXPECT_EQ(problem.header("X-Content-Type-Options"), "nosniff");
}

}  // namespace
}  // namespace gongkai::testing
