#pragma once

// What the steps of verifyBundle share: the report they add findings to, the files of the bag
// as read once, and what one step learns for a later one (the bag-info labels, the records the
// audit log vouches for, the declared media types of payload files).

#include <openssl/evp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/archive/file_inspector.h"
#include "gongkai/core/ed25519.h"

namespace gongkai::archive::verify {

struct EvpFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, EvpFree>;

// Everything learnt about one file of the bag while streaming it.
struct SeenFile {
  std::int64_t size = 0;
  std::string sha256, sha512;
  std::optional<FileFindings> findings;  // files under data/ only
  std::optional<std::string> bytes;      // kept unless payload under items/*/files/
};

// A trusted public key from --key.
struct TrustedKey {
  Pkey key;
  bool sm2 = false;
  core::Ed25519PublicKey ed25519{};
};

// bag-info.txt's "Label: value" pairs, in order (a label may repeat).
using BagInfo = std::vector<std::pair<std::string, std::string>>;

struct VerifyContext {
  VerifyContext(const std::string& path, const VerifyOptions& verifyOptions)
      : options(verifyOptions) {
    report.bundle = path;
  }

  // A finding for the DA/T 70 item numbered `item` (detection_items.h).
  void add(std::string_view item, std::string check, std::string subject, bool passed,
           std::string message) {
    report.findings.push_back({detectionItem(item).property, std::string(item), std::move(check),
                               std::move(subject), passed, std::move(message)});
  }
  // The bytes of a file that was kept (see mustRead in bag_text.h), or null.
  const std::string* bytesOf(std::string_view path) const {
    auto found = files.find(std::string(path));
    if (found == files.end() || !found->second.bytes) return nullptr;
    return &*found->second.bytes;
  }

  const VerifyOptions& options;
  int stream_fd = -1;  // set: the tar is read from this pipe, report.bundle only names it
  BundleReport report;
  std::vector<TrustedKey> keys;
  std::map<std::string, SeenFile> files;  // path inside the bag → what was seen
  BagInfo info;
  std::map<std::string, std::string> logged;    // "type/id/version" → content_sha256
  std::map<std::string, std::string> declared;  // payload path → declared media type
};

}  // namespace gongkai::archive::verify
