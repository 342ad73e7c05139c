#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "gongkai/core/result.h"

namespace gongkai::server::store {

// A file's contents written to the blob store's temporary folder, fsynced, and hashed, but not
// yet visible under its content name. Deletes its temporary file unless promoted. Move-only.
class StagedBlob {
 public:
  StagedBlob() = default;
  StagedBlob(std::string tempPath, std::string sha256, std::int64_t size);
  StagedBlob(StagedBlob&& other) noexcept;
  StagedBlob& operator=(StagedBlob&& other) noexcept;
  StagedBlob(const StagedBlob&) = delete;
  StagedBlob& operator=(const StagedBlob&) = delete;
  ~StagedBlob();

  const std::string& sha256() const { return sha256_; }
  std::int64_t size() const { return size_; }

 private:
  friend class BlobStore;
  std::string tempPath_;
  std::string sha256_;
  std::int64_t size_ = 0;
};

// Content-addressed file store: blobs/ab/abcdef... named by SHA-256, written to a temporary file,
// fsynced, then renamed into place, so a blob is either whole or absent after a crash, and
// identical contents are kept once. Thread-safe.
class BlobStore {
 public:
  // When a blob is made durable: at once (an upload, acknowledged by itself), or by one syncAll()
  // for many (a bulk import's batch, where one sync of the filesystem replaces hundreds of file and
  // folder fsyncs that each wait for the disk). Batched blobs must be synced before anything that
  // names them is committed.
  enum class Durability { kNow, kBatched };

  // Creates `root`/blobs and `root`/tmp when missing and clears stale temporary files.
  static core::Result<BlobStore> open(const std::string& root);

  // Streams `in` to a temporary file while hashing it. Fails with kTooLarge (reason
  // "payload_too_large") once more than `maxBytes` arrive, and with kMalformed if the stream
  // breaks off with an error. Memory use is one buffer, whatever the size.
  core::Result<StagedBlob> stage(std::istream& in, std::int64_t maxBytes,
                                 Durability durability = Durability::kNow) const;

  // Puts a staged blob under its content name (rename, then, kNow, the folder's fsync).
  core::Status promote(StagedBlob& blob, Durability durability = Durability::kNow) const;

  // Makes everything written under the blob folder so far durable: syncfs(2) on its filesystem,
  // which reports write-back errors since Linux 5.8.
  core::Status syncAll() const;

  std::string pathOf(const std::string& sha256) const;
  bool contains(const std::string& sha256) const;
  // Deletes a blob for good (a disposed record's file) and makes the deletion durable; a blob
  // already gone is no error. kIo when it cannot be removed.
  core::Status remove(const std::string& sha256) const;

 private:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

}  // namespace gongkai::server::store
