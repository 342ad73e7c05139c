#pragma once

#include <cstdint>
#include <string>

#include "gongkai/server/net/exchange.h"

namespace gongkai::server::net {

// A file on disk that never changes under its name (a blob, a bundle), as a download sends it.
struct StoredFile {
  std::string path;
  std::int64_t size = 0;
  std::string etag;  // quoted
  std::string media_type;
  std::string file_name;   // for Content-Disposition, UTF-8
  std::string sha256_hex;  // for Repr-Digest (RFC 9530) and the older Digest (RFC 3230)
  std::string cache_control;
};

// Sends the file with ETag, If-None-Match (304), a single Range (206, or 416 when it lies
// outside the file; If-Range honoured), Repr-Digest and Digest of the whole file, and
// Content-Disposition. Streams in blocks, so a bundle of any size needs little memory. A file
// missing from disk is a kCorrupt problem.
void sendStoredFile(Exchange& ex, const StoredFile& file);

}  // namespace gongkai::server::net
