// The bundle composer on hand-made records (composed_bundle.h): the bundle written to a
// temporary folder and checked by the real verifier, and the inputs that cannot make a bundle
// refused with a reason.
#include "gongkai/archive/bundle_composer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "composed_bundle.h"
#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/core/sha256.h"

namespace gongkai::archive {
namespace {

using testing::readFile;

// The fixture's two documents, laid out.
class ComposerTest : public composed::ComposedBundleTest {
 protected:
  ComposerTest() { build(); }
  BundleSigners signers() const { return {&signer_, nullptr}; }
};

TEST_F(ComposerTest, TheComposedBundlePassesTheVerifier) {
  auto bundle = BundleComposer::compose(contents_, signers());
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  EXPECT_EQ(bundle.value().name(),
            "J001-2023-ZZ-T" + std::to_string(contents_.audit_entries.size()));
  const std::string tar = dir_ / "bundle.tar";
  const auto written = bundle.value().writeTo(tar);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(written.value().sha256, core::sha256Hex(readFile(tar)));
  const BundleReport report = verify(tar);
  EXPECT_TRUE(report.passed()) << formatReportText(report);
  EXPECT_EQ(report.name, bundle.value().name());
  // The checks that only pass when the composer wrote what they read took place.
  std::set<std::string> checks;
  for (const Finding& finding : report.findings) checks.insert(finding.check);
  for (const char* check : {"signature_ed25519", "checkpoint_signature", "audit_inclusion",
                            "record_in_log", "files_match_metadata", "reference_sequence",
                            "item_count", "feedback_count", "request_count", "file_opens"}) {
    EXPECT_TRUE(checks.count(check)) << check;
  }
  // Every DA/T 70 item the verifier can check was checked, and passed.
  for (const ItemResult& result : itemResults(report)) {
    EXPECT_EQ(result.status,
              result.item->not_applicable.empty() ? ItemStatus::kPass : ItemStatus::kNotApplicable)
        << result.item->number << " " << result.item->name;
  }
  // The report the composer made of the bundle before adding it is inside, signed with it.
  const composed::BagFiles bag = composed::readBag(tar);
  ASSERT_TRUE(bag.files.count("check-report.json"));
  ASSERT_TRUE(bag.files.count("check-report.html"));
  const std::string& inside = bag.files.at("check-report.json");
  EXPECT_NE(inside.find("\"name\":\"" + bundle.value().name() + "\",\"passed\":true"),
            std::string::npos)
      << inside;
  EXPECT_EQ(inside.find(dir_.path()), std::string::npos) << "a path of the build in the report";
  EXPECT_NE(bag.files.at("check-report.html").find("电子档案四性检测报告"), std::string::npos);
  EXPECT_NE(bag.files.at("tagmanifest-sha256.txt").find("  check-report.json\n"),
            std::string::npos);
  EXPECT_EQ(bag.files.at("manifest-sha256.txt").find("check-report"), std::string::npos);
}

TEST_F(ComposerTest, EachItemsMetadataIsAlsoInDat46XmlValidAgainstTheShippedSchema) {
  const std::string tar = write();
  composed::BagFiles bag = composed::readBag(tar);
  for (const BundleItem& item : contents_.items) {
    const std::string path = "data/items/" + item.reference_code + "/metadata.xml";
    ASSERT_TRUE(bag.files.count(path)) << path;
    const std::string& xml = bag.files.at(path);
    EXPECT_NE(xml.find("<题名>" + item.title.substr(0, item.title.find('<'))), std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<档号 值=\"" + item.reference_code + "\">"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<保管期限>永久</保管期限>"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<件号>" + std::to_string(item.item_number) + "</件号>"), std::string::npos);
    // The stock libxml2 tool against the schema file we ship.
    const std::string file = dir_ / (item.reference_code + ".xml");
    testing::writeFile(file, xml);
    EXPECT_EQ(
        std::system(
            ("xmllint --noout --schema " GONGKAI_DAT46_SCHEMA " " + file + " 2>/dev/null").c_str()),
        0)
        << xml;
  }
  // The verifier derives the file from metadata.json again and checks it against the schema; a
  // file changed and sealed again fails both, naming the element.
  std::string& xml = bag.files["data/items/J001-2023-Y-ZZ-0001/metadata.xml"];
  xml.replace(xml.find("<保管期限>永久"), std::string("<保管期限>永久").size(), "<保管期限>长期");
  composed::reseal(bag, signer_);
  composed::writeBag(dir_ / "changed.tar", bag);
  std::set<std::string> failed;
  std::string messages;
  for (const Finding& finding : verify(dir_ / "changed.tar").findings) {
    if (finding.passed) continue;
    failed.insert(finding.item + " " + finding.check);
    messages += finding.message + "\n";
  }
  EXPECT_EQ(failed, (std::set<std::string>{"2-3 metadata_xml", "1-4 metadata_xml_schema"}))
      << messages;
  EXPECT_NE(messages.find("保管期限"), std::string::npos) << messages;
}

TEST_F(ComposerTest, TheTransferListSaysWhatIsHandedOverAndIsSignedWithTheTagManifest) {
  // The second document kept 30 years: two sequences of one item each.
  composed::DocSpec& second = docs_[1];
  second.retention = "D30";
  second.number = 1;
  second.code = "J001-2023-D30-ZZ-0001";
  second.disclosure["reference_code"] = composed::jsonText(second.code);
  second.disclosure["retention"] = composed::jsonText("D30");
  log_ = composed::HandMadeLog();
  build();
  contents_.receiving_organization = "中共连云港市卫生健康委员会委员会";
  const std::string tar = write();
  const composed::BagFiles bag = composed::readBag(tar);
  ASSERT_TRUE(bag.files.count("transfer-list.json"));
  ASSERT_TRUE(bag.files.count("transfer-list.html"));
  const std::string& json = bag.files.at("transfer-list.json");
  // Two items with two files each; the bytes are the blobs'.
  std::int64_t bytes = 0;
  for (const BundleItem& item : contents_.items) {
    for (const BundledFile& file : item.files)
      bytes += static_cast<std::int64_t>(std::filesystem::file_size(file.blob_path));
  }
  for (const std::string& expected :
       {std::string("\"bundle\": \"") + bag.root + "\"",
        std::string("\"from\": \"中共连云港市妇幼保健院委员会\""),
        std::string("\"to\": \"中共连云港市卫生健康委员会委员会\""),
        std::string("\"transfer_date\": \"2024-01-01\""),  // the checkpoint's day, China time
        std::string("\"item_count\": 2"), std::string("\"file_count\": 4"),
        "\"file_bytes\": " + std::to_string(bytes),
        std::string("\"rendition_count\": 0,\n  \"rendition_bytes\": 0"),
        std::string("{\"sequence\": \"J001-2023-D30-ZZ\", \"retention\": \"D30\", "
                    "\"items\": 1, \"first_code\": \"J001-2023-D30-ZZ-0001\", \"last_code\": "
                    "\"J001-2023-D30-ZZ-0001\"}"),
        std::string("{\"sequence\": \"J001-2023-Y-ZZ\", \"retention\": \"Y\", \"items\": 1, "
                    "\"first_code\": \"J001-2023-Y-ZZ-0001\", \"last_code\": "
                    "\"J001-2023-Y-ZZ-0001\"}")}) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << "\n" << json;
  }
  const std::string& html = bag.files.at("transfer-list.html");
  EXPECT_NE(html.find("<th>接收单位</th><td>中共连云港市卫生健康委员会委员会</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>定期30年</td><td>1</td><td>J001-2023-D30-ZZ-0001</td>"),
            std::string::npos)
      << html;
  // Tag files: signed with the tag manifest, outside the payload manifests.
  const std::string& tags = bag.files.at("tagmanifest-sha256.txt");
  EXPECT_NE(tags.find(core::sha256Hex(json) + "  transfer-list.json\n"), std::string::npos);
  EXPECT_NE(tags.find("  transfer-list.html\n"), std::string::npos);
  EXPECT_EQ(bag.files.at("manifest-sha256.txt").find("transfer-list"), std::string::npos);
  // The verifier checks it and finds it consistent.
  const BundleReport report = verify(tar);
  EXPECT_TRUE(report.passed()) << formatReportText(report);
  std::set<std::string> passed;
  for (const Finding& finding : report.findings) {
    if (finding.passed) passed.insert(finding.item + " " + finding.check);
  }
  for (const char* check :
       {"1-12 transfer_list", "2-1 transfer_list_items", "2-2 transfer_list_bytes"}) {
    EXPECT_TRUE(passed.count(check)) << check;
  }
  // With no receiving unit configured the list names the superior committee.
  contents_.receiving_organization.clear();
  const composed::BagFiles plain = composed::readBag(write("plain.tar"));
  EXPECT_NE(plain.files.at("transfer-list.json").find("\"to\": \"上级党委\""), std::string::npos);
}

