#pragma once

// Bundles made by hand for the archive tests: a real audit log (entries, Merkle proofs, a signed
// checkpoint) built here, archived documents described field by field so that a test can spoil
// exactly one thing, the bundle composed and written to a temporary folder, and helpers that
// read a written bundle back, change it and seal it again, so that a test can spoil the package
// itself. Header-only: each test file that includes it is one translation unit.

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/archive/bundle_composer.h"
#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/signed_note.h"
#include "support/temp_dir.h"

namespace gongkai::archive::composed {

namespace merkle = core::merkle;

inline constexpr std::string_view kLogName = "example.org/gongkai-audit";
inline constexpr std::int64_t kMadeAt = 1704067200;  // 2024-01-01T00:00:00Z

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

  // The entry that records a preservation rendition of the blob `originalSha256`, as the server
  // writes it (object "rendition", the original's SHA-256, version 1).
  void logRendition(const std::string& originalSha256, const std::string& rendition) {
    const std::int64_t seq = static_cast<std::int64_t>(entries_.size()) + 1;
    entries_.push_back(R"({"content_sha256":")" + core::sha256Hex(rendition) +
                       R"(","object":{"id":")" + originalSha256 +
                       R"(","type":"rendition","version":1},"seq":)" + std::to_string(seq) + "}");
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
  merkle::NodeSource nodes() const {
    return [this](const merkle::NodeId& id) { return subtree(id.level, id.index); };
  }
  merkle::Hash subtree(int level, std::uint64_t index) const {
    if (level == 0) return merkle::leafHash(entries_[index]);
    return merkle::nodeHash(subtree(level - 1, 2 * index), subtree(level - 1, 2 * index + 1));
  }

  std::vector<std::string> entries_;
};

inline std::string jsonText(const std::string& text) { return "\"" + text + "\""; }

// A JSON object from raw member values, keys in order.
inline std::string object(const std::map<std::string, std::string>& members) {
  std::string out = "{";
  for (const auto& [key, value] : members) {
    out += (out.size() > 1 ? "," : "") + jsonText(key) + ":" + value;
  }
  return out + "}";
}

// One file of a document as a test wants it.
struct FileSpec {
  std::int64_t id = 0;
  std::string name;
  std::string bytes;
  std::string media_type = "text/plain";
  std::optional<std::int64_t> recorded_size;    // what the record says, when not the real size
  bool in_bundle = true;                        // its bytes are in files/
  bool in_records = true;                       // a version's record lists it
  std::optional<std::string> rendition;         // its preservation rendition's bytes
  std::optional<std::string> logged_rendition;  // what the log records, when not `rendition`
};

// One archived document, described member by member: the current (last) version's top-level
// members and its disclosure's, as raw JSON, so a test can change, drop or spoil any of them.
// Every version but the last is the same document as published, listing the first file only.
struct DocSpec {
  std::int64_t id = 0;
  std::string code;  // 档号, the item's folder
  std::string retention = "Y";
  int number = 0;
  std::map<std::string, std::string> fields;
  std::map<std::string, std::string> disclosure;
  std::vector<FileSpec> files;
  std::vector<std::int64_t> versions = {1, 2};
  std::optional<std::string> first_record;  // the first version's bytes, when not the usual
};

// Two archived documents of category ZZ, 2023, with complete records, the catalogue entry they
// answer, a feedback record and an application, all logged; blobs written under `dir_`.
// A test changes docs_ (or contents_ after build()), then calls build() and write().
class ComposedBundleTest : public ::testing::Test {
 protected:
  ComposedBundleTest() : signer_(core::Ed25519Signer::generate().value()) {
    docs_.push_back(doc(11, 1, "党费收缴情况公示 <2023>", "党费收缴登记表.txt"));
    docs_.push_back(doc(12, 2, "支部委员会选举结果", "选举结果.csv"));
  }

  DocSpec doc(std::int64_t id, int number, const std::string& title, const std::string& fileName) {
    DocSpec spec;
    spec.id = id;
    spec.number = number;
    spec.code = "J001-2023-Y-ZZ-000" + std::to_string(number);
    spec.fields = {{"title", jsonText(title)},
                   {"doc_number", jsonText("党发〔2023〕" + std::to_string(number) + "号")},
                   {"category", jsonText("ZZ")},
                   {"org_unit", jsonText("branch-1")},
                   {"scope", jsonText("public")},
                   {"mode", jsonText("proactive")},
                   {"period", jsonText("standing")},
                   {"issued_at", jsonText("2023-03-0" + std::to_string(number))},
                   {"summary", "null"},
                   {"status", jsonText("archived")}};
    spec.disclosure = {{"archived", std::string(R"({"at":"2023-12-01T08:00:00Z","by":"a1"})")},
                       {"retention", jsonText("Y")},
                       {"reference_code", jsonText(spec.code)}};
    for (std::int64_t n : {id * 10 + 1, id * 10 + 2}) {
      FileSpec file;
      file.id = n;
      file.name = n == id * 10 + 1 ? fileName : "附件.txt";
      file.media_type = file.name.ends_with(".csv") ? "text/csv" : "text/plain";
      file.bytes = "第 " + std::to_string(n) + " 号文件的内容。\n";
      spec.files.push_back(file);
    }
    return spec;
  }

