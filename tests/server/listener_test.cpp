// openListener: HTTPS through Poco NetSSL with a self-signed certificate made by the real openssl
// command line, fetched with curl (or Poco's HTTPS client when curl is missing), the TLS 1.1 and
// weak-cipher refusals checked with openssl s_client, and every configuration refusal.
#include "gongkai/server/app/listener.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "gongkai/server/net/handler_factory.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace gongkai::server::app {
namespace {

using gongkai::testing::runCommand;
using gongkai::testing::TempDir;
using gongkai::testing::writeFile;

class OkHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    if (request.secure())
      response.set("Strict-Transport-Security", gongkai::server::net::kHstsHeader);
    response.set("X-Secure", request.secure() ? "yes" : "no");
    response.setContentType("text/plain");
    response.send() << "ok";
  }
};

class OkFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new OkHandler;
  }
};

// A minimal Poco HTTPServer on an opened listener, stopped on destruction.
class TinyServer {
 public:
  explicit TinyServer(const Listener& listener)
      : server_(new OkFactory, *listener.socket, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~TinyServer() { server_.stopAll(true); }

 private:
  Poco::Net::HTTPServer server_;
};

int run(const std::vector<std::string>& argv, std::string& output) {
  return runCommand(argv, output);
}

class ListenerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    std::string out;
    // EC keys: generated in milliseconds, unlike RSA.
    const int code = run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", *dir_ / "key.pem",
                          "-out", *dir_ / "cert.pem", "-days", "2", "-subj", "/CN=localhost"},
                         out);
    ASSERT_EQ(code, 0) << out;
    ASSERT_EQ(run({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                   "-out", *dir_ / "other-key.pem"},
                  out),
              0)
        << out;
    ASSERT_EQ(run({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                   "-aes256", "-pass", "pass:secret", "-out", *dir_ / "encrypted-key.pem"},
                  out),
              0)
        << out;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::string cert() { return *dir_ / "cert.pem"; }
  static std::string key() { return *dir_ / "key.pem"; }
  static std::string path(const std::string& name) { return *dir_ / name; }

  static ListenerConfig tlsConfig() {
    ListenerConfig config;
    config.address = "127.0.0.1";
    config.tls_certificate = cert();
    config.tls_private_key = key();
    return config;
  }

  static Listener openOk(const ListenerConfig& config) {
    auto opened = openListener(config);
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
    if (!opened.ok()) return {};
    return std::move(opened.value());
  }

  static void expectRefused(const ListenerConfig& config, const std::string& reason,
                            const std::vector<std::string>& inMessage) {
    auto opened = openListener(config);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(opened.error().reason, reason) << opened.error().message;
    for (const auto& text : inMessage) {
      EXPECT_NE(opened.error().message.find(text), std::string::npos)
          << "\"" << text << "\" not in: " << opened.error().message;
    }
  }

  static int port(const Listener& listener) { return listener.socket->address().port(); }

  static TempDir* dir_;
};

TempDir* ListenerTest::dir_ = nullptr;

bool haveCurl() {
  std::string out;
  return run({"curl", "--version"}, out) == 0;
}

TEST_F(ListenerTest, ServesHttpsToARealClient) {
  Listener listener = openOk(tlsConfig());
  ASSERT_TRUE(listener.socket);
  EXPECT_TRUE(listener.tls);
  ASSERT_GT(port(listener), 0);
  TinyServer server(listener);
  const std::string url = "https://127.0.0.1:" + std::to_string(port(listener)) + "/";

  if (haveCurl()) {
    std::string out;
    ASSERT_EQ(run({"curl", "-sk", "--max-time", "30", url}, out), 0) << out;
    EXPECT_EQ(out, "ok");
    ASSERT_EQ(run({"curl", "-sk", "--max-time", "30", "-D", "-", "-o", "/dev/null", url}, out), 0)
        << out;
    EXPECT_NE(
        out.find(std::string("Strict-Transport-Security: ") + gongkai::server::net::kHstsHeader),
        std::string::npos)
        << out;
    EXPECT_NE(out.find("X-Secure: yes"), std::string::npos) << out;
    // Plain HTTP to the TLS port gets no HTTP answer.
    EXPECT_NE(run({"curl", "-s", "--max-time", "10",
                   "http://127.0.0.1:" + std::to_string(port(listener)) + "/"},
                  out),
              0);
  } else {
    // curl is missing here: Poco's own HTTPS client, accepting the self-signed certificate.
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                             Poco::Net::Context::VERIFY_NONE);
    context->enableExtendedCertificateVerification(false);
    Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port(listener)),
                                          context);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
    EXPECT_EQ(body, "ok");
    EXPECT_EQ(response.get("Strict-Transport-Security", ""), gongkai::server::net::kHstsHeader);
  }
}

