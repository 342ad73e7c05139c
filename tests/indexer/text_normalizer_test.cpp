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

TEST(NormalizeForSearch, FoldsTraditionalToSimplified) {
  EXPECT_EQ(normalizeForSearch("關於黨務公開工作的報告"), "关于党务公开工作的报告");
  EXPECT_EQ(normalizeForSearch("關於黨務公開工作的報告"),
            normalizeForSearch("关于党务公开工作的报告"));
  EXPECT_EQ(normalizeForSearch("ＯＡ系統"), "oa系统");  // full-width and traditional at once
  EXPECT_EQ(foldTraditional(U'黨'), U'党');
  EXPECT_EQ(foldTraditional(U'党'), U'党');
  EXPECT_EQ(foldTraditional(U'a'), U'a');
}

}  // namespace
}  // namespace gongkai::indexer
