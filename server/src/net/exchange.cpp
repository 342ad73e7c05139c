#include "gongkai/server/net/exchange.h"

#include <Poco/Net/MediaType.h>
#include <Poco/String.h>

#include <charconv>
#include <istream>
#include <iterator>

#include "gongkai/core/json.h"
#include "gongkai/server/net/request_id.h"
#include "gongkai/server/service/query_parameters.h"
#include "json_build.h"

namespace gongkai::server::net {
using core::Error;
using core::ErrorCode;
using Poco::Net::HTTPResponse;

namespace {

std::optional<std::int64_t> parseInteger(const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// The one table from error codes to HTTP statuses, each with the Chinese title of its problems.
struct StatusOfCode {
  ErrorCode code;
  HTTPResponse::HTTPStatus status;
  const char* title;
};
constexpr StatusOfCode kStatusOfCode[] = {
    {ErrorCode::kInvalidArgument, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "请求内容无效"},
    {ErrorCode::kMalformed, HTTPResponse::HTTP_BAD_REQUEST, "请求格式错误"},
    {ErrorCode::kNotFound, HTTPResponse::HTTP_NOT_FOUND, "资源不存在"},
    {ErrorCode::kConflict, HTTPResponse::HTTP_CONFLICT, "与当前状态冲突"},
    {ErrorCode::kPreconditionFailed, HTTPResponse::HTTP_PRECONDITION_FAILED, "前提条件不成立"},
    {ErrorCode::kPreconditionRequired, HTTPResponse::HTTP_PRECONDITION_REQUIRED, "缺少前提条件"},
    {ErrorCode::kTooLarge, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "请求内容过大"},
    {ErrorCode::kUnsupported, HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE, "不支持的媒体类型"},
    {ErrorCode::kUnavailable, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "服务暂不可用"},
    {ErrorCode::kUnauthenticated, HTTPResponse::HTTP_UNAUTHORIZED, "需要登录"},
    {ErrorCode::kForbidden, HTTPResponse::HTTP_FORBIDDEN, "无权进行此操作"},
    {ErrorCode::kTooManyRequests, HTTPResponse::HTTP_TOO_MANY_REQUESTS, "请求过于频繁"},
    {ErrorCode::kInsufficientStorage, HTTPResponse::HTTP_INSUFFICIENT_STORAGE, "存储空间不足"},
    {ErrorCode::kGone, HTTPResponse::HTTP_GONE, "已永久删除"},
};

// Every code has its row but the three that are the server's own fault (kCorrupt, kIo, kInternal:
// 500). A code added to core/result.h without a row here stops the build instead of turning into
// a 500 unnoticed (kInternal is the enum's last member).
static_assert(std::size(kStatusOfCode) == static_cast<std::size_t>(ErrorCode::kInternal) + 1 - 3,
              "an ErrorCode has no HTTP status in kStatusOfCode");

// Statuses only the transport answers with, no error code standing for them.
constexpr std::pair<HTTPResponse::HTTPStatus, const char*> kTransportTitles[] = {
    {HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "不支持的请求方法"},
    {HTTPResponse::HTTP_REQUESTED_RANGE_NOT_SATISFIABLE, "请求范围无法满足"},
};

const char* titleFor(HTTPResponse::HTTPStatus status) {
  for (const auto& row : kStatusOfCode) {
    if (row.status == status) return row.title;
  }
  for (const auto& [known, title] : kTransportTitles) {
    if (known == status) return title;
  }
  return "服务器内部错误";
}

}  // namespace

std::optional<std::string> Exchange::queryValue(const std::string& name) const {
  return service::firstValue(query, name);
}

Error Exchange::noSuchResource() const {
  return Error::make(ErrorCode::kNotFound, "not_found", "资源不存在 (no such resource): " + path);
}

core::Result<std::int64_t> Exchange::idParam(const std::string& name) const {
  const auto it = params.find(name);
  const auto value = it == params.end() ? std::nullopt : parseInteger(it->second);
  if (!value || *value <= 0) return noSuchResource();
  return *value;
}

core::Result<std::optional<int>> Exchange::yearQuery() const {
  return service::yearParameter(query);
}

core::Result<std::optional<std::int64_t>> Exchange::intQuery(const std::string& name,
                                                             std::int64_t min,
                                                             std::int64_t max) const {
  return service::integerParameter(query, name, min, max);
}

core::Result<std::string> Exchange::readBody(std::int64_t limit) {
  const auto tooLarge = [&] {
    response.setKeepAlive(false);  // the rest of the body is not read
    return Error::make(ErrorCode::kTooLarge, "payload_too_large",
                       "请求内容超过 " + std::to_string(limit) + " 字节 (body exceeds " +
                           std::to_string(limit) + " bytes)");
  };
  const bool declared = request.hasContentLength();
  if (declared && request.getContentLength64() > limit) return tooLarge();
  std::string body;
  std::istream& in = request.stream();
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::int64_t>(body.size()) > limit) return tooLarge();
  }
  if (in.bad() ||
      (declared && static_cast<std::int64_t>(body.size()) != request.getContentLength64())) {
    response.setKeepAlive(false);
    return Error::make(ErrorCode::kMalformed, "truncated_body",
                       "请求内容不完整 (body broke off early)");
  }
  return body;
}

