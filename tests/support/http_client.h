#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

namespace gongkai::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& name) const;
  // Parses the body as a JSON object; fails the current test if it is not one.
  Poco::JSON::Object::Ptr json() const;
};

struct MultipartPart {
  std::string name;
  std::string filename;  // empty for a plain field
  std::string content_type;
  std::string body;
  std::string disposition_override;  // a whole Content-Disposition value, for hostile tests
};

// Builds a multipart/form-data body; returns the Content-Type to send it with.
std::string buildMultipart(const std::vector<MultipartPart>& parts, std::string& body);

// A real HTTP client on loopback, one connection per request.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  HttpResponse request(const std::string& method, const std::string& path,
                       const std::string& body = "", const std::string& contentType = "",
                       const std::map<std::string, std::string>& headers = {}) const;
  HttpResponse get(const std::string& path,
                   const std::map<std::string, std::string>& headers = {}) const {
    return request("GET", path, "", "", headers);
  }
  HttpResponse postJson(const std::string& path, const std::string& json) const {
    return request("POST", path, json, "application/json");
  }
  HttpResponse postMultipart(const std::string& path, const std::vector<MultipartPart>& parts,
                             const std::map<std::string, std::string>& headers = {}) const;
  // Sends raw bytes on a fresh connection, half-closes, and returns whatever came back.
  std::string raw(const std::string& bytes) const;
  int port() const { return port_; }
  // Sent with every request unless the request gives its own value (e.g. Authorization).
  void setDefaultHeader(const std::string& name, const std::string& value) {
    defaults_[name] = value;
  }
  // The same client as a bearer token's account.
  HttpClient as(const std::string& token) const {
    HttpClient client(port_);
    if (!token.empty()) client.setDefaultHeader("Authorization", "Bearer " + token);
    return client;
  }

 private:
  int port_;
  std::map<std::string, std::string> defaults_;
};

// Metadata JSON for a valid new document, with the given title.
std::string sampleMetadata(const std::string& title, const std::string& category = "ZZ");

// The one-time password a fresh server prints for `admin` in its log, or "" when it printed none.
std::string firstAdminPassword(const std::string& serverLog);
// A session token from POST /api/v1/auth/login, or "" when the login is refused.
std::string login(const HttpClient& anonymous, const std::string& username,
                  const std::string& password);

}  // namespace gongkai::testing
