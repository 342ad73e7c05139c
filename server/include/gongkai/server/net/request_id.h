#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <string>

namespace gongkai::server::net {

// The id of the request this thread is serving, "" outside one. Log lines and problem bodies
// carry it (see RequestIdScope).
const std::string& currentRequestId();

// The client's X-Request-Id when it is a sensible one (1-64 of A-Z a-z 0-9 . _ -; a proxy in
// front may have set it), else a new random one.
std::string requestIdFrom(const Poco::Net::HTTPServerRequest& request);

// Makes `id` the current request id of this thread while it lives.
class RequestIdScope {
 public:
  explicit RequestIdScope(std::string id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;
  const std::string& id() const { return currentRequestId(); }
};

}  // namespace gongkai::server::net