void Exchange::sendJson(HTTPResponse::HTTPStatus status, const Poco::Dynamic::Var& body) {
  response.setStatusAndReason(status);
  response.setContentType("application/json; charset=utf-8");
  sendBody(request, response, core::canonicalJson(body));
}

bool isJsonMediaType(const std::string& contentType) {
  try {
    Poco::Net::MediaType type(contentType);
    return type.matches("application", "json") || type.matches("application", "merge-patch+json");
  } catch (const Poco::Exception&) {
    return false;
  }
}

core::Result<Poco::JSON::Object::Ptr> Exchange::readJsonObject(std::int64_t limit) {
  if (!isJsonMediaType(request.getContentType())) {
    return Error::make(ErrorCode::kUnsupported, "unsupported_media_type",
                       "请求体须为 application/json (body must be application/json)");
  }
  auto body = readBody(limit);
  if (!body.ok()) return body.error();
  return core::parseJsonObject(body.value());
}

core::Result<Poco::JSON::Object::Ptr> Exchange::readOptionalJsonObject(std::int64_t limit) {
  if (request.getContentLength64() > 0 || request.getChunkedTransferEncoding()) {
    return readJsonObject(limit);
  }
  return Poco::JSON::Object::Ptr(new Poco::JSON::Object);
}

std::string revisionEtag(const std::string& revision) { return "\"" + revision + "\""; }

IfMatch Exchange::ifMatch() const {
  IfMatch result;
  if (!request.has("If-Match")) return result;
  result.present = true;
  const std::string value = Poco::trim(request.get("If-Match"));
  if (value == "*") return result;
  const bool quoted = value.size() > 2 && value.front() == '"' && value.back() == '"';
  result.tag = quoted ? value.substr(1, value.size() - 2) : value;
  std::int64_t version = 0;
  if (value.size() > 3 && value.front() == '"' && value[1] == 'v' && value.back() == '"') {
    const char* begin = value.data() + 2;
    const char* end = value.data() + value.size() - 1;
    auto [ptr, ec] = std::from_chars(begin, end, version);
    if (ec != std::errc() || ptr != end) version = 0;
  }
  result.version = version;
  return result;
}

void Exchange::sendProblem(const Error& error) {
  if (error.code == ErrorCode::kUnauthenticated) {
    response.set("WWW-Authenticate", "Bearer realm=\"gongkai\"");
  }
  writeProblem(request, response, statusFor(error.code), error, path);
}

void Exchange::sendText(const std::string& contentType, const std::string& body) {
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType(contentType);
  sendBody(request, response, body);
}

HTTPResponse::HTTPStatus statusFor(ErrorCode code) {
  for (const auto& row : kStatusOfCode) {
    if (row.code == code) return row.status;
  }
  return HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;  // kCorrupt, kIo, kInternal
}

void writeProblem(const Poco::Net::HTTPServerRequest& request,
                  Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                  const Error& error, const std::string& instance) {
  auto body =
      json::object({"type"_f = "urn:gongkai:problem:" + error.reason, "title"_f = titleFor(status),
                    "status"_f = static_cast<int>(status), "detail"_f = error.message,
                    "code"_f = error.reason, "instance"_f = instance});
  if (const std::string& requestId = net::currentRequestId(); !requestId.empty()) {
    body->set("request_id", requestId);
  }
  if (!error.fields.empty()) {
    body->set("errors", json::array(error.fields, [](const core::FieldError& field) {
                return json::object(
                    {"field"_f = field.field, "code"_f = field.code, "message"_f = field.message});
              }));
  }
  response.setStatusAndReason(status);
  response.setContentType("application/problem+json; charset=utf-8");
  sendBody(request, response, core::canonicalJson(body));
}

void sendBody(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              const std::string& body) {
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  std::ostream& out = response.send();
  if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD) {
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
  }
  out.flush();  // whole on the wire before the handler returns (a lingering close may follow)
}

}  // namespace gongkai::server::net
