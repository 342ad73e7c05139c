#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace gongkai::server::net {

// What one client may hold of the server's connection threads. Poco serves each connection on
// a thread of its own, so a client that trickles its request (or reads the answer a byte at a
// time) holds a thread as long as it likes unless something bounds the whole exchange; the
// per-read socket timeout alone does not. The rules are Apache's mod_reqtimeout and nginx's
// limit_conn, measured by the kernel (TCP_INFO byte counters), so no handler has to report.
struct ConnectionLimits {
  // Connections one client address may have on threads at once; 0 turns the limit off (behind a
  // reverse proxy every client has the proxy's address: let the proxy limit instead).
  int per_address = 8;
  // Addresses the per-address limit does not apply to: by default loopback, where a reverse
  // proxy on the same machine connects from (it carries every client; let it limit them).
  std::set<std::string> exempt = {"127.0.0.1", "::1"};
  // From the start of a connection, the request line and headers must be in within this time;
  // between requests on a kept-alive connection, within keep_alive_idle plus this.
  std::chrono::seconds head_timeout{20};
  std::chrono::seconds keep_alive_idle{15};
  // Once a request is being handled, the exchange ends this long after the last time the client
  // kept up min_bytes_per_second (received and acknowledged bytes together) on average.
  std::chrono::seconds request_timeout{60};
  std::int64_t min_bytes_per_second = 1024;
};

// Admits connections (per-address limit, answered 503 with Retry-After when over it) and runs
// a watchdog that shuts down connections past their deadline. Create one per server, hand
// connectionFactory() to a Poco::Net::TCPServer, and keep it alive until the server has stopped.
class ConnectionGuard {
 public:
  ConnectionGuard(ConnectionLimits limits, Poco::Logger& log);
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // Wraps Poco's HTTP connection: each one is admitted and watched.
  Poco::Net::TCPServerConnectionFactory::Ptr connectionFactory(
      Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers);

  // Called on the connection's own thread by the request handler, so that the watchdog knows
  // which deadline applies. Harmless on a thread that is not a guarded connection.
  static void requestStarted();
  static void requestFinished();

  // Connections refused for the per-address limit, and closed at a deadline, since the start.
  std::int64_t refused() const { return refused_.load(); }
  std::int64_t timedOut() const { return timedOut_.load(); }

  struct Watched;  // one connection as the watchdog sees it (connection_guard.cpp)

 private:
  class Connection;
  class Factory;

  bool admit(const std::string& address);
  void release(const std::string& address);
  void watch(Watched& watched);
  void unwatch(Watched& watched);
  void watchdog();
  void checkLocked(Watched& watched, std::chrono::steady_clock::time_point now);

  const ConnectionLimits limits_;
  Poco::Logger& log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, int> perAddress_;
  std::set<Watched*> watched_;
  std::atomic<std::int64_t> refused_{0};
  std::atomic<std::int64_t> timedOut_{0};
  std::thread thread_;
};

// Ends a connection whose client may still be sending (a body refused unread, a connection
// refused at admission) without a TCP reset: the answer is already written, so this sends FIN
// and reads and drops what the client still sends, for a few seconds at most, before the
// socket is closed. Closing with unread data would send RST, and the client's TCP stack would
// then throw away the answer it had not read yet.
void lingeringClose(Poco::Net::StreamSocket& socket,
                    std::chrono::milliseconds lingerFor = std::chrono::seconds(5));

}  // namespace gongkai::server::net
