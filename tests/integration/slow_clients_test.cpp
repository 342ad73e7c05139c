// Clients that send too much, too slowly or too often at once (hardening issue, items 8 and 9):
// a body over the limit is answered 413 and read to the end instead of reset; one address
// cannot hold more than its share of the connection threads; trickled headers and bodies are
// cut off at their deadline while others are served; a slow but steady reader is not.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class SlowClientsTest : public ServerTest {
 protected:
  void SetUp() override {
    writeFile(temp_ / "limits.properties",
              "gongkai.server.connections_per_address = 3\n"
              "gongkai.server.connection_limit_exempt =\n"
              "gongkai.server.header_timeout_seconds = 2\n"
              "gongkai.server.request_timeout_seconds = 2\n"
              "gongkai.server.min_bytes_per_second = 1024\n");
    start({"--config", temp_ / "limits.properties"});
  }

  Poco::Net::StreamSocket connect() {
    Poco::Net::StreamSocket socket(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server().port())));
    socket.setReceiveTimeout(Poco::Timespan(15, 0));
    return socket;
  }

  // Sends `pieces` one at a time, `pause` apart, until the server closes the connection (or
  // all are sent); returns how long the server let it go on.
  static Clock::duration trickleUntilClosed(Poco::Net::StreamSocket& socket,
                                            const std::string& head,
                                            std::chrono::milliseconds pause) {
    const auto started = Clock::now();
    try {
      socket.sendBytes(head.data(), static_cast<int>(head.size()));
      for (int i = 0; i < 100; ++i) {
        std::this_thread::sleep_for(pause);
        if (socket.sendBytes("a", 1) <= 0) break;
      }
    } catch (const Poco::Exception&) {
      // Closed by the server: that is the point.
    }
    return Clock::now() - started;
  }

  // True when the server has closed the connection (end of stream or reset) after reading
  // whatever it still sent.
  static bool closedByServer(Poco::Net::StreamSocket& socket) {
    char buffer[4096];
    try {
      for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) {
      }
      return true;
    } catch (const Poco::TimeoutException&) {
      return false;
    } catch (const Poco::Exception&) {
      return true;
    }
  }
};

TEST_F(SlowClientsTest, BodiesFarOverTheLimitGetTheir413NotAReset) {
  // 20 MB and 2 MB of JSON to an anonymous endpoint whose limit is 1 MiB, six times each: the
  // whole body is sent (the server reads and drops it) and the answer read after it.
  for (const std::size_t size : {std::size_t{20} << 20, std::size_t{2} << 20}) {
    const std::string body = "{\"content\":\"" + std::string(size, 'a') + "\"}";
    for (int attempt = 0; attempt < 6; ++attempt) {
      const std::string reply = client().raw(
          "POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          "Content-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body);
      ASSERT_EQ(reply.substr(0, 12), "HTTP/1.1 413")
          << size << " bytes, attempt " << attempt << ": " << reply.substr(0, 200);
      EXPECT_NE(reply.find("payload_too_large"), std::string::npos);
    }
  }
  EXPECT_EQ(client().get("/healthz").status, 200);
}

TEST_F(SlowClientsTest, OneAddressHoldsAtMostItsShareOfConnections) {
  std::vector<Poco::Net::StreamSocket> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(connect());
  std::this_thread::sleep_for(300ms);  // each is on a thread, waiting for its request
  const std::string refused = anonymous().raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(refused.substr(0, 12), "HTTP/1.1 503") << refused;
  EXPECT_NE(refused.find("too_many_connections"), std::string::npos);
  EXPECT_NE(refused.find("Retry-After: 5"), std::string::npos);

  // Once one of them is gone, the address may connect again.
  idle.pop_back();
  HttpResponse health;
  for (int i = 0; i < 50 && health.status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
    health = anonymous().get("/healthz");
  }
  EXPECT_EQ(health.status, 200);
}

TEST_F(SlowClientsTest, TrickledHeadersAreCutOffAtTheDeadline) {
  auto socket = connect();
  std::thread slow([&] {
    const auto lasted =
        trickleUntilClosed(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 200ms);
    EXPECT_GE(lasted, 1500ms);
    EXPECT_LT(lasted, 8s) << "the trickling client was never cut off";
  });
  // Meanwhile everyone else is served.
  EXPECT_EQ(anonymous().get("/healthz").status, 200);
  slow.join();
  EXPECT_TRUE(closedByServer(socket));
  EXPECT_NE(server().log().find("the request headers took too long"), std::string::npos)
      << server().log();
}

TEST_F(SlowClientsTest, TrickledBodiesAreCutOffAndNothingIsFiled) {
  auto socket = connect();
  const auto lasted = trickleUntilClosed(
      socket,
      "POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000\r\n\r\n{\"content\":\"",
      100ms);
  EXPECT_GE(lasted, 1500ms);
  EXPECT_LT(lasted, 8s) << "the trickling client was never cut off";
  EXPECT_NE(server().log().find("the request took too long"), std::string::npos) << server().log();
  EXPECT_EQ(client().get("/api/v1/feedback").json()->getValue<Poco::Int64>("total"), 0);
}

TEST_F(SlowClientsTest, ASlowButSteadyReaderGetsTheWholeAnswer) {
  // 1.5 MB read at about 100 kB/s: several seconds, far past the two-second request deadline,
  // and at every moment well above the minimum rate.
  const std::string content(3 << 19, 'z');
  auto created = client().postMultipart(
      "/api/v1/documents", {{"metadata", "", "application/json", sampleMetadata("大文件"), ""},
                            {"file", "big.txt", "text/plain", content, ""}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = created.json()->getValue<Poco::Int64>("id");
  const auto fileId = created.json()->getArray("files")->getObject(0)->getValue<Poco::Int64>("id");

  auto socket = connect();
  socket.setReceiveBufferSize(16384);
  const std::string get = "GET /api/v1/documents/" + std::to_string(id) + "/files/" +
                          std::to_string(fileId) + " HTTP/1.1\r\nHost: x\r\n" + authLine() +
                          "Connection: close\r\n\r\n";
  socket.sendBytes(get.data(), static_cast<int>(get.size()));
  std::string reply;
  char buffer[16384];
  try {
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) {
      reply.append(buffer, static_cast<std::size_t>(n));
      std::this_thread::sleep_for(60ms);
    }
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << e.displayText();
  }
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 200");
  ASSERT_GE(reply.size(), content.size());
  EXPECT_EQ(reply.substr(reply.size() - content.size()), content);
}

}  // namespace
}  // namespace gongkai::testing
