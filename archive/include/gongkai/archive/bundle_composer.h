#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/archive/bag_writer.h"
#include "gongkai/archive/sm2_signer.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/merkle.h"
#include "gongkai/core/result.h"

// What goes into an annual archive bundle (bundle_layout.h), as plain records the server reads
// from its store, and the composer that lays them out as the bag. Composing here, beside the
// verifier, keeps the layout written and the layout checked in one library.
namespace gongkai::archive {

// One version of a record: its number (1, 2, ...) and its canonical bytes, exactly as stored
// (the audit entry that made it carries their SHA-256).
struct RecordVersion {
  std::int64_t version = 0;
  std::string record;
};

// Records kept version by version outside the items (catalogue entries, feedback,
// applications): id → versions, oldest first.
using VersionedRecords = std::map<std::int64_t, std::vector<RecordVersion>>;

// A file some version of a document held, and where its bytes are on disk.
struct BundledFile {
  std::int64_t id = 0;
  std::string name;  // as uploaded: the index shows it, its extension names the bundled file
  std::string blob_path;
  // As recorded when it was filed (the blob's content address), for the SHA-256 manifest: a
  // blob whose bytes have changed since fails the bundle's check. Empty: taken from the bytes.
  std::string sha256 = {};
};

// A preservation rendition (PDF/A) of one of the item's files, made once and stored: its bytes
// are the same at every build, so bundles still rebuild byte for byte.
struct BundledRendition {
  std::int64_t of_file_id = 0;  // the BundledFile it stands for
  std::string blob_path;
  std::string sha256 = {};  // as recorded, as for BundledFile
};

// One archived document.
struct BundleItem {
  std::string reference_code;  // 档号, the item's folder
  std::string retention;       // "Y", "D30", "D10"
  int item_number = 0;         // its place in the FONDS-YEAR-RETENTION-CATEGORY sequence
  // The index's columns, from the current version's metadata ("" when it has none).
  std::string title;
  std::string doc_number;
  std::string issued_at;
  std::string scope;
  std::vector<RecordVersion> versions;  // oldest first; the last is metadata.json
  std::vector<BundledFile> files;       // every file any version held
  std::vector<BundledRendition> renditions;
};

// An audit entry (canonical bytes) with its inclusion proof against the bundle's checkpoint.
struct ProvenAuditEntry {
  std::int64_t seq = 0;
  std::string bytes;
  std::vector<core::merkle::Hash> proof;
};

struct BundleCheckpoint {
  std::int64_t tree_size = 0;
  std::string note;          // the signed note, as stored
  std::int64_t made_at = 0;  // seconds since the epoch: every tar entry's time, the Bagging-Date
};

struct BundleContents {
  std::string fonds;         // 全宗号
  std::string organization;  // Source-Organization, also the index's heading
  // 接收单位, the committee the bundle is transferred to (the transfer list's "to"); when empty
  // the list says 上级党委.
  std::string receiving_organization;
  std::string category;  // the category's code
  std::string category_name;
  int year = 0;
  std::vector<BundleItem> items;  // in the order the index lists them
  VersionedRecords catalogue;
  VersionedRecords feedback;
  VersionedRecords requests;
  std::vector<ProvenAuditEntry> audit_entries;  // by seq, each once
  BundleCheckpoint checkpoint;
};

// The keys that sign the tag manifest; either may be absent. Both must outlive the composer.
struct BundleSigners {
  const core::Ed25519Signer* ed25519 = nullptr;
  const Sm2Signer* sm2 = nullptr;
};

// Lays out one bundle from its contents: the records and files under data/, the index in
// Chinese (index.html, index.csv), the audit entries with their proofs, bag-info.txt with the
// bundle's counts and sequences, the transfer list (移交清单) as tag files, signed. The same
// contents give the same bytes (except an SM2 signature, which is randomised).
class BundleComposer {
 public:
  // Checks the contents (at least one item, each with a version, every file's blob present,
  // audit entries in seq order, each once, every rendition of a file of its item) and lays them
  // out, each item's formats.json identified from the files' bytes (read once for that):
  // kInvalidArgument for contents that cannot make a bundle, kIo for a missing or unreadable
  // blob. Paths that are unsafe or that two records
  // share (a 档号 twice, a file id twice) are refused by writeTo, before anything is written.
  static core::Result<BundleComposer> compose(const BundleContents& contents,
                                              BundleSigners signers);

  // The bag's top-level folder: FONDS-YEAR-CATEGORY-T<checkpoint size>.
  const std::string& name() const { return name_; }
  // Payload bytes the bundle will hold (files as they are on disk now).
  std::int64_t payloadBytes() const { return bag_.payloadBytes(); }
  // See BagWriter::onProgress: false stops the writing. The bytes reported run once from 0 to
  // payloadBytes() as the payload is written (and checked, a little behind).
  void onProgress(std::function<bool(std::int64_t payloadBytes)> progress) {
    progress_ = std::move(progress);
  }
  // Writes the bundle's tar (see BagWriter::writeTo) with its DA/T 70 check report inside: the
  // bundle is written once to `tarPath` and checked by the verifier with the signers' public
  // keys as it is written (every byte of the tar on its way to the file, read by the verifier's
  // own tar reader and hashed by its own digests); then what follows the payload (tag files,
  // tag manifest, signatures) is written again with the report as the tag files
  // check-report.json and check-report.html. The payload is written once. The report names the
  // bundle, not a path, and is as reproducible as the bundle.
  core::Result<BagWriter::Written> writeTo(const std::string& tarPath, bool durable = false) const;

 private:
  BundleComposer(std::string name, BagWriter bag, std::vector<std::string> publicKeys)
      : name_(std::move(name)), bag_(std::move(bag)), publicKeys_(std::move(publicKeys)) {}

  std::string name_;
  BagWriter bag_;
  std::vector<std::string> publicKeys_;  // PEM, of the signers
  std::function<bool(std::int64_t)> progress_;
};

}  // namespace gongkai::archive
