// The EEP export (DA/T 48) of a hand-made bundle (composed_bundle.h): one package per item,
// valid against the schema we ship by the stock xmllint, signed, each file inside as it is in
// the bundle; and the checker, which must catch each way a package is spoiled.
#include "gongkai/archive/eep_package.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "composed_bundle.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/sha256.h"

namespace gongkai::archive {
namespace {

using testing::readFile;

class EepPackageTest : public composed::ComposedBundleTest {
 protected:
  EepPackageTest() { build(); }

  // The EEP tar of the fixture's bundle.
  std::string eep(const std::string& name = "eep.tar") {
    const std::string bundle = write();
    const std::string out = dir_ / name;
    auto written = writeEepPackage(bundle, out, signer_);
    EXPECT_TRUE(written.ok()) << written.error().message;
    if (written.ok()) {
      EXPECT_EQ(written.value().items, 2);
      EXPECT_EQ(written.value().sha256, core::sha256Hex(readFile(out)));
    }
    return out;
  }

  EepReport check(const std::string& tar, const core::Ed25519Signer* signer = nullptr) const {
    return verifyEepPackage(
        tar, {core::ed25519PublicKeyPem((signer != nullptr ? *signer : signer_).publicKey())});
  }

  // The EEP tar read back, changed by `change` and written again; its report.
  template <typename Change>
  EepReport changed(Change change) {
    composed::BagFiles files = composed::readBag(eep());
    change(files.files);
    const std::string tar = dir_ / "changed.tar";
    composed::writeBag(tar, files);
    return check(tar);
  }