TEST_F(ListenerTest, RefusesTls11AndWeakCiphers) {
  std::string help;
  run({"openssl", "s_client", "-help"}, help);
  Listener listener = openOk(tlsConfig());
  ASSERT_TRUE(listener.socket);
  TinyServer server(listener);
  const std::string target = "127.0.0.1:" + std::to_string(port(listener));
  std::string out;

  // Control: TLS 1.2 and 1.3 work.
  ASSERT_EQ(run({"openssl", "s_client", "-brief", "-connect", target, "-tls1_2"}, out), 0) << out;
  EXPECT_NE(out.find("TLSv1.2"), std::string::npos) << out;
  ASSERT_EQ(run({"openssl", "s_client", "-brief", "-connect", target, "-tls1_3"}, out), 0) << out;
  EXPECT_NE(out.find("TLSv1.3"), std::string::npos) << out;

  // TLS 1.2 without forward secrecy (static RSA key exchange, CBC) is not offered.
  EXPECT_NE(run({"openssl", "s_client", "-brief", "-connect", target, "-tls1_2", "-cipher",
                 "AES128-SHA:@SECLEVEL=0"},
                out),
            0)
      << out;

  if (help.find("-tls1_1") == std::string::npos) {
    GTEST_SKIP() << "this openssl s_client has no -tls1_1";
  }
  // SECLEVEL=0 so that the local client is willing to speak TLS 1.1 at all; the refusal must come
  // from the server, as a protocol_version alert.
  const int code = run({"openssl", "s_client", "-brief", "-connect", target, "-tls1_1", "-cipher",
                        "DEFAULT:@SECLEVEL=0"},
                       out);
  EXPECT_NE(code, 0) << out;
  EXPECT_EQ(out.find("CONNECTION ESTABLISHED"), std::string::npos) << out;
  if (out.find("protocol version") == std::string::npos) {
    GTEST_SKIP() << "the local client did not send a TLS 1.1 hello; cannot tell who refused:\n"
                 << out;
  }
}

TEST_F(ListenerTest, PlainHttpOnLoopbackOnlyUnlessAllowed) {
  ListenerConfig config;
  config.address = "127.0.0.1";
  Listener loopback = openOk(config);
  ASSERT_TRUE(loopback.socket);
  EXPECT_FALSE(loopback.tls);
  EXPECT_GT(port(loopback), 0);

  config.address = "0.0.0.0";
  expectRefused(config, "plain_http_off_loopback", {"(refusing plain HTTP", "0.0.0.0"});
  config.address = "::";  // Poco 1.11 itself cannot parse this one
  expectRefused(config, "plain_http_off_loopback", {"::"});
  config.address = "::1";  // IPv6 loopback is allowed (it may still fail to bind without IPv6)
  if (auto v6 = openListener(config); !v6.ok()) {
    EXPECT_EQ(v6.error().reason, "listen_failed") << v6.error().message;
  }

  config.address = "0.0.0.0";
  config.allow_plain_http_off_loopback = true;
  Listener anywhere = openOk(config);
  ASSERT_TRUE(anywhere.socket);
  EXPECT_FALSE(anywhere.tls);

  // TLS needs no permission off loopback.
  ListenerConfig tls = tlsConfig();
  tls.address = "0.0.0.0";
  Listener secure = openOk(tls);
  ASSERT_TRUE(secure.socket);
  EXPECT_TRUE(secure.tls);
}

