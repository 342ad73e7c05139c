// DA/T 70's detection items, one spoiled bundle each: a bundle made by hand (composed_bundle.h)
// with exactly one thing wrong, checked by the real verifier, must fail exactly the item that
// covers that thing and no other.
#include "gongkai/archive/detection_items.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "composed_bundle.h"
#include "gongkai/archive/bundle_verifier.h"
#include "support/temp_dir.h"

namespace gongkai::archive {
namespace {

using composed::BagFiles;
using composed::jsonText;

// A minimal PDF, whole.
const std::string kPdf =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    "/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";

std::set<std::string> failedItems(const BundleReport& report) {
  std::set<std::string> failed;
  for (const ItemResult& result : itemResults(report)) {
    if (result.status == ItemStatus::kFail) failed.insert(std::string(result.item->number));
  }
  return failed;
}

class DetectionItemsTest : public composed::ComposedBundleTest {
 protected:
  // Builds and writes the bundle of docs_ as they are now, and checks it.
  BundleReport composedReport() {
    build();
    return verify(write());
  }

  // The fixture's bundle, read back, changed by `change`, written again (sealed again first,
  // when `seal`); its report.
  template <typename Change>
  BundleReport changedReport(Change change, bool seal, const std::string& symlink = "") {
    build();
    BagFiles bag = composed::readBag(write());
    change(bag);
    if (seal) composed::reseal(bag, signer_);
    const std::string tar = dir_ / "changed.tar";
    composed::writeBag(tar, bag, symlink);
    return verify(tar);
  }

  composed::FileSpec& firstFile() { return docs_[0].files[0]; }
};

#define EXPECT_ONLY_ITEM_FAILS(report, number)                                       \
  do {                                                                               \
    const BundleReport& r = (report);                                                \
    EXPECT_EQ(failedItems(r), std::set<std::string>{number}) << formatReportText(r); \
  } while (false)

TEST_F(DetectionItemsTest, TheTableNumbersEachItemOnceUnderItsProperty) {
  std::set<std::string_view> numbers;
  for (const DetectionItem& item : detectionItems()) {
    EXPECT_TRUE(numbers.insert(item.number).second) << item.number;
    EXPECT_EQ(item.number.front() - '1', static_cast<int>(item.property)) << item.number;
    EXPECT_FALSE(item.name.empty());
  }
  EXPECT_EQ(detectionItem("1-1").name, "固化信息有效性检测");
  EXPECT_THROW(detectionItem("9-9"), std::out_of_range);
}

TEST_F(DetectionItemsTest, UntouchedBundlePassesEveryItem) {
  EXPECT_TRUE(failedItems(composedReport()).empty());
}

TEST_F(DetectionItemsTest, Item1_1FixityFailsForAnotherKey) {
  build();
  const std::string tar = write();
  auto other = core::Ed25519Signer::generate();
  ASSERT_TRUE(other.ok());
  EXPECT_ONLY_ITEM_FAILS(verify(tar, &other.value()), "1-1");
}

TEST_F(DetectionItemsTest, Item1_2LengthFailsForAnOverlongTitle) {
  std::string title;
  for (int i = 0; i < 301; ++i) title += "长";
  docs_[0].fields["title"] = jsonText(title);
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-2");
}

TEST_F(DetectionItemsTest, Item1_3FormatFailsForADateWithSlashes) {
  docs_[0].fields["issued_at"] = jsonText("2023/03/01");
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-3");
}

TEST_F(DetectionItemsTest, Item1_4DomainFailsForAnUnknownScope) {
  docs_[0].fields["scope"] = jsonText("top_secret");
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-4");
}

TEST_F(DetectionItemsTest, Item1_5ReasonablenessFailsForADateOfAnotherYear) {
  docs_[0].fields["issued_at"] = jsonText("2022-12-31");
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-5");
}

TEST_F(DetectionItemsTest, Item1_6SpecialCharactersFailsForAControlCharacter) {
  docs_[0].fields["title"] = jsonText("党费\\u0007公示");
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-6");
}

TEST_F(DetectionItemsTest, Item1_7ReferenceCodeFailsForABroken档号) {
  docs_[0].code = "J001-2023-Y-ZZ-1";
  docs_[0].disclosure["reference_code"] = jsonText(docs_[0].code);
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-7");
}

TEST_F(DetectionItemsTest, Item1_8DuplicatesFailsForOneDocumentNumberTwice) {
  docs_[1].fields["doc_number"] = docs_[0].fields["doc_number"];
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-8");
}

TEST_F(DetectionItemsTest, Item1_10ElectronicPropertiesFailsForAWrongRecordedSize) {
  docs_[0].files[1].recorded_size = 9999;
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-10");
}

TEST_F(DetectionItemsTest, Item1_11MetadataLinkFailsForAFileNoRecordDescribes) {
  docs_[0].files[1].in_records = false;
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-11");
}

TEST_F(DetectionItemsTest, Item1_12IndexFilesFailsWithoutIndexHtml) {
  EXPECT_ONLY_ITEM_FAILS(changedReport([](BagFiles& bag) { bag.files.erase("data/index.html"); },
                                       /*seal=*/true),
                         "1-12");
}

TEST_F(DetectionItemsTest, Item1_13LayoutFailsForAFolderOutsideIt) {
  EXPECT_ONLY_ITEM_FAILS(
      changedReport([](BagFiles& bag) { bag.files["data/misc/note.txt"] = "另附说明。\n"; },
                    /*seal=*/true),
      "1-13");
}

TEST_F(DetectionItemsTest, Item1_14ConsistencyFailsForAByteChangedAfterBagging) {
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [](BagFiles& bag) {
                               std::string& csv = bag.files["data/index.csv"];
                               csv.replace(csv.find("选举结果"), 3, "评");  // as many bytes
                             },
                             /*seal=*/false),
                         "1-14");
}