  // Logs every record and lays out contents_ (with proofs and the checkpoint).
  void build() {
    contents_ = {};
    contents_.fonds = "J001";
    contents_.organization = "中共连云港市妇幼保健院委员会";
    contents_.category = "ZZ";
    contents_.category_name = "组织建设";
    contents_.year = 2023;
    for (const DocSpec& spec : docs_) contents_.items.push_back(item(spec));
    contents_.catalogue[7] = {log_.log("catalogue_item", 7, 1, R"({"id":7,"title":"党费"})")};
    contents_.feedback[3] = {log_.log("feedback", 3, 1, R"({"category":"ZZ","id":3})"),
                             log_.log("feedback", 3, 2, R"({"category":"ZZ","id":3,"v":2})")};
    contents_.requests[4] = {log_.log("disclosure_request", 4, 1, R"({"category":"ZZ"})")};
    contents_.audit_entries = log_.proven();
    contents_.checkpoint = log_.checkpoint(signer_);
  }

  // Composes and writes the bundle; its path.
  std::string write(const std::string& name = "bundle.tar") {
    auto bundle = BundleComposer::compose(contents_, {&signer_, nullptr});
    EXPECT_TRUE(bundle.ok()) << bundle.error().message;
    const std::string tar = dir_ / name;
    const auto written = bundle.value().writeTo(tar);
    EXPECT_TRUE(written.ok()) << written.error().message;
    return tar;
  }

  // The report of the real verifier, trusting `signer` (the bundle's own by default).
  BundleReport verify(const std::string& tar, const core::Ed25519Signer* signer = nullptr) const {
    VerifyOptions options;
    options.public_key_pems = {
        core::ed25519PublicKeyPem((signer != nullptr ? *signer : signer_).publicKey())};
    return verifyBundle(tar, options);
  }

  testing::TempDir dir_;
  core::Ed25519Signer signer_;
  HandMadeLog log_;
  std::vector<DocSpec> docs_;
  BundleContents contents_;

 private:
  std::string fileRecord(const FileSpec& file) const {
    return object({{"id", std::to_string(file.id)},
                   {"media_type", jsonText(file.media_type)},
                   {"name", jsonText(file.name)},
                   {"sha256", jsonText(core::sha256Hex(file.bytes))},
                   {"size", std::to_string(file.recorded_size.value_or(
                                static_cast<std::int64_t>(file.bytes.size())))}});
  }

  std::string record(const DocSpec& spec, std::int64_t version, bool current) const {
    std::map<std::string, std::string> members = spec.fields;
    members["document_id"] = std::to_string(spec.id);
    members["version"] = std::to_string(version);
    std::string files;
    for (std::size_t i = 0; i < spec.files.size(); ++i) {
      if (!spec.files[i].in_records || (!current && i > 0)) continue;
      files += (files.empty() ? "" : ",") + fileRecord(spec.files[i]);
    }
    members["files"] = "[" + files + "]";
    if (current) {
      members["disclosure"] = object(spec.disclosure);
    } else {
      members["status"] = jsonText("published");
      members["disclosure"] = "{}";
    }
    return object(members);
  }

  BundleItem item(const DocSpec& spec) {
    BundleItem item;
    item.reference_code = spec.code;
    item.retention = spec.retention;
    item.item_number = spec.number;
    const auto plain = [&](const char* key) {
      auto found = spec.fields.find(key);
      if (found == spec.fields.end() || found->second.size() < 2 || found->second[0] != '"')
        return std::string();
      return found->second.substr(1, found->second.size() - 2);
    };
    item.title = plain("title");
    item.doc_number = plain("doc_number");
    item.issued_at = plain("issued_at");
    item.scope = plain("scope");
    for (const FileSpec& file : spec.files) {
      if (!file.in_bundle) continue;
      const std::string path = dir_ / ("blob-" + std::to_string(file.id));
      testing::writeFile(path, file.bytes);
      // With its digest as the server records it at filing; renditions without (taken from
      // the bytes), so the bundle holds both kinds.
      item.files.push_back({file.id, file.name, path, core::sha256Hex(file.bytes)});
      if (file.rendition) {
        const std::string renditionPath = dir_ / ("rendition-" + std::to_string(file.id));
        testing::writeFile(renditionPath, *file.rendition);
        item.renditions.push_back({file.id, renditionPath});
        log_.logRendition(core::sha256Hex(file.bytes),
                          file.logged_rendition.value_or(*file.rendition));
      }
    }
    for (std::size_t i = 0; i < spec.versions.size(); ++i) {
      const std::int64_t n = spec.versions[i];
      const bool current = i + 1 == spec.versions.size();
      std::string bytes =
          i == 0 && spec.first_record ? *spec.first_record : record(spec, n, current);
      item.versions.push_back(log_.log("document", spec.id, n, std::move(bytes)));
    }
    return item;
  }
};

