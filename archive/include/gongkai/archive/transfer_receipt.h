#pragma once

#include <string>
#include <string_view>

#include "gongkai/core/result.h"

// The receiving office's countersignature of a transfer (移交清单 → 接收回执): what it signs,
// and where in a bundle the signed object is. The office checks the bundle it received, takes
// the SHA-256 of its tag manifest (which lists, and so fixes, every other file and the transfer
// list), and signs with Ed25519 the text receiptSignedText() makes of that digest and its
// decision. Anyone can check the receipt later with the stock openssl:
//   openssl pkeyutl -verify -pubin -inkey receiver.pem -rawin -in signed.txt -sigfile sig.bin
namespace gongkai::archive {

// What the receiving office may decide: 接收, 附意见接收, 拒收.
inline constexpr std::string_view kReceiptDecisions[] = {"accepted", "accepted_with_remarks",
                                                         "refused"};

struct ReceiptTerms {
  std::string bundle;              // the bag's name
  std::string tagmanifest_sha256;  // hex, lower case
  std::string decision;            // one of kReceiptDecisions
  std::string receiver_unit;
  std::string receiver_name;
  std::string remarks;  // may be empty, may hold line breaks (it is the last line)
};

// The exact UTF-8 text the office signs, one "label: value" per line, each ending in "\n":
//   gongkai-archive-receipt/1
//   bundle: J001-2023-ZZ-T42
//   tagmanifest-sha256: <64 hex>
//   decision: accepted
//   receiver-unit: <unit>
//   receiver-name: <name>
//   remarks: <remarks, possibly several lines>
std::string receiptSignedText(const ReceiptTerms& terms);

// The bytes of the bundle's tag file `name` (at the bag's top, e.g. "transfer-list.json"), read
// from its tar (every other entry is skipped, not read), at most 1 MiB: kIo when the tar cannot
// be read, kCorrupt ("tag_file_missing") when it holds no such file.
core::Result<std::string> readTagFile(const std::string& tarPath, const std::string& name);
// readTagFile of tagmanifest-sha256.txt; kCorrupt "tag_manifest_missing" when there is none.
core::Result<std::string> readTagManifest(const std::string& tarPath);

}  // namespace gongkai::archive
