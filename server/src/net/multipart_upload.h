#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/net/exchange.h"
#include "gongkai/server/service/document_service.h"

namespace gongkai::server::net {

struct UploadLimits {
  std::int64_t max_json_bytes = 0;
  std::int64_t max_upload_bytes = 0;  // all file parts of one request together
  int max_files = 0;
};

// Takes a file part's contents in (service::DocumentService::stageFile): kTooLarge past
// `maxBytes`, kMalformed when the part breaks off.
using FileStager = std::function<core::Result<service::IncomingFile>(
    std::istream& in, std::int64_t maxBytes, std::string name, std::string mediaType)>;

// A multipart/form-data body: an optional "metadata" JSON part, and file parts streamed
// straight into the stager (the blob store's staging area) (never held in memory).
struct UploadForm {
  std::optional<std::string> metadata;
  std::vector<service::IncomingFile> files;
};

// Reads the request body as multipart/form-data. Fails with kUnsupported for another media type,
// kTooLarge over the limits, kMalformed ("malformed_multipart") for a body that is cut short or
// broken, and kInvalidArgument for parts that are not "metadata" or files.
core::Result<UploadForm> readUpload(Exchange& exchange, const FileStager& stage,
                                    const UploadLimits& limits);

// The same for a body from any stream: its Content-Type header value and its declared length
// (-1 when chunked). What readUpload runs; on its own for the fuzz target.
core::Result<UploadForm> parseUpload(std::istream& body, const std::string& contentType,
                                     std::int64_t declaredLength, const FileStager& stage,
                                     const UploadLimits& limits);

// What a part's Content-Disposition says: its form field name, and its file name when it is a
// file (RFC 5987's filename* in UTF-8 wins over filename, which browsers send as raw UTF-8).
// Throws Poco::SyntaxException for a broken percent escape in filename*, which makes the whole
// body malformed.
struct DispositionParameters {
  std::string name;
  std::optional<std::string> file_name;
};
DispositionParameters parseDisposition(const std::string& value);

}  // namespace gongkai::server::net