// A written bundle's files: path inside the bag (no top-level folder) → bytes. Folders are left
// out; writeBag makes them again.
struct BagFiles {
  std::string root;
  std::map<std::string, std::string> files;
};

inline BagFiles readBag(const std::string& tar) {
  BagFiles bag;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_filename(a, tar.c_str(), 1 << 16), ARCHIVE_OK);
  struct archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    const char* utf8 = archive_entry_pathname_utf8(entry);
    std::string path = utf8 ? utf8 : archive_entry_pathname(entry);
    const auto slash = path.find('/');
    if (bag.root.empty()) bag.root = path.substr(0, slash);
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string bytes;
    std::vector<char> buffer(1 << 16);
    la_ssize_t got = 0;
    while ((got = archive_read_data(a, buffer.data(), buffer.size())) > 0) {
      bytes.append(buffer.data(), static_cast<std::size_t>(got));
    }
    bag.files[path.substr(slash + 1)] = std::move(bytes);
  }
  archive_read_free(a);
  return bag;
}

// Writes the bag's files as a tar, as they are; `symlink`, when given, adds a link entry of
// that name (inside the bag) pointing at /etc/passwd.
inline void writeBag(const std::string& tar, const BagFiles& bag, const std::string& symlink = "") {
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, tar.c_str()), ARCHIVE_OK);
  std::set<std::string> folders;
  const auto header = [&](const std::string& path, unsigned type, std::int64_t size) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname_utf8(entry, (bag.root + "/" + path).c_str());
    archive_entry_set_filetype(entry, type);
    archive_entry_set_perm(entry, type == AE_IFDIR ? 0755 : 0644);
    if (type == AE_IFLNK) archive_entry_set_symlink(entry, "/etc/passwd");
    archive_entry_set_size(entry, size);
    archive_write_header(a, entry);
    archive_entry_free(entry);
  };
  header("", AE_IFDIR, 0);
  for (const auto& [path, bytes] : bag.files) {
    for (auto slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      if (folders.insert(path.substr(0, slash + 1)).second)
        header(path.substr(0, slash + 1), AE_IFDIR, 0);
    }
    header(path, AE_IFREG, static_cast<std::int64_t>(bytes.size()));
    archive_write_data(a, bytes.data(), bytes.size());
  }
  if (!symlink.empty()) header(symlink, AE_IFLNK, 0);
  archive_write_close(a);
  archive_write_free(a);
}

inline std::string sha512Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha512(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

// Seals a changed bag again as its maker would: both payload manifests, Payload-Oxum (when
// `recount`), the tag manifest and its Ed25519 signature.
inline void reseal(BagFiles& bag, const core::Ed25519Signer& signer, bool recount = true) {
  std::string m256, m512;
  std::int64_t octets = 0, count = 0;
  for (const auto& [path, bytes] : bag.files) {
    if (!path.starts_with("data/")) continue;
    m256 += core::sha256Hex(bytes) + "  " + path + "\n";
    m512 += sha512Hex(bytes) + "  " + path + "\n";
    octets += static_cast<std::int64_t>(bytes.size());
    ++count;
  }
  bag.files["manifest-sha256.txt"] = m256;
  bag.files["manifest-sha512.txt"] = m512;
  if (recount) {
    std::string& info = bag.files["bag-info.txt"];
    const auto at = info.find("Payload-Oxum: ");
    const auto end = info.find('\n', at);
    info.replace(at, end - at,
                 "Payload-Oxum: " + std::to_string(octets) + "." + std::to_string(count));
  }
  std::string tags;
  for (const auto& [path, bytes] : bag.files) {
    if (path.find('/') != std::string::npos || path == "tagmanifest-sha256.txt") continue;
    tags += core::sha256Hex(bytes) + "  " + path + "\n";
  }
  bag.files["tagmanifest-sha256.txt"] = tags;
  bag.files["signatures/tagmanifest-sha256.txt.ed25519.sig"] = signer.sign(tags);
}

// Replaces the first "Label: ..." line of bag-info.txt (or removes it, for an empty value).
inline void setInfo(BagFiles& bag, const std::string& label, const std::string& value) {
  std::string& info = bag.files["bag-info.txt"];
  const auto at = info.find(label + ": ");
  ASSERT_NE(at, std::string::npos) << label;
  const auto end = info.find('\n', at) + 1;
  info.replace(at, end - at, value.empty() ? "" : label + ": " + value + "\n");
}

}  // namespace gongkai::archive::composed
