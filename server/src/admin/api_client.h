#pragma once
// A client of a running server's API for the admin commands that talk to one (verify-log --url,
// import): plain HTTP to a base URL, with a bearer token. Private to the admin module.

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <string>

namespace gongkai::server::admin {

class ApiClient {
 public:
  // Throws std::invalid_argument for anything but http://host[:port][/path].
  ApiClient(const std::string& baseUrl, std::string token);

  // The body of a 200 answer; throws std::runtime_error naming the status otherwise.
  std::string get(const std::string& pathAndQuery);
  Poco::JSON::Object::Ptr getJson(const std::string& pathAndQuery);

  // POSTs a JSON body; the status and the answer's body, whatever the status (network failures
  // throw Poco exceptions).
  struct Answer {
    int status = 0;
    std::string body;
  };
  Answer postJson(const std::string& path, const std::string& body);

 private:
  std::string pathOf(const std::string& pathAndQuery) const;

  Poco::URI base_;
  std::string token_;
  Poco::Net::HTTPClientSession session_;
};

}  // namespace gongkai::server::admin