TEST_F(ListenerTest, RefusesBadAddressPortAndBacklog) {
  ListenerConfig config;
  config.address = "localhost";
  expectRefused(config, "listener_address_invalid", {"\"localhost\""});
  config.address = "";
  expectRefused(config, "listener_address_invalid", {"invalid listen address"});
  config.address = "127.0.0.1";
  config.port = 70000;
  expectRefused(config, "listener_port_invalid", {"70000"});
  config.port = 0;
  config.backlog = 0;
  expectRefused(config, "listener_backlog_invalid", {"backlog"});
}

TEST_F(ListenerTest, RefusesCertificateWithoutKeyAndKeyWithoutCertificate) {
  ListenerConfig config = tlsConfig();
  config.tls_private_key.clear();
  expectRefused(config, "tls_private_key_missing", {"缺少私钥", cert()});

  config = tlsConfig();
  config.tls_certificate.clear();
  expectRefused(config, "tls_certificate_missing", {"缺少证书", key()});

  config = ListenerConfig{};
  config.address = "127.0.0.1";
  config.tls_ca_chain = cert();
  expectRefused(config, "tls_certificate_missing", {cert()});
}

TEST_F(ListenerTest, RefusesGarbagePemNamingTheFile) {
  const std::string garbage = path("garbage.pem");
  writeFile(garbage, "this is not a certificate\n");
  ListenerConfig config = tlsConfig();
  config.tls_certificate = garbage;
  expectRefused(config, "tls_certificate_invalid",
                {"TLS 证书无效 (invalid TLS certificate): " + garbage + ": "});

  config = tlsConfig();
  config.tls_private_key = garbage;
  expectRefused(config, "tls_private_key_invalid",
                {"TLS 私钥无效 (invalid TLS private key): " + garbage + ": "});

  config = tlsConfig();
  config.tls_ca_chain = garbage;
  expectRefused(config, "tls_certificate_invalid", {"TLS 证书链无效", garbage});

  // A PEM header with a corrupt body.
  const std::string corrupt = path("corrupt.pem");
  writeFile(corrupt, "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");
  config = tlsConfig();
  config.tls_certificate = corrupt;
  expectRefused(config, "tls_certificate_invalid", {corrupt});
}

TEST_F(ListenerTest, RefusesUnreadableFilesNamingThem) {
  const std::string missing = path("no-such-key.pem");
  ListenerConfig config = tlsConfig();
  config.tls_private_key = missing;
  expectRefused(config, "tls_file_unreadable",
                {"TLS 私钥无法读取 (cannot read TLS private key): " + missing + ": "});

  config = tlsConfig();
  config.tls_certificate = path("no-such-cert.pem");
  expectRefused(config, "tls_file_unreadable",
                {"TLS 证书无法读取 (cannot read TLS certificate): " + path("no-such-cert.pem")});

  config = tlsConfig();
  config.tls_certificate = dir_->path();  // a folder
  expectRefused(config, "tls_file_unreadable", {dir_->path(), "not a regular file"});
}

TEST_F(ListenerTest, RefusesMismatchedAndEncryptedKeys) {
  ListenerConfig config = tlsConfig();
  config.tls_private_key = path("other-key.pem");
  expectRefused(config, "tls_key_mismatch", {path("other-key.pem"), cert()});

  // Refused at once, without prompting on the console for a passphrase.
  config.tls_private_key = path("encrypted-key.pem");
  expectRefused(config, "tls_private_key_invalid", {path("encrypted-key.pem"), "encrypted"});
}

TEST_F(ListenerTest, AcceptsAnExtraChainFile) {
  // Any valid certificate will do to check that the chain file is read and installed.
  ListenerConfig config = tlsConfig();
  config.tls_ca_chain = cert();
  Listener listener = openOk(config);
  ASSERT_TRUE(listener.socket);
  EXPECT_TRUE(listener.tls);
}

TEST_F(ListenerTest, BindFailureIsAnErrorNotAnException) {
  ListenerConfig config;
  config.address = "127.0.0.1";
  Listener first = openOk(config);
  ASSERT_TRUE(first.socket);
  config.port = port(first);
  // SO_REUSEADDR does not let a second socket listen on a port someone is listening on.
  auto second = openListener(config);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(second.error().reason, "listen_failed");
}

}  // namespace
}  // namespace gongkai::server::app
