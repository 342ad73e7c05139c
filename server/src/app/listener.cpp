#include "gongkai/server/app/listener.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <vector>

namespace gongkai::server::app {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

// TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only. TLS 1.3 suites are OpenSSL's defaults,
// which are all modern.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";
constexpr std::uintmax_t kMaxPemBytes = 1 << 20;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PKeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

Error invalid(std::string reason, std::string message) {
  return Error::make(ErrorCode::kInvalidArgument, std::move(reason), std::move(message));
}

// Drains this thread's OpenSSL error queue into one line, e.g. "PEM routines: no start line".
std::string openSslErrors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    const char* lib = ERR_lib_error_string(e);
    const char* reason = ERR_reason_error_string(e);
    if (!out.empty()) out += "; ";
    if (lib) out += std::string(lib) + ": ";
    if (reason) {
      out += reason;
    } else {
      char buf[256];
      ERR_error_string_n(e, buf, sizeof buf);
      out += buf;
    }
  }
  return out;
}

// The labels used in messages for each file, Chinese and English.
struct FileKind {
  const char* zh;
  const char* en;
};
constexpr FileKind kCertFile{"TLS 证书", "TLS certificate"};
constexpr FileKind kKeyFile{"TLS 私钥", "TLS private key"};
constexpr FileKind kChainFile{"TLS 证书链", "TLS certificate chain"};

Error unreadable(const FileKind& kind, const std::string& path, const std::string& why) {
  return invalid("tls_file_unreadable", std::string(kind.zh) + "无法读取 (cannot read " + kind.en +
                                            "): " + path + ": " + why);
}

Error malformed(const char* reason, const FileKind& kind, const std::string& path,
                const std::string& why) {
  return invalid(reason,
                 std::string(kind.zh) + "无效 (invalid " + kind.en + "): " + path + ": " + why);
}

core::Result<std::string> readPem(const FileKind& kind, const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) return unreadable(kind, path, ec.message());
  if (!fs::is_regular_file(status)) return unreadable(kind, path, "not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) return unreadable(kind, path, ec.message());
  if (size > kMaxPemBytes) return unreadable(kind, path, "larger than 1 MiB");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable(kind, path, errno ? std::strerror(errno) : "open failed");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return unreadable(kind, path, errno ? std::strerror(errno) : "read failed");
  return text;
}

BioPtr memoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Every certificate in a PEM file, in order; at least one.
core::Result<std::vector<X509Ptr>> readCertificates(const FileKind& kind, const std::string& path) {
  auto text = readPem(kind, path);
  if (!text.ok()) return text.error();
  ERR_clear_error();
  BioPtr bio = memoryBio(text.value());
  if (!bio) return malformed("tls_certificate_invalid", kind, path, openSslErrors());
  std::vector<X509Ptr> certs;
  for (;;) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (cert) {
      certs.push_back(std::move(cert));
      continue;
    }
    const unsigned long last = ERR_peek_last_error();
    if (!certs.empty() && ERR_GET_LIB(last) == ERR_LIB_PEM &&
        ERR_GET_REASON(last) == PEM_R_NO_START_LINE) {
      ERR_clear_error();  // the normal end of the file
      break;
    }
    if (certs.empty() && ERR_GET_LIB(last) == ERR_LIB_PEM &&
        ERR_GET_REASON(last) == PEM_R_NO_START_LINE) {
      ERR_clear_error();
      return malformed("tls_certificate_invalid", kind, path,
                       "no PEM certificate in the file (no \"BEGIN CERTIFICATE\" block)");
    }
    return malformed("tls_certificate_invalid", kind, path, openSslErrors());
  }
  return certs;
}

// Never prompts: an encrypted key is refused instead of asking for a passphrase on the console.
int noPassphrase(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return -1;
}

core::Result<PKeyPtr> readPrivateKey(const std::string& path) {
  auto text = readPem(kKeyFile, path);
  if (!text.ok()) return text.error();
  ERR_clear_error();
  BioPtr bio = memoryBio(text.value());
  bool asked = false;
  PKeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, &asked) : nullptr);
  if (key) {
    ERR_clear_error();
    return key;
  }
  std::string why = openSslErrors();
  if (asked) {
    why = "the key is encrypted; passphrase-protected keys are not supported (" + why + ")";
  } else if (text.value().find("-----BEGIN") == std::string::npos) {
    why = "no PEM private key in the file (" + why + ")";
  }
  return malformed("tls_private_key_invalid", kKeyFile, path, why);
}

