#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>

#include "gongkai/core/result.h"
#include "gongkai/server/service/subject.h"

namespace gongkai::server::net {

// What an If-Match header names. No header: `present` false and no version; "*": `present` true
// and no version; anything that names no version of ours ("vN" is what we send): version 0,
// which never matches.
struct IfMatch {
  bool present = false;
  std::optional<std::int64_t> version;
  // The entity tag named, without its quotes (a value that is no quoted tag is kept as sent, so
  // it matches nothing); nullopt for no header and for "*". For what has revisions, not versions.
  std::optional<std::string> tag;
};

// The ETag of what has revisions rather than numbered versions (accounts, units): the revision
// quoted, which IfMatch::tag gives back unquoted.
std::string revisionEtag(const std::string& revision);

// core::Result<T> for T and for core::Result<T> alike.
template <typename T>
struct AsResult {
  using type = core::Result<T>;
};
template <typename T>
struct AsResult<core::Result<T>> {
  using type = core::Result<T>;
};

// One request on its way through a handler: the request, the response, the path parameters the
// router matched, the query string, and who is asking.
struct Exchange {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  std::string path;
  std::map<std::string, std::string> params;
  std::multimap<std::string, std::string> query;
  service::Subject subject;

  // A query parameter, if given (the first when repeated).
  std::optional<std::string> queryValue(const std::string& name) const;
  // kNotFound "not_found" for the path: what a path that names nothing is answered.
  core::Error noSuchResource() const;
  // A path parameter that must be a positive integer id; kNotFound otherwise.
  core::Result<std::int64_t> idParam(const std::string& name) const;
  // A query parameter that must be an integer in [min, max]; kMalformed otherwise.
  core::Result<std::optional<std::int64_t>> intQuery(const std::string& name, std::int64_t min,
                                                     std::int64_t max) const;
  // ?year= (1900-2999) when given: the year filters and reports take.
  core::Result<std::optional<int>> yearQuery() const;

  // The whole body, refused with kTooLarge beyond `limit` bytes and kMalformed when it breaks off
  // before its declared length.
  core::Result<std::string> readBody(std::int64_t limit);
  // The body as one JSON object: kUnsupported unless it is sent as JSON, then readBody's limits,
  // then strict parsing (core::parseJsonObject).
  core::Result<Poco::JSON::Object::Ptr> readJsonObject(std::int64_t limit);
  // The same when a body was sent; else an empty object (a step without fields, as
  // `curl -X POST` sends it).
  core::Result<Poco::JSON::Object::Ptr> readOptionalJsonObject(std::int64_t limit);
  // The one way a handler reads a JSON body: the body as readJsonObject gives it, made into a
  // command by `read` (which returns the command, or a core::Result of it); or the problem.
  template <typename Read>
  auto readJson(std::int64_t limit, Read read) {
    using Out = typename AsResult<std::invoke_result_t<Read, Poco::JSON::Object::Ptr&>>::type;
    auto body = readJsonObject(limit);
    if (!body.ok()) return Out(body.error());
    return Out(read(body.value()));
  }
  IfMatch ifMatch() const;

  void sendJson(Poco::Net::HTTPResponse::HTTPStatus status, const Poco::Dynamic::Var& body);
  void sendProblem(const core::Error& error);
  // 200 with `body` of `contentType`: the answers that are no JSON (text, CSV, PEM).
  void sendText(const std::string& contentType, const std::string& body);
  // The problem `result` holds, or else `render` of its value with `status`: the last step of
  // nearly every handler.
  template <typename T, typename Render>
  void reply(const core::Result<T>& result, Render render,
             Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_OK) {
    if (!result.ok()) return sendProblem(result.error());
    sendJson(status, render(result.value()));
  }
  // The same for what has an entity tag: `etagOf` the value is sent as its ETag.
  template <typename T, typename EtagOf, typename Render>
  void replyTagged(const core::Result<T>& result, EtagOf etagOf, Render render,
                   Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_OK) {
    if (result.ok()) response.set("ETag", etagOf(result.value()));
    reply(result, render, status);
  }
};

// The first error among `results` (parsed parameters, say), nullptr when all hold values.
template <typename... Results>
const core::Error* firstError(const Results&... results) {
  const core::Error* error = nullptr;
  ((error = error || results.ok() ? error : &results.error()), ...);
  return error;
}

// application/json or application/merge-patch+json.
bool isJsonMediaType(const std::string& contentType);

// The HTTP status an error code stands for.
Poco::Net::HTTPResponse::HTTPStatus statusFor(core::ErrorCode code);

// Writes an RFC 9457 problem: type urn:gongkai:problem:<reason>, a Chinese title, the detail,
// the stable `code`, and field errors when there are any. The body is left out for HEAD.
void writeProblem(const Poco::Net::HTTPServerRequest& request,
                  Poco::Net::HTTPServerResponse& response,
                  Poco::Net::HTTPResponse::HTTPStatus status, const core::Error& error,
                  const std::string& instance);

// Sends `body` with its Content-Length; for HEAD only the headers go out, since Poco's response
// stream would put the bytes on the wire.
void sendBody(const Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              const std::string& body);

}  // namespace gongkai::server::net
