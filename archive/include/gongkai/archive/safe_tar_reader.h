#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "gongkai/core/result.h"

namespace gongkai::archive {

// What a tar may hold before it is refused. The defaults fit any bundle the server writes.
struct TarLimits {
  std::int64_t max_entries = 1'000'000;
  std::int64_t max_entry_bytes = std::int64_t{64} << 30;  // one file
  std::int64_t max_total_bytes = std::int64_t{1} << 40;   // all files together, as declared
  std::size_t max_path_bytes = 4096;
};

struct TarEntry {
  std::string path;  // as stored, UTF-8, without a trailing '/' for folders
  bool directory = false;
  std::int64_t size = 0;   // 0 for folders
  std::int64_t mtime = 0;  // seconds since the epoch, 0 when the header has none
};

// Reads an uncompressed tar (ustar, pax or GNU) entry by entry, refusing anything unsafe from its
// header before any of its data is read, so a caller that checks what it reads never extracts or
// hashes something a hostile bundle slipped in. Refusals are core::Errors with kInvalidArgument
// (kMalformed for "corrupt_tar") whose reason is one of:
//   "compressed"        gzip, bzip2, xz, zstd, lz4, lzip or compress data instead of a tar
//   "corrupt_tar"       not a tar, truncated (also inside an entry's data), a damaged header,
//                       any libarchive warning, or no entries at all
//   "absolute_path"     a path starting with '/'
//   "parent_path"       a ".." segment
//   "invalid_path"      an empty or "." segment, a backslash, a control character, invalid
//                       UTF-8, or more than max_path_bytes bytes
//   "link_entry"        a symbolic or hard link
//   "special_entry"     a device, FIFO, socket, sparse file or any other non-file, non-folder
//   "duplicate_entry"   a path seen twice, or one that is both a file and a folder
//   "multiple_roots"    a path outside the single top-level folder the first entry set
//   "too_many_entries", "entry_too_large", "bundle_too_large"   a TarLimits value exceeded
// Messages name the entry path (control characters and invalid bytes shown as \xNN).
//
// Pax names are UTF-8 by definition; libarchive hands them over in Unicode NFC, so a name stored
// decomposed comes back composed. A tar that simply stops after a whole entry, without the two
// zero blocks that end a tar, cannot be told apart from a complete one: check the entries read
// against the bundle's manifests.
//
// libarchive converts names with the calling thread's locale, so the reader switches its thread
// to C.UTF-8 from construction to destruction: create, use and destroy it on one thread, and
// destroy readers in the reverse order of their creation.
class SafeTarReader {
 public:
  explicit SafeTarReader(TarLimits limits = {});
  ~SafeTarReader();
  SafeTarReader(const SafeTarReader&) = delete;
  SafeTarReader& operator=(const SafeTarReader&) = delete;

  // Opens the tar at `path`. kIo when the file cannot be opened; a refusal ("compressed") as
  // above. Call this or openStream once.
  core::Status open(const std::string& path);
  // Or reads the tar from `fd` (a pipe, say) as it comes; `name` names it in messages. The
  // descriptor stays the caller's, to close after the reader is done.
  core::Status openStream(int fd, const std::string& name);

  // Moves to the next entry and fills `entry` from its header: true when it is acceptable; false
  // at the end of the tar or on a refusal (then error() is set, and stays set). Any unread data
  // of the previous entry is skipped.
  bool next(TarEntry& entry);

  // Reads up to `capacity` bytes of the current entry's data: the number read, 0 at the entry's
  // end (always for a folder), -1 on error (error() set; "corrupt_tar" when the data ends before
  // the header's size).
  std::int64_t read(char* buffer, std::size_t capacity);

  // The first refusal or failure, if any.
  const std::optional<core::Error>& error() const;

  // The single top-level folder (without '/'), once the first entry is read; empty before.
  const std::string& root() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gongkai::archive