TEST_F(DetectionItemsTest, Item2_1ItemCountFailsForAWrongDeclaredCount) {
  EXPECT_ONLY_ITEM_FAILS(
      changedReport([](BagFiles& bag) { composed::setInfo(bag, "Gongkai-Item-Count", "3"); },
                    /*seal=*/true),
      "2-1");
}

TEST_F(DetectionItemsTest, Item2_2ByteCountFailsForAWrongPayloadOxum) {
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [this](BagFiles& bag) {
                               composed::reseal(bag, signer_);
                               composed::setInfo(bag, "Payload-Oxum", "1.1");
                               composed::reseal(bag, signer_, /*recount=*/false);
                             },
                             /*seal=*/false),
                         "2-2");
}

// The transfer list (移交清单) is checked against the bundle: its presence and heading under
// 1-12, its counts under 2-1 and 2-2. Each spoiled list is sealed again, so only the list is
// wrong.
TEST_F(DetectionItemsTest, Item1_12IndexFilesFailsWithoutTheTransferList) {
  EXPECT_ONLY_ITEM_FAILS(
      changedReport([](BagFiles& bag) { bag.files.erase("transfer-list.json"); }, /*seal=*/true),
      "1-12");
}

TEST_F(DetectionItemsTest, Item1_12IndexFilesFailsForATransferListOfAnotherUnit) {
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [](BagFiles& bag) {
                               std::string& list = bag.files["transfer-list.json"];
                               const std::string from = "\"from\": \"中共";
                               list.replace(list.find(from), from.size(), "\"from\": \"别的");
                             },
                             /*seal=*/true),
                         "1-12");
}

TEST_F(DetectionItemsTest, Item2_1ItemCountFailsForATransferListOfThreeItems) {
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [](BagFiles& bag) {
                               std::string& list = bag.files["transfer-list.json"];
                               list.replace(list.find("\"item_count\": 2"), 15,
                                            "\"item_count\": 3");
                             },
                             /*seal=*/true),
                         "2-1");
}

TEST_F(DetectionItemsTest, Item2_1ItemCountFailsForATransferListWithAWrong档号Range) {
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [](BagFiles& bag) {
                               std::string& list = bag.files["transfer-list.json"];
                               const std::string last = "\"last_code\": \"J001-2023-Y-ZZ-0002\"";
                               list.replace(list.find(last), last.size(),
                                            "\"last_code\": \"J001-2023-Y-ZZ-0009\"");
                             },
                             /*seal=*/true),
                         "2-1");
}