core::Result<Poco::Net::Context::Ptr> makeServerContext(const ListenerConfig& config) {
  auto certs = readCertificates(kCertFile, config.tls_certificate);
  if (!certs.ok()) return certs.error();
  std::vector<X509Ptr> chain;
  if (!config.tls_ca_chain.empty()) {
    auto extra = readCertificates(kChainFile, config.tls_ca_chain);
    if (!extra.ok()) return extra.error();
    chain = std::move(extra.value());
  }
  auto key = readPrivateKey(config.tls_private_key);
  if (!key.ok()) return key.error();

  X509* leaf = certs.value().front().get();
  if (X509_check_private_key(leaf, key.value().get()) != 1) {
    ERR_clear_error();
    return invalid("tls_key_mismatch",
                   "TLS 私钥与证书不匹配 (TLS private key does not match the "
                   "certificate): " +
                       config.tls_private_key + ", " + config.tls_certificate);
  }

  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // no client certificates
  params.loadDefaultCAs = false;
  params.cipherList = kCipherList;
  params.dhUse2048Bits = true;  // Poco's default is 1024-bit; unused with ECDHE-only anyway
  params.ecdhCurve = kGroups;
  // Certificate and key deliberately not given as file names: Poco would load the key with its
  // own passphrase callback, which falls back to prompting on the console.
  Poco::Net::Context::Ptr context;
  try {
    context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    context->preferServerCiphers();
  } catch (const Poco::Exception& e) {
    return Error::make(ErrorCode::kInternal, "tls_context_failed",
                       "TLS 上下文创建失败 (cannot create TLS context): " + e.displayText());
  }

  SSL_CTX* ctx = context->sslContext();
  ERR_clear_error();
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(ctx, kCipherList) != 1) {
    return Error::make(ErrorCode::kInternal, "tls_context_failed",
                       "TLS 密码套件设置失败 (cannot set TLS cipher list): " + openSslErrors());
  }
  // Refused here when e.g. the key is too weak for OpenSSL's security level.
  if (SSL_CTX_use_certificate(ctx, leaf) != 1) {
    return malformed("tls_certificate_invalid", kCertFile, config.tls_certificate,
                     "rejected by OpenSSL: " + openSslErrors());
  }
  for (std::size_t i = 1; i < certs.value().size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, certs.value()[i].get()) != 1) {
      return malformed("tls_certificate_invalid", kCertFile, config.tls_certificate,
                       "chain certificate rejected: " + openSslErrors());
    }
  }
  for (const auto& cert : chain) {
    if (SSL_CTX_add1_chain_cert(ctx, cert.get()) != 1) {
      return malformed("tls_chain_invalid", kChainFile, config.tls_ca_chain,
                       "rejected by OpenSSL: " + openSslErrors());
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.value().get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return malformed("tls_private_key_invalid", kKeyFile, config.tls_private_key,
                     "rejected by OpenSSL: " + openSslErrors());
  }
  return context;
}

// Poco 1.11's IPAddress::tryParse refuses the all-zero IPv6 address ("::"), so that one is
// recognised here.
bool parseAddress(const std::string& text, Poco::Net::IPAddress& ip) {
  if (Poco::Net::IPAddress::tryParse(text, ip)) return true;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_UNSPECIFIED(&v6)) {
    ip = Poco::Net::IPAddress::wildcard(Poco::Net::IPAddress::IPv6);
    return true;
  }
  return false;
}

}  // namespace

core::Result<Listener> openListener(const ListenerConfig& config) {
  Poco::Net::IPAddress ip;
  if (!parseAddress(config.address, ip)) {
    return invalid(
        "listener_address_invalid",
        "监听地址无效，须为 IP 地址 (invalid listen address, must be an IP address): \"" +
            config.address + "\"");
  }
  if (config.port < 0 || config.port > 65535) {
    return invalid("listener_port_invalid",
                   "监听端口无效 (invalid listen port): " + std::to_string(config.port));
  }
  if (config.backlog < 1) {
    return invalid("listener_backlog_invalid",
                   "监听队列长度无效 (invalid listen backlog): " + std::to_string(config.backlog));
  }

  const bool tls = !config.tls_certificate.empty() || !config.tls_private_key.empty();
  if (!config.tls_certificate.empty() && config.tls_private_key.empty()) {
    return invalid("tls_private_key_missing",
                   "已配置 TLS 证书但缺少私钥 (TLS certificate given without a private key): " +
                       config.tls_certificate);
  }
  if (config.tls_certificate.empty() && !config.tls_private_key.empty()) {
    return invalid("tls_certificate_missing",
                   "已配置 TLS 私钥但缺少证书 (TLS private key given without a certificate): " +
                       config.tls_private_key);
  }
  if (!tls && !config.tls_ca_chain.empty()) {
    return invalid("tls_certificate_missing",
                   "已配置 TLS 证书链但缺少证书和私钥 (TLS chain given without a certificate and "
                   "key): " +
                       config.tls_ca_chain);
  }
  if (!tls && !ip.isLoopback() && !config.allow_plain_http_off_loopback) {
    return invalid(
        "plain_http_off_loopback",
        "拒绝在非回环地址上以明文 HTTP 监听，请配置 TLS 证书和私钥或显式允许明文 (refusing "
        "plain HTTP on a non-loopback address; configure a TLS certificate and key, or "
        "allow plain HTTP explicitly): " +
            config.address);
  }

  Listener listener;
  listener.tls = tls;
  const Poco::Net::SocketAddress where(ip, static_cast<Poco::UInt16>(config.port));
  try {
    if (tls) {
      static std::once_flag sslInitialised;
      std::call_once(sslInitialised, [] { Poco::Net::initializeSSL(); });
      auto context = makeServerContext(config);
      if (!context.ok()) return context.error();
      listener.socket = std::make_unique<Poco::Net::SecureServerSocket>(context.value());
    } else {
      listener.socket = std::make_unique<Poco::Net::ServerSocket>();
    }
    // SO_REUSEADDR but not SO_REUSEPORT: Poco's bind(address, true) sets both, which lets a
    // second server listen on the same port unnoticed and share the connections.
    listener.socket->bind(where, /*reuseAddress=*/true, /*reusePort=*/false);
    listener.socket->listen(config.backlog);
  } catch (const Poco::Exception& e) {
    return Error::make(ErrorCode::kUnavailable, "listen_failed",
                       "无法监听 (cannot listen on) " + where.toString() + ": " + e.displayText());
  } catch (const std::exception& e) {
    return Error::make(ErrorCode::kUnavailable, "listen_failed",
                       "无法监听 (cannot listen on) " + where.toString() + ": " + e.what());
  }
  return listener;
}

}  // namespace gongkai::server::app
