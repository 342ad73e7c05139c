#include "gongkai/indexer/spreadsheet.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gongkai::indexer {
namespace {

std::string fixture() {
  std::ifstream in(GONGKAI_TEST_DATA_DIR "/import/legacy.xlsx", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(Spreadsheet, SharedInlineRichAndNumberCellsWithTheirRowNumbers) {
  auto table = readXlsxTable(fixture());
  ASSERT_TRUE(table.ok()) << table.error().message;
  ASSERT_EQ(table.value().rows.size(), 3u);
  const auto& header = table.value().rows[0].cells;
  EXPECT_EQ(header[0].text, "档号");
  EXPECT_EQ(header[8].text, "文件");
  const auto& row = table.value().rows[1];
  EXPECT_EQ(row.line, 2);
  EXPECT_EQ(row.cells[1].text, "党费收缴情况");
  EXPECT_EQ(row.cells[3].text, "ZZ");  // inline
  EXPECT_TRUE(row.cells[5].number);
  EXPECT_EQ(row.cells[5].text, "40242");
  EXPECT_EQ(table.value().rows[2].line, 4);
  EXPECT_EQ(table.value().rows[2].cells[1].text, "学习计划");  // no phonetic run
}

TEST(Spreadsheet, BrokenWorkbooksAreRefused) {
  EXPECT_EQ(readXlsxTable("PK\x03\x04 not a zip").error().reason, "catalogue_xlsx");
  const std::string bytes = fixture();
  EXPECT_EQ(readXlsxTable(bytes.substr(0, bytes.size() / 2)).error().reason, "catalogue_xlsx");
  core::ImportTableLimits limits;
  limits.max_cell_bytes = 4;
  EXPECT_EQ(readXlsxTable(bytes, limits).error().reason, "catalogue_too_large");
}

}  // namespace
}  // namespace gongkai::indexer
