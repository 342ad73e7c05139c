#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/ed25519.h"
#include "gongkai/core/result.h"

// The EEP export of a bundle (DA/T 48-2009 基于XML的电子文件封装规范): each archived item as
// one electronic-record encapsulation package (电子文件封装包), an XML file holding the item's
// metadata, every file of its current version base64-encoded, and the unit's Ed25519 signature
// of the signed part (被签名对象), valid against data/dat48-eep.xsd. The files of one bundle
// go out as one uncompressed tar:
//
//   <bundle name>-eep/<档号>.xml     one package per item, in 档号 order
//
// A file with a PDF/A preservation rendition in the bundle (renditions/<file id>.pdf) carries it
// as a second 编码 of its 文档数据 (编码2), marked by 编码描述 kEepRenditionDescription, with its
// own 电子属性 (size, SHA-256), inside the signed part.
//
// The package is made from the bundle's tar (its metadata.json, files/ and renditions/), never
// from the
// database, so it says exactly what was transferred; the same bundle and key give the same
// bytes (every time in it is the bundle's checkpoint time).
//
// The signature (签名规则): pure Ed25519 over the bytes of the file from "<被签名对象" through
// "</被签名对象>" as written, each of which occurs exactly once in the file; no XML
// canonicalisation. 签名算法标识 is Ed25519's OID, 1.3.101.112; 证书 holds the public key (PEM).
namespace gongkai::archive {

// The most file bytes one item's package takes: the package is built (and signed) in memory.
inline constexpr std::int64_t kMaxEepItemBytes = std::int64_t{256} << 20;

inline constexpr const char* kEepNamespace = "http://www.saac.gov.cn/standards/ERM/encapsulation";

// 编码描述 of an encoding that is a preservation rendition, not the original.
inline constexpr std::string_view kEepRenditionDescription =
    "长期保存版本：原文件的 PDF/A-2b 转换件，原文件为编码1 (preservation rendition of 编码1, "
    "PDF/A)";

struct EepWritten {
  std::int64_t size = 0;
  std::string sha256;  // of the tar, hex
  std::int64_t items = 0;
};

// Writes the EEP tar of the bundle at `bundleTarPath` to `outPath` (replaced; removed again on
// failure), signed by `signer`. Errors: what SafeTarReader refuses; kCorrupt "eep_bundle" for a
// bundle whose item records do not parse or name a file it lacks; kTooLarge
// "eep_item_too_large" for an item past kMaxEepItemBytes; kIo when the tar cannot be written.
core::Result<EepWritten> writeEepPackage(const std::string& bundleTarPath,
                                         const std::string& outPath,
                                         const core::Ed25519Signer& signer);

// One check of an EEP tar: on the tar, or on one package (its file name).
struct EepFinding {
  // tar_safety, eep_layout, eep_schema, eep_signature, eep_file_digest, eep_rendition
  std::string check;
  std::string subject;
  bool passed = false;
  std::string message;  // Chinese first, English in parentheses
};

struct EepReport {
  std::string package;        // the tar's path as given
  std::int64_t packages = 0;  // XML packages found
  std::vector<EepFinding> findings;
  bool passed() const;
};

// Checks an EEP tar offline: a safe tar holding only <folder>/<name>.xml files, each valid
// against the shipped schema, its signature by one of the trusted Ed25519 keys (PEM), each
// file's bytes (编码数据, base64) of the size and SHA-256 its 电子属性 state, renditions
// included, and (when a package has renditions) each rendition a second 编码 of its file that is
// PDF/A by our inspector.
EepReport verifyEepPackage(const std::string& tarPath,
                           const std::vector<std::string>& publicKeyPems);

std::string formatEepReportText(const EepReport& report);
// {"package", "packages", "passed", "findings": [{check, subject, passed, message}]}
std::string formatEepReportJson(const EepReport& report);

}  // namespace gongkai::archive
