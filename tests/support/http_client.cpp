#include "support/http_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>

namespace gongkai::testing {

std::string HttpResponse::header(const std::string& name) const {
  std::string key = name;
  std::transform(key.begin(), key.end(), key.begin(), ::tolower);
  const auto it = headers.find(key);
  return it == headers.end() ? "" : it->second;
}

Poco::JSON::Object::Ptr HttpResponse::json() const {
  try {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a JSON object (status " << status << "): " << body.substr(0, 500);
    return new Poco::JSON::Object;
  }
}

namespace {

bool isJson(const std::string& contentType) {
  const std::string type = contentType.substr(0, contentType.find(';'));
  return type == "application/json" || type == "application/problem+json";
}

// With GONGKAI_API_RECORD naming a file, every exchange is appended to it as one JSON line,
// for tests/web/openapi_responses_test.mjs to check against the OpenAPI description. Bodies of
// other types than JSON (files, tars, text) are left out: only their length is kept.
void record(const std::string& method, const std::string& path, const HttpResponse& response) {
  static const char* const file = std::getenv("GONGKAI_API_RECORD");
  if (file == nullptr || *file == '\0') return;
  const std::string type = response.header("content-type");
  Poco::JSON::Object line;
  line.set("method", method);
  line.set("path", path);
  line.set("status", response.status);
  line.set("content_type", type);
  line.set("body_size", static_cast<Poco::UInt64>(response.body.size()));
  if (isJson(type)) line.set("body", response.body);
  static std::mutex writing;
  const std::lock_guard<std::mutex> lock(writing);
  std::ofstream out(file, std::ios::app);
  line.stringify(out);
  out << "\n";
}

}  // namespace

std::string buildMultipart(const std::vector<MultipartPart>& parts, std::string& body) {
  static std::atomic<int> counter{0};
  const std::string boundary = "gongkaiBoundary" + std::to_string(counter++) + "x7MA4YWxkTrZu0gW";
  body.clear();
  for (const auto& part : parts) {
    body += "--" + boundary + "\r\n";
    if (!part.disposition_override.empty()) {
      body += "Content-Disposition: " + part.disposition_override + "\r\n";
    } else if (part.filename.empty()) {
      body += "Content-Disposition: form-data; name=\"" + part.name + "\"\r\n";
    } else {
      body += "Content-Disposition: form-data; name=\"" + part.name + "\"; filename=\"" +
              part.filename + "\"\r\n";
    }
    if (!part.content_type.empty()) body += "Content-Type: " + part.content_type + "\r\n";
    body += "\r\n" + part.body + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return "multipart/form-data; boundary=" + boundary;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& path,
                                 const std::string& body, const std::string& contentType,
                                 const std::map<std::string, std::string>& headers) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : defaults_) request.set(name, value);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!contentType.empty()) request.setContentType(contentType);
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResponse out;
  out.status = response.getStatus();
  for (const auto& [name, value] : response) {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    out.headers[key] = value;
  }
  Poco::StreamCopier::copyToString(in, out.body);
  record(method, path, out);
  return out;
}

HttpResponse HttpClient::postMultipart(const std::string& path,
                                       const std::vector<MultipartPart>& parts,
                                       const std::map<std::string, std::string>& headers) const {
  std::string body;
  const std::string type = buildMultipart(parts, body);
  return request("POST", path, body, type, headers);
}

std::string HttpClient::raw(const std::string& bytes) const {
  Poco::Net::StreamSocket socket(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port_)));
  socket.setReceiveTimeout(Poco::Timespan(30, 0));
  std::string reply;
  try {
    // The server may answer and close before it has read everything (a refused request line).
    for (std::size_t sent = 0; sent < bytes.size();) {
      sent += static_cast<std::size_t>(
          socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent)));
    }
    socket.shutdownSend();
  } catch (const Poco::Exception&) {
  }
  char buffer[4096];
  try {
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) reply.append(buffer, n);
  } catch (const Poco::Exception&) {
    // A reset after the reply is fine: the reply is what the test looks at.
  }
  return reply;
}

std::string sampleMetadata(const std::string& title, const std::string& category) {
  return R"({"title":")" + title + R"(","category":")" + category +
         R"(","org_unit":"branch-1","scope":"public","mode":"proactive","period":"periodic",)"
         R"("issued_at":"2023-01-06","doc_number":"连发[2010]37号","summary":"党务公开"})";
}

std::string firstAdminPassword(const std::string& serverLog) {
  const std::string marker = "password): ";
  const auto at = serverLog.find(marker);
  if (at == std::string::npos) return "";
  const auto end = serverLog.find_first_of(" \n", at + marker.size());
  return serverLog.substr(at + marker.size(), end - at - marker.size());
}

std::string login(const HttpClient& anonymous, const std::string& username,
                  const std::string& password) {
  const auto response =
      anonymous.postJson("/api/v1/auth/login",
                         R"({"username":")" + username + R"(","password":")" + password + R"("})");
  if (response.status != 200) return "";
  return response.json()->getValue<std::string>("token");
}

}  // namespace gongkai::testing