TEST_F(DetectionItemsTest, Item2_2ByteCountFailsForATransferListWithWrongBytes) {
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [](BagFiles& bag) {
                               std::string& list = bag.files["transfer-list.json"];
                               const auto at = list.find("\"file_bytes\": ") + 14;
                               list.insert(at, "1");
                             },
                             /*seal=*/true),
                         "2-2");
}

TEST_F(DetectionItemsTest, Item2_3ElementsFailsForADroppedElement) {
  docs_[0].fields.erase("doc_number");
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "2-3");
}

TEST_F(DetectionItemsTest, Item2_4RequiredFailsForAnEmptyTitle) {
  docs_[0].fields["title"] = jsonText("");
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "2-4");
}

TEST_F(DetectionItemsTest, Item2_5ProcessFailsForAMissingVersion) {
  docs_[0].versions = {1, 3};
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "2-5");
}

TEST_F(DetectionItemsTest, Item2_6ContinuityFailsForAGapInItemNumbers) {
  docs_[1].number = 3;
  docs_[1].code = "J001-2023-Y-ZZ-0003";
  docs_[1].disclosure["reference_code"] = jsonText(docs_[1].code);
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "2-6");
}

TEST_F(DetectionItemsTest, Item2_7ContentFailsForAMissingFile) {
  docs_[0].files[1].in_bundle = false;
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "2-7");
}

TEST_F(DetectionItemsTest, Item2_10PackageMetadataFailsForAMissingBagInfoLabel) {
  EXPECT_ONLY_ITEM_FAILS(
      changedReport([](BagFiles& bag) { composed::setInfo(bag, "Gongkai-Category-Name", ""); },
                    /*seal=*/true),
      "2-10");
}

TEST_F(DetectionItemsTest, Item2_11PackageContentFailsForAWrongFeedbackCount) {
  EXPECT_ONLY_ITEM_FAILS(
      changedReport([](BagFiles& bag) { composed::setInfo(bag, "Gongkai-Feedback-Count", "5"); },
                    /*seal=*/true),
      "2-11");
}

TEST_F(DetectionItemsTest, Item3_1ReadabilityFailsForARecordThatDoesNotParse) {
  docs_[0].first_record = "{\"document_id\":11,";
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "3-1");
}

TEST_F(DetectionItemsTest, Item3_3FormatFailsForAnUnknownMediaType) {
  docs_[0].files[1].media_type = "application/x-unknown";
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "3-3");
}

TEST_F(DetectionItemsTest, Item3_4ReadabilityFailsForATruncatedPdf) {
  docs_[0].files[1].name = "通知.pdf";
  docs_[0].files[1].media_type = "application/pdf";
  docs_[0].files[1].bytes = kPdf.substr(0, kPdf.size() / 2);
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "3-4");
}

TEST_F(DetectionItemsTest, Item3_8FormatComplianceFailsForAnEncryptedPdf) {
  docs_[0].files[1].name = "通知.pdf";
  docs_[0].files[1].media_type = "application/pdf";
  docs_[0].files[1].bytes =
      kPdf.substr(0, kPdf.find("trailer")) + "trailer<</Root 1 0 R/Encrypt 4 0 R>>\n%%EOF\n";
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "3-8");
}

// A real DOCX with a real PDF/A-2b rendition (tests/data/formats), as the server would bundle
// them.
std::string formatFixture(const std::string& name) {
  return testing::readFile(std::string(GONGKAI_TEST_DATA_DIR) + "/formats/" + name);
}

void makeDocxWithRendition(composed::FileSpec& file) {
  file.name = "通知.docx";
  file.media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  file.bytes = formatFixture("notice.docx");
  file.rendition = formatFixture("notice-pdfa-2b.pdf");
}