TEST_F(ComposerTest, TheSameContentsGiveTheSameBytes) {
  auto first = BundleComposer::compose(contents_, signers());
  auto second = BundleComposer::compose(contents_, signers());
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(first.value().writeTo(dir_ / "a.tar").ok());
  ASSERT_TRUE(second.value().writeTo(dir_ / "b.tar").ok());
  EXPECT_EQ(readFile(dir_ / "a.tar"), readFile(dir_ / "b.tar"));
}

// A blob whose bytes changed after it was filed (rot, or a hand on the disk) is listed in the
// manifest with the digest recorded at filing, so the build's own check and the verifier both
// fail the bundle's integrity, and the check report inside says so.
TEST_F(ComposerTest, ABlobChangedSinceFilingFailsTheBundlesCheck) {
  BundledFile& file = contents_.items[0].files[0];
  std::string bytes = readFile(file.blob_path);
  ASSERT_FALSE(bytes.empty());
  bytes[bytes.size() / 2] ^= 0x01;
  testing::writeFile(file.blob_path, bytes);
  auto bundle = BundleComposer::compose(contents_, signers());
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  const std::string tar = dir_ / "rotten.tar";
  ASSERT_TRUE(bundle.value().writeTo(tar).ok());
  const composed::BagFiles bag = composed::readBag(tar);
  EXPECT_NE(bag.files.at("manifest-sha256.txt").find(file.sha256), std::string::npos);
  EXPECT_NE(bag.files.at("check-report.json").find("\"passed\":false"), std::string::npos);
  const BundleReport report = verify(tar);
  EXPECT_FALSE(report.passed());
  std::set<std::string> failed;
  for (const Finding& finding : report.findings) {
    if (!finding.passed) failed.insert(finding.check);
  }
  EXPECT_TRUE(failed.count("manifest_sha256")) << formatReportText(report);
  EXPECT_FALSE(failed.count("manifest_sha512")) << "SHA-512 is taken from the bytes";
}

