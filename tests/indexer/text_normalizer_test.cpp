#include "gongkai/indexer/text_normalizer.h"

#include <gtest/gtest.h>

namespace gongkai::indexer {
namespace {

TEST(NormalizeForSearch, FoldsFullWidthAndCaseButKeepsChinese) {
  EXPECT_EQ(normalizeForSearch("２０１０"), "2010");
  EXPECT_EQ(normalizeForSearch("ＡＢＣ"), "abc");
  EXPECT_EQ(normalizeForSearch("党风廉政建设责任制"), "党风廉政建设责任制");
  EXPECT_EQ(normalizeForSearch("连发［2010］37号"), "连发[2010]37号");
}

}  // namespace
}  // namespace gongkai::indexer