TEST_F(DetectionItemsTest, ABundleWithARenditionPassesEveryItemAndRecordsBoth) {
  makeDocxWithRendition(firstFile());
  const BundleReport report = composedReport();
  EXPECT_TRUE(failedItems(report).empty()) << formatReportText(report);
  const BagFiles bag = composed::readBag(write("again.tar"));
  const std::string item = "data/items/J001-2023-Y-ZZ-0001/";
  ASSERT_TRUE(bag.files.count(item + "renditions/111.pdf"));
  EXPECT_EQ(bag.files.at(item + "renditions/111.pdf"), formatFixture("notice-pdfa-2b.pdf"));
  EXPECT_EQ(bag.files.at(item + "files/111.docx"), formatFixture("notice.docx"));  // kept
  const std::string& formats = bag.files.at(item + "formats.json");
  EXPECT_NE(formats.find(R"({"path":"files/111.docx","puid":"fmt/412")"), std::string::npos)
      << formats;
  EXPECT_NE(formats.find(R"("rendition":"renditions/111.pdf")"), std::string::npos) << formats;
  EXPECT_NE(formats.find(R"({"path":"renditions/111.pdf","puid":"fmt/477")"), std::string::npos)
      << formats;
  EXPECT_NE(formats.find(R"("rendition_of":"files/111.docx")"), std::string::npos) << formats;
  // Both in the payload manifests.
  const std::string& manifest = bag.files.at("manifest-sha256.txt");
  EXPECT_NE(manifest.find(item + "renditions/111.pdf"), std::string::npos);
  EXPECT_NE(manifest.find(item + "formats.json"), std::string::npos);
  // And in the DA/T 46 view.
  const std::string& xml = bag.files.at(item + "metadata.xml");
  EXPECT_NE(xml.find("<格式标识 体系=\"PRONOM\">fmt/412</格式标识>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<计算机文件名>renditions/111.pdf</计算机文件名>"), std::string::npos) << xml;
  // The report says what each file is and that the DOCX has its rendition (3-8).
  bool saidRendition = false;
  for (const auto& finding : report.findings) {
    if (finding.check == "long_term_format" && finding.subject.ends_with("files/111.docx"))
      saidRendition =
          finding.passed && finding.message.find("renditions/111.pdf") != std::string::npos;
  }
  EXPECT_TRUE(saidRendition) << formatReportText(report);
  // The transfer list counts the rendition apart from the files, and the verifier agrees (2-2).
  const std::string& list = bag.files.at("transfer-list.json");
  std::int64_t fileBytes = 0;
  for (const auto& spec : docs_) {
    for (const auto& file : spec.files) fileBytes += static_cast<std::int64_t>(file.bytes.size());
  }
  EXPECT_NE(list.find("\"file_count\": 4,\n  \"file_bytes\": " + std::to_string(fileBytes) +
                      ",\n  \"rendition_count\": 1,\n  \"rendition_bytes\": " +
                      std::to_string(formatFixture("notice-pdfa-2b.pdf").size())),
            std::string::npos)
      << list;
  EXPECT_NE(
      bag.files.at("transfer-list.html").find("长期保存版本（PDF/A 转换件，另计）</th><td>1 个"),
      std::string::npos);
  bool counted = false;
  for (const auto& finding : report.findings) {
    if (finding.check == "transfer_list_bytes")
      counted = finding.passed && finding.message.find("保存版本 1 个") != std::string::npos;
  }
  EXPECT_TRUE(counted) << formatReportText(report);
}

TEST_F(DetectionItemsTest, Item2_2ByteCountFailsForATransferListThatCountsNoRendition) {
  makeDocxWithRendition(firstFile());
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [](BagFiles& bag) {
                               std::string& list = bag.files["transfer-list.json"];
                               const std::string one = "\"rendition_count\": 1";
                               list.replace(list.find(one), one.size(), "\"rendition_count\": 0");
                             },
                             /*seal=*/true),
                         "2-2");
}

TEST_F(DetectionItemsTest, WithoutARenditionTheReportSaysSoAndPassesEveryItem) {
  makeDocxWithRendition(firstFile());
  firstFile().rendition.reset();
  const BundleReport report = composedReport();
  EXPECT_TRUE(failedItems(report).empty()) << formatReportText(report);
  bool saidNone = false;
  for (const auto& finding : report.findings) {
    if (finding.check == "long_term_format" && finding.subject.ends_with("files/111.docx"))
      saidNone = finding.passed && finding.item == "3-8" &&
                 finding.message.find("无保存版本") != std::string::npos;
  }
  EXPECT_TRUE(saidNone) << formatReportText(report);
}