TEST_F(ComposerTest, AMissingBlobIsNamedBeforeAnythingIsWritten) {
  std::filesystem::remove(contents_.items[1].files[0].blob_path);
  const auto bundle = BundleComposer::compose(contents_, signers());
  ASSERT_FALSE(bundle.ok());
  EXPECT_EQ(bundle.error().code, core::ErrorCode::kIo);
  EXPECT_EQ(bundle.error().reason, "blob_missing");
  EXPECT_NE(bundle.error().message.find("J001-2023-Y-ZZ-0002 file 121"), std::string::npos)
      << bundle.error().message;
}

TEST_F(ComposerTest, TwoRecordsAtOnePathAreRefusedWithNothingLeft) {
  contents_.items.push_back(contents_.items[0]);  // the same 档号 twice
  auto bundle = BundleComposer::compose(contents_, signers());
  ASSERT_TRUE(bundle.ok());
  const auto written = bundle.value().writeTo(dir_ / "x.tar");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().reason, "duplicate_path");
  EXPECT_NE(written.error().message.find("items/J001-2023-Y-ZZ-0001/"), std::string::npos)
      << written.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.tar"));
}

TEST_F(ComposerTest, ContentsThatCannotMakeABundleAreRefused) {
  BundleContents empty = contents_;
  empty.items.clear();
  EXPECT_EQ(BundleComposer::compose(empty, signers()).error().reason, "bundle_empty");

  BundleContents noVersions = contents_;
  noVersions.items[0].versions.clear();
  const auto unversioned = BundleComposer::compose(noVersions, signers());
  ASSERT_FALSE(unversioned.ok());
  EXPECT_EQ(unversioned.error().reason, "item_without_versions");
  EXPECT_NE(unversioned.error().message.find("J001-2023-Y-ZZ-0001"), std::string::npos);

  // The verifier needs the entries in seq order, each once.
  BundleContents repeated = contents_;
  repeated.audit_entries.push_back(repeated.audit_entries.back());
  EXPECT_EQ(BundleComposer::compose(repeated, signers()).error().reason,
            "audit_entries_out_of_order");
  BundleContents swapped = contents_;
  std::swap(swapped.audit_entries[0], swapped.audit_entries[1]);
  EXPECT_EQ(BundleComposer::compose(swapped, signers()).error().reason,
            "audit_entries_out_of_order");
}

}  // namespace
}  // namespace gongkai::archive
