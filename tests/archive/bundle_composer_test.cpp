// The bundle composer on hand-made records: a real audit log (entries, Merkle proofs, a signed
// checkpoint) built here, the bundle written to a temporary folder and checked by the real
// verifier, and the inputs that cannot make a bundle refused with a reason.
#include "gongkai/archive/bundle_composer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/signed_note.h"
#include "support/temp_dir.h"

namespace gongkai::archive {
namespace {

namespace merkle = core::merkle;
using testing::readFile;
using testing::TempDir;
using testing::writeFile;

constexpr std::string_view kLogName = "example.org/gongkai-audit";
constexpr std::int64_t kMadeAt = 1704067200;  // 2024-01-01T00:00:00Z

// An audit log made by hand: one entry per record version, as the server's entries name them
// (object type, id, version, the record's SHA-256), then a checkpoint over all of them.
class HandMadeLog {
 public:
  RecordVersion log(const std::string& type, std::int64_t id, std::int64_t version,
                    std::string record) {
    const std::int64_t seq = static_cast<std::int64_t>(entries_.size()) + 1;
    entries_.push_back(R"({"content_sha256":")" + core::sha256Hex(record) +
                       R"(","object":{"id":")" + std::to_string(id) + R"(","type":")" + type +
                       R"(","version":)" + std::to_string(version) +
                       "},\"seq\":" + std::to_string(seq) + "}");
    return {version, std::move(record)};
  }

  // Every entry with its inclusion proof against the whole log.
  std::vector<ProvenAuditEntry> proven() const {
    std::vector<ProvenAuditEntry> out;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      out.push_back({static_cast<std::int64_t>(i) + 1, entries_[i],
                     merkle::inclusionProof(i, entries_.size(), nodes())});
    }
    return out;
  }

  BundleCheckpoint checkpoint(const core::Ed25519Signer& signer) const {
    core::Checkpoint body;
    body.origin = std::string(kLogName);
    body.size = entries_.size();
    body.root = merkle::rootAt(entries_.size(), nodes());
    return {static_cast<std::int64_t>(entries_.size()),
            core::note::signNote(core::formatCheckpoint(body), kLogName, signer), kMadeAt};
  }

 private:
  // A complete subtree's hash, from the leaves.
  merkle::NodeSource nodes() const {
    return [this](const merkle::NodeId& id) { return subtree(id.level, id.index); };
  }
  merkle::Hash subtree(int level, std::uint64_t index) const {
    if (level == 0) return merkle::leafHash(entries_[index]);
    return merkle::nodeHash(subtree(level - 1, 2 * index), subtree(level - 1, 2 * index + 1));
  }

  std::vector<std::string> entries_;
};

// Two archived documents of category ZZ, 2023, the catalogue entry they answer, a feedback
// record and an application, all logged; blobs written under `dir`.
class ComposerTest : public ::testing::Test {
 protected:
  ComposerTest() : signer_(core::Ed25519Signer::generate().value()) {
    contents_.fonds = "J001";
    contents_.organization = "中共连云港市妇幼保健院委员会";
    contents_.category = "ZZ";
    contents_.category_name = "组织建设";
    contents_.year = 2023;
    contents_.items.push_back(document(11, 1, "党费收缴情况公示 <2023>", "党费收缴登记表.txt"));
    contents_.items.push_back(document(12, 2, "支部委员会选举结果", "选举结果.csv"));
    contents_.catalogue[7] = {log_.log("catalogue_item", 7, 1, R"({"id":7,"title":"党费"})")};
    contents_.feedback[3] = {log_.log("feedback", 3, 1, R"({"category":"ZZ","id":3})"),
                             log_.log("feedback", 3, 2, R"({"category":"ZZ","id":3,"v":2})")};
    contents_.requests[4] = {log_.log("disclosure_request", 4, 1, R"({"category":"ZZ"})")};
    contents_.audit_entries = log_.proven();
    contents_.checkpoint = log_.checkpoint(signer_);
  }

  // An archived document with two versions: the first with one file, the second adding a
  // second one (so the files are those of every version).
  BundleItem document(std::int64_t id, int number, const std::string& title,
                      const std::string& fileName) {
    BundleItem item;
    item.reference_code = "J001-2023-Y-ZZ-000" + std::to_string(number);
    item.retention = "Y";
    item.item_number = number;
    item.title = title;
    item.doc_number = "党发〔2023〕" + std::to_string(number) + "号";
    item.issued_at = "2023-03-0" + std::to_string(number);
    item.scope = "public";
    const std::string first = file(id * 10 + 1, fileName, item.files);
    const std::string both = first + "," + file(id * 10 + 2, "附件.txt", item.files);
    const std::string common =
        R"("category":"ZZ","document_id":)" + std::to_string(id) + R"(,"title":")" + title + "\"";
    item.versions.push_back(log_.log("document", id, 1,
                                     "{" + common + R"(,"disclosure":{},"files":[)" + first +
                                         R"(],"status":"published",)" + R"("version":1})"));
    item.versions.push_back(log_.log("document", id, 2,
                                     "{" + common + R"(,"disclosure":{"reference_code":")" +
                                         item.reference_code + R"("},"files":[)" + both +
                                         R"(],"status":"archived","version":2})"));
    return item;
  }

  // Writes a text file's blob and returns the file as a record lists it.
  std::string file(std::int64_t id, const std::string& name, std::vector<BundledFile>& files) {
    const std::string bytes = "第 " + std::to_string(id) + " 号文件的内容。\n";
    const std::string sha = core::sha256Hex(bytes);
    const std::string path = dir_ / ("blob-" + std::to_string(id));
    writeFile(path, bytes);
    files.push_back({id, name, path});
    const std::string type = name.ends_with(".csv") ? "text/csv" : "text/plain";
    return R"({"id":)" + std::to_string(id) + R"(,"media_type":")" + type + R"(","name":")" + name +
           R"(","sha256":")" + sha + R"(","size":)" + std::to_string(bytes.size()) + "}";
  }

  // The report of the real verifier, trusting the signing key.
  BundleReport verify(const std::string& tar) const {
    VerifyOptions options;
    options.public_key_pems = {core::ed25519PublicKeyPem(signer_.publicKey())};
    return verifyBundle(tar, options);
  }

  BundleSigners signers() const { return {&signer_, nullptr}; }

  TempDir dir_;
  core::Ed25519Signer signer_;
  HandMadeLog log_;
  BundleContents contents_;
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
}

TEST_F(ComposerTest, TheSameContentsGiveTheSameBytes) {
  auto first = BundleComposer::compose(contents_, signers());
  auto second = BundleComposer::compose(contents_, signers());
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(first.value().writeTo(dir_ / "a.tar").ok());
  ASSERT_TRUE(second.value().writeTo(dir_ / "b.tar").ok());
  EXPECT_EQ(readFile(dir_ / "a.tar"), readFile(dir_ / "b.tar"));
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