TEST_F(DetectionItemsTest, Item1_1FixityFailsForARenditionTheLogDoesNotRecord) {
  makeDocxWithRendition(firstFile());
  firstFile().logged_rendition = formatFixture("notice-pdfa-1a.pdf");  // made, then replaced
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "1-1");
}

TEST_F(DetectionItemsTest, Item3_3FormatFailsForAFormatIdentificationRecordedWrongly) {
  makeDocxWithRendition(firstFile());
  EXPECT_ONLY_ITEM_FAILS(changedReport(
                             [](BagFiles& bag) {
                               std::string& formats =
                                   bag.files["data/items/J001-2023-Y-ZZ-0001/formats.json"];
                               const auto at = formats.find("fmt/412");
                               ASSERT_NE(at, std::string::npos);
                               formats.replace(at, 7, "fmt/040");
                             },
                             /*seal=*/true),
                         "3-3");
}

TEST_F(DetectionItemsTest, Item3_3FormatFailsWithoutTheFormatIdentificationRecord) {
  EXPECT_ONLY_ITEM_FAILS(
      changedReport(
          [](BagFiles& bag) { bag.files.erase("data/items/J001-2023-Y-ZZ-0001/formats.json"); },
          /*seal=*/true),
      "3-3");
}

TEST_F(DetectionItemsTest, Item3_8FormatComplianceFailsForARenditionThatIsNotPdfa) {
  makeDocxWithRendition(firstFile());
  firstFile().rendition = formatFixture("notice.pdf");  // PDF 1.6, no PDF/A claim
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "3-8");
}

TEST_F(DetectionItemsTest, Item4_2MaliciousCodeFailsForAnExecutable) {
  docs_[0].files[1].name = "通知.pdf";
  docs_[0].files[1].media_type = "application/pdf";
  docs_[0].files[1].bytes = std::string("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0", 16);
  EXPECT_ONLY_ITEM_FAILS(composedReport(), "4-2");
}

TEST_F(DetectionItemsTest, Item4_3SurplusFilesFailsForAFileNoManifestLists) {
  EXPECT_ONLY_ITEM_FAILS(
      changedReport([](BagFiles& bag) { bag.files["autorun.inf"] = "[autorun]"; },
                    /*seal=*/false),
      "4-3");
}

TEST_F(DetectionItemsTest, Item4_7ProcessSafetyFailsForALinkInTheTar) {
  const BundleReport report =
      changedReport([](BagFiles&) {}, /*seal=*/false, /*symlink=*/"data/passwd");
  EXPECT_ONLY_ITEM_FAILS(report, "4-7");
  // The check stops at an unsafe tar: what it did not reach is said to be not checked.
  for (const ItemResult& result : itemResults(report)) {
    if (result.item->number != "4-7" && result.item->not_applicable.empty()) {
      EXPECT_EQ(result.status, ItemStatus::kNotChecked) << result.item->number;
    }
  }
}

TEST_F(DetectionItemsTest, TheReportsNameEveryItemWithItsNumberAndResult) {
  docs_[0].fields["scope"] = jsonText("top_secret");
  const BundleReport report = composedReport();
  const std::string text = formatReportText(report);
  EXPECT_NE(text.find("1-4 设定值域的元数据项值域符合度检测  [不通过 fail]"), std::string::npos)
      << text;
  EXPECT_NE(text.find("4-5 载体外观检测  [不适用 not_applicable]"), std::string::npos);
  const std::string json = formatReportJson(report);
  EXPECT_NE(json.find(R"({"number":"1-4","name":"设定值域的元数据项值域符合度检测",)"
                      R"("property":"authenticity","status":"fail","evidence":[{"item":"1-4")"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("number":"3-2")"), std::string::npos);
  const std::string html = formatReportHtml(report);
  EXPECT_NE(html.find("<td>1-4</td><td>设定值域的元数据项值域符合度检测</td><td class=\"fail\">"
                      "不通过</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("top_secret"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace gongkai::archive
