#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>
#include <chrono>
#include <functional>

#include "gongkai/core/result.h"
#include "gongkai/server/net/client_address.h"
#include "gongkai/server/net/http_metrics.h"
#include "gongkai/server/net/router.h"
#include "gongkai/server/service/subject.h"

namespace gongkai::server::net {

// The Strict-Transport-Security value sent on every HTTPS response: browsers that reached us over
// HTTPS keep to it for a year.
inline constexpr const char* kHstsHeader = "max-age=31536000; includeSubDomains";

// Turns a bearer token (and the client address) into the subject a request acts as.
using Authenticator = std::function<core::Result<service::Subject>(const std::string& token,
                                                                   const std::string& address)>;

// Turns a download ticket for the request's path into the subject it was issued to.
using TicketAuthenticator = std::function<core::Result<service::Subject>(
    const std::string& ticket, const std::string& path, const std::string& address)>;

// Hands every request to the HTTP layer's router inside one catch-all: anything unexpected becomes
// a 500 problem with the details in the log, never in the response. Authenticates the caller first
// (no Authorization header: anonymous; a bad one: 401 before any handler runs), sends HSTS on
// HTTPS, writes one access log line per request and counts requests in flight so shutdown can
// wait for them.
class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(const Router& router, Authenticator authenticate, Poco::Logger& accessLog,
                 Poco::Logger& errorLog, TicketAuthenticator authenticateTicket = nullptr,
                 ClientAddressResolver clientAddress = ClientAddressResolver())
      : router_(router),
        authenticate_(std::move(authenticate)),
        authenticateTicket_(std::move(authenticateTicket)),
        clientAddress_(std::move(clientAddress)),
        accessLog_(accessLog),
        errorLog_(errorLog) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

  int inFlight() const { return inFlight_.load(); }
  // Counts every request in `metrics` from now on (it must outlive the factory).
  void setMetrics(HttpMetrics* metrics) { metrics_ = metrics; }
  // Tells Poco's HTTP connections that the server is stopping, as HTTPServer::stopAll does:
  // each kept-alive connection ends after the request it is serving.
  void announceStop() { serverStopped(this, false); }
  // Waits until no request is in flight or `timeout` passes; true when none is left.
  bool waitIdle(std::chrono::milliseconds timeout) const;

 private:
  friend class RoutingHandler;
  const Router& router_;
  Authenticator authenticate_;
  TicketAuthenticator authenticateTicket_;
  ClientAddressResolver clientAddress_;
  Poco::Logger& accessLog_;
  Poco::Logger& errorLog_;
  std::atomic<int> inFlight_{0};
  HttpMetrics* metrics_ = nullptr;
};

}  // namespace gongkai::server::net
