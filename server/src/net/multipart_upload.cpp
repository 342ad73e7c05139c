#include "multipart_upload.h"

#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <streambuf>
#include <vector>

namespace gongkai::server::net {
namespace {

using core::Error;
using core::ErrorCode;

// Passes a stream through until `limit` bytes have gone by, then reports end of input and
// remembers that the limit was hit, so an oversized body ends the parse instead of filling disk.
class LimitedStreamBuf : public std::streambuf {
 public:
  LimitedStreamBuf(std::istream& source, std::int64_t limit)
      : source_(source), limit_(limit), buffer_(64 * 1024) {}
  bool exceeded() const { return exceeded_; }
  // True once the source ran dry before `declared` bytes came: the client cut the body short.
  bool endedBefore(std::int64_t declared) const { return sourceEnded_ && consumed_ < declared; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (consumed_ >= limit_) {
      // One byte more tells "exactly at the limit" apart from "over it".
      if (source_.peek() != traits_type::eof()) exceeded_ = true;
      return traits_type::eof();
    }
    const auto want = static_cast<std::streamsize>(
        std::min<std::int64_t>(static_cast<std::int64_t>(buffer_.size()), limit_ - consumed_));
    source_.read(buffer_.data(), want);
    const std::streamsize got = source_.gcount();
    if (got <= 0) {
      sourceEnded_ = true;
      return traits_type::eof();
    }
    consumed_ += got;
    setg(buffer_.data(), buffer_.data(), buffer_.data() + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::istream& source_;
  std::int64_t limit_;
  std::int64_t consumed_ = 0;
  bool exceeded_ = false;
  bool sourceEnded_ = false;
  std::vector<char> buffer_;
};

Error tooLarge(const UploadLimits& limits) {
  return Error::make(ErrorCode::kTooLarge, "payload_too_large",
                     "上传内容超过上限 " + std::to_string(limits.max_upload_bytes) +
                         " 字节 (upload exceeds the limit)");
}

}  // namespace

DispositionParameters parseDisposition(const std::string& value) {
  DispositionParameters out;
  std::string disposition;
  Poco::Net::NameValueCollection params;
  Poco::Net::MessageHeader::splitParameters(value, disposition, params);
  out.name = params.get("name", "");
  // RFC 5987's filename* (UTF-8 only) wins over filename, which browsers send as raw UTF-8.
  if (params.has("filename*")) {
    const std::string& encoded = params.get("filename*");
    const auto quote = encoded.find("''");
    if (quote != std::string::npos && Poco::icompare(encoded.substr(0, quote), "utf-8") == 0) {
      std::string decoded;
      Poco::URI::decode(encoded.substr(quote + 2), decoded);
      out.file_name = decoded;
    }
  }
  if (!out.file_name && params.has("filename")) out.file_name = params.get("filename");
  return out;
}

core::Result<UploadForm> readUpload(Exchange& exchange, const FileStager& stage,
                                    const UploadLimits& limits) {
  auto& request = exchange.request;
  const std::int64_t declared = request.hasContentLength() ? request.getContentLength64() : -1;
  auto form = parseUpload(request.stream(), request.getContentType(), declared, stage, limits);
  // The rest of a body refused for its size or shape is not read: the connection closes after
  // the answer (see the handler factory's lingering close).
  if (!form.ok() &&
      (form.error().code == ErrorCode::kTooLarge || form.error().code == ErrorCode::kMalformed)) {
    exchange.response.setKeepAlive(false);
  }
  return form;
}

core::Result<UploadForm> parseUpload(std::istream& source, const std::string& contentType,
                                     std::int64_t declared, const FileStager& stage,
                                     const UploadLimits& limits) {
  std::string boundary;
  try {
    Poco::Net::MediaType type(contentType);
    if (!type.matches("multipart", "form-data")) {
      return Error::make(ErrorCode::kUnsupported, "unsupported_media_type",
                         "请使用 multipart/form-data 上传 (use multipart/form-data)");
    }
    if (type.hasParameter("boundary")) boundary = type.getParameter("boundary");
  } catch (const Poco::Exception&) {
  }
  if (boundary.empty() || boundary.size() > 200) {
    return Error::make(ErrorCode::kMalformed, "malformed_multipart",
                       "缺少或无效的 boundary 参数 (missing boundary)");
  }
  const std::int64_t bodyLimit = limits.max_upload_bytes + limits.max_json_bytes + 1024 * 1024;
  if (declared > bodyLimit) return tooLarge(limits);
  LimitedStreamBuf limited(source, bodyLimit);
  std::istream body(&limited);
  UploadForm form;
  std::int64_t budget = limits.max_upload_bytes;
  const auto cutShort = [&] { return declared >= 0 && limited.endedBefore(declared); };
  const auto malformed = [&](const std::string& why) -> Error {
    if (limited.exceeded()) return tooLarge(limits);
    return Error::make(
        ErrorCode::kMalformed, "malformed_multipart",
        "multipart 请求格式错误或不完整 (malformed or truncated multipart body): " + why);
  };
  try {
    Poco::Net::MultipartReader reader(body, boundary);
    while (reader.hasNextPart()) {
      Poco::Net::MessageHeader header;
      reader.nextPart(header);
      const auto disposition = parseDisposition(header.get("Content-Disposition", ""));
      const std::string& name = disposition.name;
      const auto& fileName = disposition.file_name;
      if (fileName) {
        if (static_cast<int>(form.files.size()) >= limits.max_files) {
          return Error::make(
              ErrorCode::kTooLarge, "too_many_files",
              "一次最多上传 " + std::to_string(limits.max_files) + " 个文件 (too many files)");
        }
        auto staged = stage(reader.stream(), budget, *fileName, header.get("Content-Type", ""));
        if (!staged.ok()) {
          if (staged.error().code == ErrorCode::kTooLarge) return tooLarge(limits);
          if (staged.error().code == ErrorCode::kMalformed) return malformed("file part broke off");
          return staged.error();
        }
        // A part that ends because the body ended is a truncated upload, not a short file.
        if (cutShort()) return malformed("body ended before its declared length");
        budget -= staged.value().blob.size();
        form.files.push_back(std::move(staged).value());
      } else if (name == "metadata" && !form.metadata) {
        std::string text;
        char buffer[8192];
        std::istream& part = reader.stream();
        while (part) {
          part.read(buffer, sizeof buffer);
          text.append(buffer, static_cast<std::size_t>(part.gcount()));
          if (static_cast<std::int64_t>(text.size()) > limits.max_json_bytes) {
            return Error::make(ErrorCode::kTooLarge, "payload_too_large",
                               "metadata 部分过大 (metadata part exceeds the limit)");
          }
        }
        form.metadata = std::move(text);
      } else if (cutShort() || !header.has("Content-Disposition")) {
        return malformed("part without Content-Disposition");
      } else {
        Error error = Error::make(ErrorCode::kInvalidArgument, "unknown_part",
                                  "未知的表单部分 (unexpected form part): " + name);
        error.fields.push_back({name, "unknown_part", error.message});
        return error;
      }
    }
  } catch (const Poco::Exception& e) {
    return malformed(e.displayText());
  } catch (const std::ios_base::failure& e) {
    return malformed(e.what());
  }
  if (limited.exceeded()) return tooLarge(limits);
  if (cutShort()) return malformed("body ended before its declared length");
  return form;
}

}  // namespace gongkai::server::net
