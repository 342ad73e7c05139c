#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>
#include <chrono>

#include "gongkai/server/http/router.h"

namespace gongkai::server::http {

// Hands every request to the router inside one catch-all: anything unexpected becomes a 500
// problem with the details in the log, never in the response. Writes one access log line per
// request and counts requests in flight so shutdown can wait for them.
class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(const Router& router, Poco::Logger& accessLog, Poco::Logger& errorLog)
      : router_(router), accessLog_(accessLog), errorLog_(errorLog) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

  int inFlight() const { return inFlight_.load(); }
  // Waits until no request is in flight or `timeout` passes; true when none is left.
  bool waitIdle(std::chrono::milliseconds timeout) const;

 private:
  friend class RoutingHandler;
  const Router& router_;
  Poco::Logger& accessLog_;
  Poco::Logger& errorLog_;
  std::atomic<int> inFlight_{0};
};

}  // namespace gongkai::server::http
