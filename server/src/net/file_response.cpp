#include "file_response.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <vector>

#include "byte_range.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/text.h"

namespace gongkai::server::net {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::Net::HTTPResponse;

std::string base64OfHex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return core::base64Encode(bytes);
}

}  // namespace

void sendStoredFile(Exchange& ex, const StoredFile& file) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    return ex.sendProblem(Error::make(ErrorCode::kCorrupt, "blob_missing",
                                      "文件内容缺失 (file contents are missing from the store)"));
  }
  auto& response = ex.response;
  response.set("ETag", file.etag);
  response.set("Accept-Ranges", "bytes");
  if (!file.cache_control.empty()) response.set("Cache-Control", file.cache_control);
  response.set("Content-Disposition",
               "attachment; filename=\"" + core::asciiFallback(file.file_name) +
                   "\"; filename*=UTF-8''" + core::percentEncodeRfc5987(file.file_name));
  response.set("X-Content-Type-Options", "nosniff");
  if (!file.sha256_hex.empty()) {
    const std::string digest = base64OfHex(file.sha256_hex);
    response.set("Repr-Digest", "sha-256=:" + digest + ":");
    response.set("Digest", "SHA-256=" + digest);
  }
  response.setContentType(file.media_type);
  if (ex.request.get("If-None-Match", "") == file.etag) {
    response.setStatusAndReason(HTTPResponse::HTTP_NOT_MODIFIED);
    response.send().flush();
    return;
  }
  std::int64_t first = 0, length = file.size;
  const bool rangeApplies = ex.request.has("Range") && (!ex.request.has("If-Range") ||
                                                        ex.request.get("If-Range") == file.etag);
  if (rangeApplies) {
    bool satisfiable = true;
    const auto range = parseRange(ex.request.get("Range"), file.size, satisfiable);
    if (!satisfiable) {
      response.set("Content-Range", "bytes */" + std::to_string(file.size));
      return writeProblem(ex.request, response, HTTPResponse::HTTP_REQUESTED_RANGE_NOT_SATISFIABLE,
                          Error::make(ErrorCode::kInvalidArgument, "range_not_satisfiable",
                                      "请求的范围超出文件大小 (range lies outside the file)"),
                          ex.path);
    }
    if (range) {
      first = range->first;
      length = range->last - range->first + 1;
      response.setStatusAndReason(HTTPResponse::HTTP_PARTIAL_CONTENT);
      response.set("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                        std::to_string(range->last) + "/" +
                                        std::to_string(file.size));
    }
  }
  response.setContentLength64(length);
  std::ostream& out = response.send();
  if (ex.request.getMethod() == "HEAD") return;
  in.seekg(first);
  std::vector<char> buffer(256 * 1024);
  while (length > 0 && in && out) {
    in.read(buffer.data(),
            static_cast<std::streamsize>(std::min<std::int64_t>(length, buffer.size())));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    out.write(buffer.data(), got);
    length -= got;
  }
}

}  // namespace gongkai::server::net
