#include "gongkai/archive/transfer_receipt.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace gongkai::archive {

std::string receiptSignedText(const ReceiptTerms& terms) {
  return "gongkai-archive-receipt/1\nbundle: " + terms.bundle +
         "\ntagmanifest-sha256: " + terms.tagmanifest_sha256 + "\ndecision: " + terms.decision +
         "\nreceiver-unit: " + terms.receiver_unit + "\nreceiver-name: " + terms.receiver_name +
         "\nremarks: " + terms.remarks + "\n";
}

core::Result<std::string> readTagFile(const std::string& tarPath, const std::string& name) {
  constexpr la_int64_t kMaxTagFile = 1 << 20;
  struct Free {
    void operator()(struct archive* a) const { archive_read_free(a); }
  };
  std::unique_ptr<struct archive, Free> tar(archive_read_new());
  archive_read_support_format_tar(tar.get());
  if (archive_read_open_filename(tar.get(), tarPath.c_str(), 1 << 16) != ARCHIVE_OK) {
    return core::Error::make(
        core::ErrorCode::kIo, "bundle_unreadable",
        "归档包无法读取 (cannot read the bundle): " +
            std::string(archive_error_string(tar.get()) ? archive_error_string(tar.get()) : ""));
  }
  struct archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(tar.get(), &entry)) == ARCHIVE_OK) {
    const char* raw = archive_entry_pathname(entry);
    const std::string path = raw != nullptr ? raw : "";
    const auto slash = path.find('/');
    if (slash != std::string::npos && path.substr(slash + 1) == name &&
        archive_entry_filetype(entry) == AE_IFREG && archive_entry_size(entry) <= kMaxTagFile) {
      std::string bytes(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
      const la_ssize_t got = archive_read_data(tar.get(), bytes.data(), bytes.size());
      if (got == static_cast<la_ssize_t>(bytes.size())) return bytes;
      break;
    }
    archive_read_data_skip(tar.get());
  }
  return core::Error::make(core::ErrorCode::kCorrupt, "tag_file_missing",
                           "归档包中没有 " + name + " (the bundle holds no " + name + ")");
}

core::Result<std::string> readTagManifest(const std::string& tarPath) {
  auto manifest = readTagFile(tarPath, "tagmanifest-sha256.txt");
  if (!manifest.ok() && manifest.error().reason == "tag_file_missing") {
    return core::Error::make(core::ErrorCode::kCorrupt, "tag_manifest_missing",
                             "归档包中没有标签清单 (the bundle holds no tag manifest)");
  }
  return manifest;
}

}  // namespace gongkai::archive
