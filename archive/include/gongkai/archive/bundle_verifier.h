#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/archive/detection_items.h"
#include "gongkai/archive/safe_tar_reader.h"

namespace gongkai::archive {

// One check on one thing: the bundle, an item (by 档号), a file or an audit entry, as evidence
// for one DA/T 70 detection item.
struct Finding {
  Property property = Property::kIntegrity;  // the item's
  std::string item;     // the DA/T 70 item's number, e.g. "1-1" (detection_items.h)
  std::string check;    // stable code, e.g. "manifest_sha256", "signature_ed25519"
  std::string subject;  // what was checked: a path, a 档号, "bundle"
  bool passed = false;
  std::string message;  // Chinese first, English in parentheses
};

struct BundleReport {
  std::string bundle;  // the tar's path as given
  std::string name;    // the bag's top-level folder, once read
  std::vector<Finding> findings;
  bool passed() const;
  std::size_t failures() const;
};

struct VerifyOptions {
  // Trusted public keys (PEM, SubjectPublicKeyInfo): Ed25519 checks the bundle's Ed25519
  // signature and the audit checkpoint; SM2 checks the SM2/SM3 signature.
  std::vector<std::string> public_key_pems;
  TarLimits limits;
  // Called after each piece of an entry's contents is read, with the bytes of contents read so
  // far (for a progress display; the check goes on to the end whatever it does).
  std::function<void(std::int64_t contentBytesRead)> on_read;
};

// Reads the bundle once, streaming (memory stays small whatever the payload size), and checks
// the four properties of the layout in bundle_layout.h: authenticity (signatures by a trusted
// key, the checkpoint's signature, each audit entry's inclusion proof, each record against the
// log entry that made it, files against the records), integrity (bag declaration, both payload
// manifests and the tag manifest, Payload-Oxum, item count, 档号 format and continuity,
// required metadata), usability (each file opens as its declared format) and safety (a safe tar,
// no executables, scripts, macros or encryption). An unsafe tar stops the check there.
BundleReport verifyBundle(const std::string& tarPath, const VerifyOptions& options);
// The same check of a tar read from `fd` as it comes, to its end or to the first unsafe entry
// (a pipe from the bag writer, so that a build checks its bundle while writing it); `name`
// names the bundle in the report. The descriptor stays the caller's.
BundleReport verifyBundleStream(int fd, const std::string& name, const VerifyOptions& options);

// Where one DA/T 70 item stands: failed when any of its findings failed, passed when it has
// findings and none failed, not applicable when the table says so, else not checked (the check
// stopped before it, e.g. at an unsafe tar).
enum class ItemStatus { kPass, kFail, kNotApplicable, kNotChecked };
std::string_view itemStatusCode(ItemStatus status);  // "pass", "fail", "not_applicable", ...
std::string_view itemStatusName(ItemStatus status);  // "通过", "不通过", "不适用", "未检"

struct ItemResult {
  const DetectionItem* item = nullptr;
  ItemStatus status = ItemStatus::kNotChecked;
  std::vector<const Finding*> evidence;  // into the report; failures first
};
// Every item of detectionItems(), in order, judged by the report's findings.
std::vector<ItemResult> itemResults(const BundleReport& report);

// The report for people, item by item under each property, Chinese and English.
std::string formatReportText(const BundleReport& report);
// The report as JSON: {"bundle", "name", "passed", "failures", "properties", "items": [{number,
// name, property, status, evidence: [...]}], "findings": [...]}.
std::string formatReportJson(const BundleReport& report);
// The report as a printable Chinese HTML page (one file, no scripts or outside resources).
std::string formatReportHtml(const BundleReport& report);

}  // namespace gongkai::archive
