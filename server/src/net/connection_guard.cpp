#include "gongkai/server/net/connection_guard.h"

#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/TCPServerConnection.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gongkai/server/net/client_address.h"
#include "gongkai/server/thread_name.h"
#include "tcp_bytes.h"

namespace gongkai::server::net {

using Clock = std::chrono::steady_clock;

// One connection on a thread, as the watchdog sees it. `fd` is a duplicate of the socket's
// descriptor, owned here: Poco closes its own descriptor when the session ends, possibly before
// the watchdog lets go of this entry, and a duplicate can never name another connection's socket.
struct ConnectionGuard::Watched {
  std::string address;
  int fd = -1;
  bool inRequest = false;
  bool shutDown = false;
  Clock::time_point deadline;
  // Where the average rate is measured from while a request is handled.
  std::uint64_t bytesAtMark = 0;
  Clock::time_point markTime;
};

namespace {

thread_local ConnectionGuard::Watched* currentConnection = nullptr;
thread_local ConnectionGuard* currentGuard = nullptr;

constexpr const char* kTooManyConnections =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: application/problem+json; charset=utf-8\r\n"
    "Retry-After: 5\r\n"
    "Connection: close\r\n"
    "Content-Length: %LENGTH%\r\n"
    "\r\n";

// Written on the raw socket before any request is read (so there is no path for `instance`), in
// the same problem form as every other answer.
std::string tooManyConnectionsAnswer() {
  const std::string body =
      R"json({"code":"too_many_connections","detail":"来自同一地址的连接过多，请稍后再试 )json"
      R"json((too many connections from your address; try again shortly)","status":503,)json"
      R"json("title":"服务暂不可用","type":"urn:gongkai:problem:too_many_connections"})json";
  std::string head = kTooManyConnections;
  head.replace(head.find("%LENGTH%"), 8, std::to_string(body.size()));
  return head + body;
}

}  // namespace

void lingeringClose(Poco::Net::StreamSocket& socket, std::chrono::milliseconds lingerFor) {
  try {
    socket.shutdownSend();
    socket.setReceiveTimeout(Poco::Timespan(
        std::min<std::chrono::microseconds>(lingerFor, std::chrono::seconds(1)).count()));
    const auto until = Clock::now() + lingerFor;
    char buffer[65536];
    while (Clock::now() < until) {
      if (socket.receiveBytes(buffer, sizeof buffer) <= 0) break;
    }
  } catch (const std::exception&) {
    // A timeout or a reset: nothing more can be done for this client.
  }
}

// Poco's HTTP connection, admitted and watched.
class ConnectionGuard::Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, ConnectionGuard& guard,
             Poco::Net::HTTPServerParams::Ptr params,
             Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : TCPServerConnection(socket),
        guard_(guard),
        params_(std::move(params)),
        handlers_(std::move(handlers)) {}

  void run() override {
    // A pooled thread of Poco's serves one connection after another: named at its first.
    thread_local bool named = false;
    if (!named) {
      nameThisThread("gk-http");
      named = true;
    }
    Watched watched;
    try {
      const std::string peer = socket().peerAddress().host().toString();
      watched.address = canonicalAddress(peer).value_or(peer);
    } catch (const std::exception&) {
      return;  // the client is already gone
    }
    if (!guard_.admit(watched.address)) {
      try {
        const std::string answer = tooManyConnectionsAnswer();
        socket().sendBytes(answer.data(), static_cast<int>(answer.size()));
      } catch (const std::exception&) {
      }
      // Briefly: a refused client is not worth a thread for long.
      lingeringClose(socket(), std::chrono::milliseconds(1000));
      return;
    }
    watched.fd = ::dup(socket().impl()->sockfd());
    struct Release {
      ConnectionGuard& guard;
      Watched& watched;
      ~Release() {
        currentConnection = nullptr;
        currentGuard = nullptr;
        if (watched.fd >= 0) guard.unwatch(watched);
        guard.release(watched.address);
      }
    } release{guard_, watched};
    if (watched.fd >= 0) {
      guard_.watch(watched);
      currentConnection = &watched;
      currentGuard = &guard_;
    }
    Poco::Net::HTTPServerConnection http(socket(), params_, handlers_);
    http.run();
  }

 private:
  ConnectionGuard& guard_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

