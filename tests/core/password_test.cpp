#include "gongkai/core/password.h"

#include <gtest/gtest.h>

#include <set>

namespace gongkai::core {
namespace {

TEST(Password, AHashVerifiesItsPasswordOnly) {
  const std::string hash = hashPassword("正确的密码 correct horse", 2000);
  EXPECT_EQ(hash.rfind("pbkdf2-sha256$2000$", 0), 0u);
  EXPECT_TRUE(verifyPassword("正确的密码 correct horse", hash));
  EXPECT_FALSE(verifyPassword("正确的密码 correct hors", hash));
  EXPECT_FALSE(verifyPassword("", hash));
  EXPECT_EQ(hashIterations(hash), 2000);
  // Salted: the same password hashes differently each time.
  EXPECT_NE(hashPassword("same", 2000), hashPassword("same", 2000));
}

TEST(Password, TheDefaultIsOwaspStrength) {
  const std::string hash = hashPassword("密码");
  EXPECT_EQ(hashIterations(hash), 600000);
  EXPECT_TRUE(verifyPassword("密码", hash));
}

TEST(Password, MalformedOrWeakenedHashesNeverVerify) {
  const std::string good = hashPassword("pw", 2000);
  const auto cut = good.rfind('$');
  for (const std::string bad :
       {std::string(), std::string("pw"), std::string("pbkdf2-sha256$2000$$"),
        std::string("pbkdf2-sha1") + good.substr(13), good.substr(0, good.size() - 4),
        good + "$extra", std::string("pbkdf2-sha256$1$") + good.substr(good.find('$', 14) + 1),
        std::string("pbkdf2-sha256$99999999999$") + good.substr(good.find('$', 14) + 1),
        std::string("pbkdf2-sha256$-5$") + good.substr(good.find('$', 14) + 1),
        good.substr(0, cut + 1) + "!!!!"}) {
    EXPECT_FALSE(verifyPassword("pw", bad)) << bad;
    EXPECT_EQ(hashIterations(bad), 0) << bad;
  }
  EXPECT_THROW(hashPassword("pw", 10), std::invalid_argument);
}

TEST(Password, TokensAreRandomWellFormedAndStoredAsDigests) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = newToken();
    EXPECT_TRUE(isWellFormedToken(token)) << token;
    EXPECT_TRUE(seen.insert(token).second);
    EXPECT_EQ(tokenDigest(token).size(), 64u);
    EXPECT_EQ(tokenDigest(token), tokenDigest(token));
  }
  for (const std::string bad :
       {"", "gk_", "gk_short", "xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "gk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "gk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    EXPECT_FALSE(isWellFormedToken(bad)) << bad;
  }
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace gongkai::core