  static std::set<std::string> failed(const EepReport& report) {
    std::set<std::string> out;
    for (const EepFinding& f : report.findings) {
      if (!f.passed) out.insert(f.check);
    }
    return out;
  }
};

TEST_F(EepPackageTest, EachItemIsOneSignedPackageValidAgainstTheShippedSchema) {
  const std::string tar = eep();
  const composed::BagFiles files = composed::readBag(tar);
  EXPECT_EQ(files.root, "J001-2023-ZZ-T" + std::to_string(contents_.audit_entries.size()) + "-eep");
  ASSERT_EQ(files.files.size(), 2u);
  for (const BundleItem& item : contents_.items) {
    const std::string name = item.reference_code + ".xml";
    ASSERT_TRUE(files.files.count(name)) << name;
    const std::string& xml = files.files.at(name);
    EXPECT_NE(
        xml.find("<电子文件封装包 xmlns=\"http://www.saac.gov.cn/standards/ERM/encapsulation\">"),
        std::string::npos);
    EXPECT_NE(xml.find("<被签名对象 eep版本=\"2009\">"), std::string::npos);
    EXPECT_NE(xml.find("<档号 值=\"" + item.reference_code + "\">"), std::string::npos);
    EXPECT_NE(xml.find("<封装包创建时间>2024-01-01T08:00:00+08:00</封装包创建时间>"),
              std::string::npos)
        << "the checkpoint's time, China time";
    EXPECT_NE(xml.find("<签名算法标识>1.3.101.112</签名算法标识>"), std::string::npos);
    // Every file, base64, with its digest.
    for (const BundledFile& file : item.files) {
      const std::string bytes = readFile(file.blob_path);
      EXPECT_NE(xml.find(">" + core::base64Encode(bytes) + "</编码数据>"), std::string::npos);
      EXPECT_NE(xml.find(core::sha256Hex(bytes) + "</数字摘要>"), std::string::npos);
    }
    // The stock libxml2 tool against the schema file we ship.
    const std::string file = dir_ / name;
    testing::writeFile(file, xml);
    EXPECT_EQ(
        std::system(
            ("xmllint --noout --schema " GONGKAI_DAT48_SCHEMA " " + file + " 2>/dev/null").c_str()),
        0)
        << xml.substr(0, 3000);
  }
  const EepReport report = check(tar);
  EXPECT_TRUE(report.passed()) << formatEepReportText(report);
  EXPECT_EQ(report.packages, 2);
  EXPECT_NE(formatEepReportJson(report).find("\"passed\":true"), std::string::npos);
  // The same bundle and key give the same bytes.
  EXPECT_EQ(readFile(tar), readFile(eep("again.tar")));
}

std::string formatFixture(const std::string& name) {
  return readFile(std::string(GONGKAI_TEST_DATA_DIR) + "/formats/" + name);
}

TEST_F(EepPackageTest, ARenditionIsASecondMarkedEncodingOfItsFileWithItsDigest) {
  composed::FileSpec& file = docs_[0].files[0];
  file.name = "通知.docx";
  file.media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  file.bytes = formatFixture("notice.docx");
  file.rendition = formatFixture("notice-pdfa-2b.pdf");
  log_ = composed::HandMadeLog();
  build();
  const std::string tar = eep();
  const std::string code = contents_.items[0].reference_code;
  const std::string xml = composed::readBag(tar).files.at(code + ".xml");
  const std::string id = std::to_string(file.id);
  // The original stays the first encoding; the rendition is the second, marked, with its digest.
  const auto original = xml.find("<编码 编码ID=\"修改0-文档1-文档数据1-编码1\">");
  const auto rendition = xml.find("<编码 编码ID=\"修改0-文档1-文档数据1-编码2\">");
  ASSERT_NE(original, std::string::npos) << xml.substr(0, 3000);
  ASSERT_NE(rendition, std::string::npos) << xml.substr(0, 3000);
  EXPECT_LT(original, rendition);
  EXPECT_NE(xml.find("<计算机文件名>renditions/" + id + ".pdf</计算机文件名>", rendition),
            std::string::npos);
  EXPECT_NE(xml.find(core::sha256Hex(*file.rendition) + "</数字摘要>", rendition),
            std::string::npos);
  EXPECT_NE(xml.find("<编码描述>" + std::string(kEepRenditionDescription) + "</编码描述>"),
            std::string::npos);
  EXPECT_NE(xml.find(">" + core::base64Encode(*file.rendition) + "</编码数据>"), std::string::npos);
  // Inside the signed part.
  EXPECT_LT(rendition, xml.find("</被签名对象>"));
  const std::string path = dir_ / "with-rendition.xml";
  testing::writeFile(path, xml);
  EXPECT_EQ(
      std::system(
          ("xmllint --noout --schema " GONGKAI_DAT48_SCHEMA " " + path + " 2>/dev/null").c_str()),
      0);
  const EepReport report = check(tar);
  EXPECT_TRUE(report.passed()) << formatEepReportText(report);
  bool checked = false;
  for (const EepFinding& f : report.findings) {
    if (f.check == "eep_rendition") checked = f.passed && f.subject == code + ".xml";
  }
  EXPECT_TRUE(checked) << formatEepReportText(report);

  // A rendition that is no PDF/A, signed as it is, fails that check alone.
  file.rendition = formatFixture("notice.pdf");
  log_ = composed::HandMadeLog();
  build();
  EXPECT_EQ(failed(check(eep("plain-pdf.tar"))), std::set<std::string>{"eep_rendition"});
}

TEST_F(EepPackageTest, AnotherKeyDoesNotVerify) {
  auto other = core::Ed25519Signer::generate();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(failed(check(eep(), &other.value())), std::set<std::string>{"eep_signature"});
}

TEST_F(EepPackageTest, AChangedFileFailsItsDigestAndTheSignature) {
  const std::string code = contents_.items[0].reference_code;
  const std::string bytes = readFile(contents_.items[0].files[0].blob_path);
  const EepReport report = changed([&](auto& files) {
    std::string& xml = files[code + ".xml"];
    const std::string encoded = core::base64Encode(bytes);
    std::string spoiled = bytes;
    spoiled[0] ^= 0x01;
    xml.replace(xml.find(encoded), encoded.size(), core::base64Encode(spoiled));
  });
  EXPECT_EQ(failed(report), (std::set<std::string>{"eep_file_digest", "eep_signature"}))
      << formatEepReportText(report);
}

TEST_F(EepPackageTest, AnElementOutsideTheSchemaFailsIt) {
  const std::string code = contents_.items[0].reference_code;
  const EepReport report = changed([&](auto& files) {
    std::string& xml = files[code + ".xml"];
    xml.replace(xml.find("<保管期限>永久"), std::string("<保管期限>永久").size(), "<保管期限>长期");
  });
  EXPECT_EQ(failed(report), (std::set<std::string>{"eep_schema", "eep_signature"}))
      << formatEepReportText(report);
}

TEST_F(EepPackageTest, ASecondSignedObjectHiddenInACommentIsRefused) {
  // The signed bytes are found by their markers; a copy of them elsewhere in the file (here in
  // a comment, where an XML reader would not see it) must not pass for the signed part.
  const std::string code = contents_.items[0].reference_code;
  const EepReport report = changed([&](auto& files) {
    std::string& xml = files[code + ".xml"];
    const auto open = xml.find("<被签名对象");
    const auto close = xml.find("</被签名对象>") + std::string("</被签名对象>").size();
    const std::string copy = xml.substr(open, close - open);
    xml.insert(xml.find("<电子文件封装包"), "<!--" + copy + "-->\n");
  });
  EXPECT_EQ(failed(report), std::set<std::string>{"eep_signature"}) << formatEepReportText(report);
}

TEST_F(EepPackageTest, AFileThatIsNoPackageIsNamed) {
  const EepReport report = changed([](auto& files) { files["readme.exe"] = "MZ"; });
  EXPECT_EQ(failed(report), std::set<std::string>{"eep_layout"}) << formatEepReportText(report);
}

TEST_F(EepPackageTest, ABundleThatIsNotATarIsRefusedAndNothingIsLeft) {
  const std::string garbage = dir_ / "garbage.tar";
  testing::writeFile(garbage, std::string(4096, 'g'));
  const std::string out = dir_ / "out.tar";
  EXPECT_FALSE(writeEepPackage(garbage, out, signer_).ok());
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(check(garbage).passed());
}

TEST_F(EepPackageTest, AnEepTarCutShortDoesNotPass) {
  const std::string whole = readFile(eep());
  const std::string cut = dir_ / "cut.tar";
  testing::writeFile(cut, whole.substr(0, whole.size() / 2));
  EXPECT_FALSE(check(cut).passed()) << formatEepReportText(check(cut));
}

TEST_F(EepPackageTest, APackageCutInHalfFailsItsSchema) {
  const std::string code = contents_.items[0].reference_code;
  const EepReport report = changed([&](auto& files) {
    std::string& xml = files[code + ".xml"];
    xml.resize(xml.size() / 2);
  });
  EXPECT_TRUE(failed(report).count("eep_schema")) << formatEepReportText(report);
  EXPECT_FALSE(report.passed());
}

}  // namespace
}  // namespace gongkai::archive
