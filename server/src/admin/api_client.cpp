#include "api_client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <stdexcept>

namespace gongkai::server::admin {

ApiClient::ApiClient(const std::string& baseUrl, std::string token)
    : base_(baseUrl), token_(std::move(token)) {
  if (base_.getScheme() != "http" || base_.getHost().empty()) {
    throw std::invalid_argument(
        "只支持 http://主机:端口 (only http://host:port URLs are supported): " + baseUrl);
  }
  session_.setHost(base_.getHost());
  session_.setPort(base_.getPort());
  session_.setTimeout(Poco::Timespan(60, 0));
}

std::string ApiClient::pathOf(const std::string& pathAndQuery) const {
  std::string path = base_.getPath();
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path + pathAndQuery;
}

std::string ApiClient::get(const std::string& pathAndQuery) {
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, pathOf(pathAndQuery),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
  session_.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session_.receiveResponse(response);
  std::string body;
  Poco::StreamCopier::copyToString(in, body);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    throw std::runtime_error("GET " + pathAndQuery + ": HTTP " +
                             std::to_string(response.getStatus()) + " " + body.substr(0, 300));
  }
  return body;
}

Poco::JSON::Object::Ptr ApiClient::getJson(const std::string& pathAndQuery) {
  return Poco::JSON::Parser().parse(get(pathAndQuery)).extract<Poco::JSON::Object::Ptr>();
}

ApiClient::Answer ApiClient::postJson(const std::string& path, const std::string& body) {
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, pathOf(path),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session_.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session_.receiveResponse(response);
  Answer answer;
  answer.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, answer.body);
  return answer;
}

}  // namespace gongkai::server::admin
