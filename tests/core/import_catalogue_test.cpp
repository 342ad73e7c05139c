#include "gongkai/core/import_catalogue.h"

#include <gtest/gtest.h>

#include "gongkai/core/import_table.h"

namespace gongkai::core {
namespace {

ImportTable csv(std::string_view text) {
  auto table = parseCsvTable(text);
  EXPECT_TRUE(table.ok()) << (table.ok() ? "" : table.error().message);
  return table.ok() ? table.value() : ImportTable{};
}

TEST(ImportTable, Rfc4180QuotesLineBreaksAndLineNumbers) {
  const auto table = csv("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\n\r\nlast,row");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[1].cells[0].text, "x, \"y\"");
  EXPECT_EQ(table.rows[1].cells[1].text, "two\nlines");
  EXPECT_EQ(table.rows[1].line, 2);
  EXPECT_EQ(table.rows[2].line, 5);  // after a quoted line break and a blank line
  EXPECT_EQ(table.rows[2].cells[1].text, "row");
}

TEST(ImportTable, MalformedCsvAndLimitsNameTheLine) {
  auto open = parseCsvTable("a\n\"never closed\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().reason, "catalogue_csv");
  EXPECT_NE(open.error().message.find("第 2 行"), std::string::npos);
  EXPECT_EQ(parseCsvTable("a\nx\"y\n").error().reason, "catalogue_csv");
  EXPECT_EQ(parseCsvTable("a\n\"x\"y\n").error().reason, "catalogue_csv");
  ImportTableLimits limits;
  limits.max_cell_bytes = 4;
  EXPECT_EQ(parseCsvTable("a\nabcde\n", limits).error().code, ErrorCode::kTooLarge);
  limits = {};
  limits.max_columns = 2;
  EXPECT_EQ(parseCsvTable("a,b,c\n", limits).error().reason, "catalogue_too_large");
}

TEST(ImportTable, Utf8BomAndGb18030AreDecodedOthersRefused) {
  EXPECT_EQ(decodeCatalogueText("\xEF\xBB\xBF标题").value(), "标题");
  EXPECT_EQ(decodeCatalogueText("\xB1\xEA\xCC\xE2").value(), "标题");      // GBK
  EXPECT_EQ(decodeCatalogueText("\x81\x30\x81\x30").value(), "\xC2\x80");  // GB18030 4-byte
  EXPECT_EQ(decodeCatalogueText("\xFF\xFEt\0").error().reason, "catalogue_encoding");
  const auto bad = decodeCatalogueText("a\nb\n\xFF\xFF");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("第 3 行"), std::string::npos);
}

TEST(ImportCatalogue, HeadersInEitherLanguageAnyOrderUnknownReported) {
  const auto parsed = readImportCatalogue(csv(
      "Files,Title, category ,备注,单位,公开范围,日期,保管期限,档号\n"
      "a.pdf；b/c.pdf;,题目,ZZ,x,branch-1,党内公开,2023年1月6日,定期30年,J001-2023-D30-ZZ-0001\n"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value().unknown_columns, std::vector<std::string>{"备注"});
  ASSERT_EQ(parsed.value().rows.size(), 1u);
  const ImportRow& row = parsed.value().rows[0];
  EXPECT_EQ(row.title, "题目");
  EXPECT_EQ(row.scope, "internal");
  EXPECT_EQ(row.retention, "D30");
  EXPECT_EQ(row.issued_at, "2023-01-06");
  EXPECT_EQ(row.files, (std::vector<std::string>{"a.pdf", "b/c.pdf"}));
  EXPECT_EQ(readImportCatalogue(csv("文号\nx\n")).error().reason, "catalogue_columns");
  EXPECT_EQ(readImportCatalogue(csv("标题,title,类别,单位,公开范围\n")).error().reason,
            "catalogue_columns");
}

TEST(ImportCatalogue, EveryProblemOfABadRowIsReportedWithItsLine) {
  const auto parsed = readImportCatalogue(
      csv("标题,类别,单位,公开范围,日期,文件\n,ZZ,u,秘密,2023-02-30,../x.pdf;a.pdf;a.pdf\n"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.value().rows.empty());
  std::vector<std::string> codes;
  for (const auto& p : parsed.value().problems) {
    EXPECT_EQ(p.line, 2);
    EXPECT_EQ(p.message.rfind("第 2 行", 0), 0u) << p.message;
    codes.push_back(p.field + ":" + p.code);
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"title:missing_field", "scope:invalid_value",
                                             "issued_at:invalid_date", "files:invalid_path",
                                             "files:duplicate_file"}));
}

TEST(ImportCatalogue, DatesAndPaths) {
  EXPECT_EQ(normaliseImportDate({"2010/3/5", false}), "2010-03-05");
  EXPECT_EQ(normaliseImportDate({"2010.03.05", false}), "2010-03-05");
  EXPECT_EQ(normaliseImportDate({"20100305", false}), "2010-03-05");
  EXPECT_EQ(normaliseImportDate({"40242", true}), "2010-03-05");  // an Excel serial
  EXPECT_EQ(normaliseImportDate({"40242", false}), std::nullopt);
  EXPECT_EQ(normaliseImportDate({"2010-02-29", false}), std::nullopt);
  EXPECT_EQ(importPathProblem("a/b.pdf"), nullptr);
  for (const char* bad : {"/etc/passwd", "../x", "a/../../x", "a\\b", "a//b", "./a", ""}) {
    EXPECT_NE(importPathProblem(bad), nullptr) << bad;
  }
}

}  // namespace
}  // namespace gongkai::core
