#pragma once

#include <string>
#include <vector>

#include "gongkai/archive/safe_tar_reader.h"

namespace gongkai::archive {

// The four properties of DA/T 70's check of electronic records (四性检测).
enum class Property { kAuthenticity, kIntegrity, kUsability, kSafety };

std::string_view propertyCode(Property property);  // "authenticity", ...
std::string_view propertyName(Property property);  // "真实性", ...

// One check on one thing: the bundle, an item (by 档号), a file or an audit entry.
struct Finding {
  Property property = Property::kIntegrity;
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
};

// Reads the bundle once, streaming (memory stays small whatever the payload size), and checks
// the four properties of the layout in bundle_layout.h: authenticity (signatures by a trusted
// key, the checkpoint's signature, each audit entry's inclusion proof, each record against the
// log entry that made it, files against the records), integrity (bag declaration, both payload
// manifests and the tag manifest, Payload-Oxum, item count, 档号 format and continuity,
// required metadata), usability (each file opens as its declared format) and safety (a safe tar,
// no executables, scripts, macros or encryption). An unsafe tar stops the check there.
BundleReport verifyBundle(const std::string& tarPath, const VerifyOptions& options);

// The report for people, property by property, Chinese and English.
std::string formatReportText(const BundleReport& report);
// The report as JSON: {"bundle", "name", "passed", "failures", "findings": [...]}.
std::string formatReportJson(const BundleReport& report);

}  // namespace gongkai::archive