class ConnectionGuard::Factory : public Poco::Net::TCPServerConnectionFactory {
 public:
  Factory(ConnectionGuard& guard, Poco::Net::HTTPServerParams::Ptr params,
          Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : guard_(guard), params_(std::move(params)), handlers_(std::move(handlers)) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, guard_, params_, handlers_);
  }

 private:
  ConnectionGuard& guard_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

ConnectionGuard::ConnectionGuard(ConnectionLimits limits, Poco::Logger& log)
    : limits_(limits), log_(log), thread_([this] { watchdog(); }) {}

ConnectionGuard::~ConnectionGuard() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Poco::Net::TCPServerConnectionFactory::Ptr ConnectionGuard::connectionFactory(
    Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers) {
  return new Factory(*this, std::move(params), std::move(handlers));
}

bool ConnectionGuard::admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  int& count = perAddress_[address];
  if (limits_.per_address > 0 && count >= limits_.per_address && !limits_.exempt.count(address)) {
    ++refused_;
    return false;
  }
  ++count;
  return true;
}

void ConnectionGuard::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto found = perAddress_.find(address);
  if (found != perAddress_.end() && --found->second <= 0) perAddress_.erase(found);
}

void ConnectionGuard::watch(Watched& watched) {
  std::lock_guard lock(mutex_);
  watched.deadline = Clock::now() + limits_.head_timeout;
  watched_.insert(&watched);
}

void ConnectionGuard::unwatch(Watched& watched) {
  std::lock_guard lock(mutex_);
  watched_.erase(&watched);
  ::close(watched.fd);
  watched.fd = -1;
}

void ConnectionGuard::requestStarted() {
  if (!currentConnection || !currentGuard) return;
  ConnectionGuard& guard = *currentGuard;
  std::lock_guard lock(guard.mutex_);
  Watched& watched = *currentConnection;
  watched.inRequest = true;
  watched.markTime = Clock::now();
  watched.bytesAtMark = tcpBytesMoved(watched.fd);
  watched.deadline = watched.markTime + guard.limits_.request_timeout;
}

void ConnectionGuard::requestFinished() {
  if (!currentConnection || !currentGuard) return;
  ConnectionGuard& guard = *currentGuard;
  std::lock_guard lock(guard.mutex_);
  Watched& watched = *currentConnection;
  watched.inRequest = false;
  watched.deadline = Clock::now() + guard.limits_.keep_alive_idle + guard.limits_.head_timeout;
}

// While a request is handled, a client that kept up the minimum rate since the last mark earns
// a fresh deadline; past its deadline a connection is shut down (both directions), which ends
// the blocked read or write on its thread with an error.
void ConnectionGuard::checkLocked(Watched& watched, Clock::time_point now) {
  if (watched.shutDown) return;
  if (watched.inRequest) {
    const std::uint64_t moved = tcpBytesMoved(watched.fd);
    const double seconds = std::chrono::duration<double>(now - watched.markTime).count();
    const double needed =
        std::max(1.0, seconds * static_cast<double>(limits_.min_bytes_per_second));
    if (moved > watched.bytesAtMark && static_cast<double>(moved - watched.bytesAtMark) >= needed) {
      watched.bytesAtMark = moved;
      watched.markTime = now;
      watched.deadline = now + limits_.request_timeout;
    }
  }
  if (now < watched.deadline) return;
  ::shutdown(watched.fd, SHUT_RDWR);
  watched.shutDown = true;
  ++timedOut_;
  log_.warning("closed a connection from %s: %s took too long", watched.address,
               std::string(watched.inRequest ? "the request" : "the request headers"));
}

void ConnectionGuard::watchdog() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500));
    const auto now = Clock::now();
    for (Watched* watched : watched_) checkLocked(*watched, now);
  }
}

}  // namespace gongkai::server::net
