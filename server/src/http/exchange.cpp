#include "gongkai/server/http/exchange.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/MediaType.h>
#include <Poco/String.h>

#include <charconv>
#include <istream>

#include "gongkai/core/json.h"

namespace gongkai::server::http {
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

const char* titleFor(HTTPResponse::HTTPStatus status) {
  switch (status) {
    case HTTPResponse::HTTP_BAD_REQUEST:
      return "请求格式错误";
    case HTTPResponse::HTTP_NOT_FOUND:
      return "资源不存在";
    case HTTPResponse::HTTP_METHOD_NOT_ALLOWED:
      return "不支持的请求方法";
    case HTTPResponse::HTTP_CONFLICT:
      return "与当前状态冲突";
    case HTTPResponse::HTTP_PRECONDITION_FAILED:
      return "前提条件不成立";
    case HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE:
      return "请求内容过大";
    case HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE:
      return "不支持的媒体类型";
    case HTTPResponse::HTTP_REQUESTED_RANGE_NOT_SATISFIABLE:
      return "请求范围无法满足";
    case HTTPResponse::HTTP_UNPROCESSABLE_ENTITY:
      return "请求内容无效";
    case HTTPResponse::HTTP_PRECONDITION_REQUIRED:
      return "缺少前提条件";
    case HTTPResponse::HTTP_SERVICE_UNAVAILABLE:
      return "服务暂不可用";
    case HTTPResponse::HTTP_UNAUTHORIZED:
      return "需要登录";
    case HTTPResponse::HTTP_FORBIDDEN:
      return "无权进行此操作";
    case HTTPResponse::HTTP_TOO_MANY_REQUESTS:
      return "请求过于频繁";
    case HTTPResponse::HTTP_INSUFFICIENT_STORAGE:
      return "存储空间不足";
    default:
      return "服务器内部错误";
  }
}

}  // namespace

std::optional<std::string> Exchange::queryValue(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

core::Result<std::int64_t> Exchange::idParam(const std::string& name) const {
  const auto it = params.find(name);
  const auto value = it == params.end() ? std::nullopt : parseInteger(it->second);
  if (!value || *value <= 0) {
    return Error::make(ErrorCode::kNotFound, "not_found", "资源不存在 (no such resource): " + path);
  }
  return *value;
}

core::Result<std::optional<int>> Exchange::yearQuery() const {
  auto year = intQuery("year", 1900, 2999);
  if (!year.ok()) return year.error();
  if (!year.value()) return std::optional<int>();
  return std::optional<int>(static_cast<int>(*year.value()));
}

core::Result<std::optional<std::int64_t>> Exchange::intQuery(const std::string& name,
                                                             std::int64_t min,
                                                             std::int64_t max) const {
  const auto text = queryValue(name);
  if (!text) return std::optional<std::int64_t>();
  const auto value = parseInteger(*text);
  if (!value || *value < min || *value > max) {
    Error error =
        Error::make(ErrorCode::kMalformed, "invalid_query",
                    "查询参数 " + name + " 必须是 " + std::to_string(min) + " 到 " +
                        std::to_string(max) + " 之间的整数 (must be an integer in range)");
    error.fields.push_back({name, "invalid_value", error.message});
    return error;
  }
  return std::optional<std::int64_t>(*value);
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

HTTPResponse::HTTPStatus statusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return HTTPResponse::HTTP_UNPROCESSABLE_ENTITY;
    case ErrorCode::kMalformed:
      return HTTPResponse::HTTP_BAD_REQUEST;
    case ErrorCode::kNotFound:
      return HTTPResponse::HTTP_NOT_FOUND;
    case ErrorCode::kConflict:
      return HTTPResponse::HTTP_CONFLICT;
    case ErrorCode::kPreconditionFailed:
      return HTTPResponse::HTTP_PRECONDITION_FAILED;
    case ErrorCode::kPreconditionRequired:
      return HTTPResponse::HTTP_PRECONDITION_REQUIRED;
    case ErrorCode::kTooLarge:
      return HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE;
    case ErrorCode::kUnsupported:
      return HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode::kUnavailable:
      return HTTPResponse::HTTP_SERVICE_UNAVAILABLE;
    case ErrorCode::kUnauthenticated:
      return HTTPResponse::HTTP_UNAUTHORIZED;
    case ErrorCode::kForbidden:
      return HTTPResponse::HTTP_FORBIDDEN;
    case ErrorCode::kTooManyRequests:
      return HTTPResponse::HTTP_TOO_MANY_REQUESTS;
    case ErrorCode::kInsufficientStorage:
      return HTTPResponse::HTTP_INSUFFICIENT_STORAGE;
    case ErrorCode::kCorrupt:
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      return HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;
  }
  return HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;
}

void writeProblem(const Poco::Net::HTTPServerRequest& request,
                  Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                  const Error& error, const std::string& instance) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("type", "urn:gongkai:problem:" + error.reason);
  body->set("title", std::string(titleFor(status)));
  body->set("status", static_cast<int>(status));
  body->set("detail", error.message);
  body->set("code", error.reason);
  body->set("instance", instance);
  if (!error.fields.empty()) {
    Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
    for (const auto& field : error.fields) {
      Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
      item->set("field", field.field);
      item->set("code", field.code);
      item->set("message", field.message);
      errors->add(item);
    }
    body->set("errors", errors);
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

}  // namespace gongkai::server::http
