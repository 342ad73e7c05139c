#include "gongkai/archive/reference_code.h"

#include <gtest/gtest.h>

namespace gongkai::archive {
namespace {

TEST(ReferenceCode, RoundTripsTheDomainExample) {
  const auto code = parseReferenceCode("J001-2023-Y-ZZ-0007");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->fonds, "J001");
  EXPECT_EQ(code->year, 2023);
  EXPECT_EQ(code->retention, "Y");
  EXPECT_EQ(code->category, "ZZ");
  EXPECT_EQ(code->item, 7);
  EXPECT_EQ(code->toString(), "J001-2023-Y-ZZ-0007");
  EXPECT_EQ(parseReferenceCode("J001-2023-D30-DF-0120")->retention, "D30");
}

TEST(ReferenceCode, RefusesAnythingElse) {
  for (const char* bad : {"", "J001-2023-X-ZZ-0007", "j001-2023-Y-ZZ-0007", "J001-23-Y-ZZ-0007",
                          "J001-2023-Y-ZZ-0000", "J001-2023-Y-ZZ-0007-1", "J001-2023-Y-Z-0007",
                          "J001-2023-Y-ZZ-007"}) {
    EXPECT_FALSE(parseReferenceCode(bad)) << bad;
  }
}

}  // namespace
}  // namespace gongkai::archive
