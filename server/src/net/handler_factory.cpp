#include "gongkai/server/net/handler_factory.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cmath>
#include <sstream>
#include <thread>

#include "gongkai/core/json.h"
#include "gongkai/core/time.h"
#include "gongkai/server/net/connection_guard.h"
#include "gongkai/server/net/exchange.h"
#include "gongkai/server/net/request_id.h"

namespace gongkai::server::net {
using core::Error;
using core::ErrorCode;
using Poco::Net::HTTPResponse;

namespace {

// Sent with every answer: no content sniffing (an uploaded file is what its media type says),
// never framed by another site, no address leaked to other origins. The workbench page
// replaces the Content-Security-Policy with its own (web_assets.h).
void setSecurityHeaders(HTTPResponse& response) {
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "same-origin");
  response.set("Content-Security-Policy", "frame-ancestors 'none'");
}

}  // namespace

class RoutingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RoutingHandler(HandlerFactory& factory) : factory_(factory) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    ++factory_.inFlight_;
    if (factory_.metrics_) factory_.metrics_->started();
    ConnectionGuard::requestStarted();
    Exchange exchange{request, response, "", {}, {}, {}};
    exchange.subject.address = clientAddressOf(request);
    // Said in the answer, its problem body, the access log and every log line it causes, so one
    // request can be followed through all of them.
    const RequestIdScope requestId(requestIdFrom(request));
    response.set("X-Request-Id", requestId.id());
    try {
      route(exchange);
    } catch (const std::exception& e) {
      factory_.errorLog_.error("unhandled error on %s %s: %s", request.getMethod(),
                               loggableUri(exchange), std::string(e.what()));
      if (!response.sent()) {
        response.setKeepAlive(false);
        writeProblem(
            request, response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
            Error::make(
                ErrorCode::kInternal, "internal_error",
                "服务器内部错误，详情已记录在日志中 (internal error; details are in the log)"),
            exchange.path);
      }
    }
    if (!drainUnreadBody(request)) {
      response.setKeepAlive(false);
      // The answer is complete (problems are written whole, see sendBody); what the client
      // still sends is read and dropped so that it gets to read the answer.
      if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request))
        lingeringClose(impl->socket());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    logAccess(exchange, requestId.id(), seconds);
    if (factory_.metrics_) {
      factory_.metrics_->finished(request.getMethod(), route_,
                                  static_cast<int>(response.getStatus()), seconds);
    }
    ConnectionGuard::requestFinished();
    --factory_.inFlight_;
  }

 private:
  // A request refused before its body was read would otherwise be answered with a reset while
  // the client is still sending, and the client might never see the answer. A modest remainder
  // is read and dropped, keeping the connection; false when more is left (or the body broke
  // off), and the caller closes the connection gently instead.
  static bool drainUnreadBody(Poco::Net::HTTPServerRequest& request) {
    constexpr std::streamsize kDrainLimit = 4 * 1024 * 1024;
    if (!request.hasContentLength() && !request.getChunkedTransferEncoding()) return true;
    std::istream& in = request.stream();
    char buffer[16384];
    std::streamsize drained = 0;
    while (in && drained <= kDrainLimit) {
      in.read(buffer, sizeof buffer);
      drained += in.gcount();
    }
    return drained <= kDrainLimit && !in.bad();
  }

  std::string clientAddressOf(const Poco::Net::HTTPServerRequest& request) const {
    std::vector<std::string> forwardedFor;
    for (auto it = request.find("X-Forwarded-For");
         it != request.end() && Poco::icompare(it->first, "X-Forwarded-For") == 0; ++it) {
      forwardedFor.push_back(it->second);
    }
    return factory_.clientAddress_.resolve(request.clientAddress().host().toString(), forwardedFor);
  }

  void route(Exchange& exchange) {
    auto& request = exchange.request;
    try {
      Poco::URI uri(request.getURI());
      exchange.path = uri.getPath();
      for (auto& [name, value] : uri.getQueryParameters()) exchange.query.emplace(name, value);
    } catch (const Poco::Exception&) {
      exchange.path = request.getURI().substr(0, request.getURI().find('?'));
      return exchange.sendProblem(Error::make(ErrorCode::kMalformed, "malformed_uri",
                                              "请求地址格式错误 (malformed request URI)"));
    }
    if (request.secure()) exchange.response.set("Strict-Transport-Security", kHstsHeader);
    setSecurityHeaders(exchange.response);
    if (auto authenticated = authenticate(exchange); !authenticated.ok()) {
      return exchange.sendProblem(authenticated.error());
    }
    auto match = factory_.router_.match(request.getMethod(), exchange.path);
    if (match.handler) {
      route_ = *match.pattern;
      exchange.params = std::move(match.params);
      return (*match.handler)(exchange);
    }
    if (!match.allowed.empty()) {
      std::string allow;
      for (const auto& method : match.allowed) allow += (allow.empty() ? "" : ", ") + method;
      exchange.response.set("Allow", allow);
      return writeProblem(
          request, exchange.response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
          Error::make(ErrorCode::kMalformed, "method_not_allowed",
                      "该地址不支持 " + request.getMethod() + " 方法 (method not allowed)"),
          exchange.path);
    }
    exchange.sendProblem(Error::make(ErrorCode::kNotFound, "not_found",
                                     "资源不存在 (no such resource): " + exchange.path));
  }

  // "Authorization: Bearer <token>" makes the request act as the token's account; no header
  // leaves it anonymous; anything else is refused rather than quietly treated as anonymous.
  // A GET or HEAD without the header may carry ?ticket= instead (a download link, see
  // service::DownloadTickets), good for its own path only.
  core::Status authenticate(Exchange& exchange) {
    if (!exchange.request.has("Authorization")) {
      const auto ticket = exchange.queryValue("ticket");
      if (!ticket) return core::okStatus();
      const std::string& method = exchange.request.getMethod();
      if (!factory_.authenticateTicket_ || (method != "GET" && method != "HEAD")) {
        return Error::make(ErrorCode::kUnauthenticated, "invalid_ticket",
                           "下载凭据只能用于下载 (a download ticket is only for GET)");
      }
      auto subject = factory_.authenticateTicket_(*ticket, exchange.path, exchange.subject.address);
      if (!subject.ok()) return subject.error();
      exchange.subject = std::move(subject).value();
      return core::okStatus();
    }
    const std::string header = exchange.request.get("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (header.size() <= kScheme.size() ||
        Poco::icompare(header.substr(0, kScheme.size()), std::string(kScheme)) != 0) {
      return Error::make(
          ErrorCode::kUnauthenticated, "invalid_authorization",
          "Authorization 头须为 \"Bearer 令牌\" (Authorization must be \"Bearer <token>\")");
    }
    auto subject =
        factory_.authenticate_(Poco::trim(header.substr(kScheme.size())), exchange.subject.address);
    if (!subject.ok()) return subject.error();
    exchange.subject = std::move(subject).value();
    return core::okStatus();
  }

  // The request as the logs may show it. A receipt code is the only credential for a feedback
  // case or an application, and a download ticket one for its path: the logs keep "/receipt/…"
  // and "ticket=…" instead. Built from the decoded path and query the router saw, so no
  // percent-encoding ("receipt%2F…", "tick%65t=") slips past.
  static std::string loggableUri(const Exchange& exchange) {
    std::string path = exchange.path;
    constexpr std::string_view kReceipt = "/receipt/";
    if (const auto at = path.find(kReceipt); at != std::string::npos) {
      const auto end = path.find('/', at + kReceipt.size());
      path = path.substr(0, at + kReceipt.size()) + "…" +
             (end == std::string::npos ? std::string() : path.substr(end));
    }
    std::string query;
    for (const auto& [name, value] : exchange.query) {
      std::string encodedName, encodedValue;
      Poco::URI::encode(name, "&=+#%?", encodedName);
      Poco::URI::encode(value, "&=+#%?", encodedValue);
      query +=
          (query.empty() ? "?" : "&") + encodedName + "=" + (name == "ticket" ? "…" : encodedValue);
    }
    return path + query;
  }

  // One JSON object per line: easy to search, and to ship to a log store as it is.
  void logAccess(const Exchange& exchange, const std::string& requestId, double seconds) {
    const auto& response = exchange.response;
    Poco::JSON::Object::Ptr line = new Poco::JSON::Object;
    line->set("time", core::formatRfc3339(core::nowUtc()));
    line->set("request_id", requestId);
    line->set("client", exchange.subject.address);
    line->set("user", exchange.subject.id);
    line->set("method", exchange.request.getMethod());
    line->set("uri", loggableUri(exchange));
    line->set("protocol", exchange.request.getVersion());
    line->set("status", static_cast<int>(response.getStatus()));
    line->set("bytes", response.hasContentLength() ? response.getContentLength64() : -1);
    line->set("ms", std::round(seconds * 10000) / 10);  // to a tenth of a millisecond
    factory_.accessLog_.information(core::canonicalJson(line));
  }

  HandlerFactory& factory_;
  std::string route_ = "unmatched";  // the route pattern that answered, for metrics
};

Poco::Net::HTTPRequestHandler* HandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new RoutingHandler(*this);
}

bool HandlerFactory::waitIdle(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (inFlight_.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace gongkai::server::net
