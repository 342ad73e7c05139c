#pragma once

#include <Poco/Net/ServerSocket.h>

#include <memory>
#include <string>

#include "gongkai/core/result.h"

namespace gongkai::server::app {

// Where and how the server listens: plain HTTP, or HTTPS when a certificate is given.
struct ListenerConfig {
  std::string address;  // a literal IP address, e.g. 127.0.0.1, 0.0.0.0, ::1
  int port = 0;         // 0 picks a free port
  int backlog = 256;
  std::string tls_certificate;  // PEM file (leaf first, may carry intermediates); "" = plain HTTP
  std::string tls_private_key;  // PEM file, unencrypted
  std::string tls_ca_chain;     // optional extra intermediates (PEM), sent after the certificate
  bool allow_plain_http_off_loopback = false;
};

// An open, listening socket. `socket` is a Poco::Net::SecureServerSocket when `tls` is true;
// hand `*socket` to Poco::Net::HTTPServer either way.
struct Listener {
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  bool tls = false;
};

// Opens the listening socket: a Poco::Net::SecureServerSocket with a server Context (TLS 1.2
// minimum, no compression, ECDHE+AEAD ciphers only, no client certificates; the certificate, the
// chain and the key are read and checked against each other here, so a bad file gives an error
// naming it) or a plain ServerSocket. Refuses plain HTTP on an address that is not loopback unless
// allow_plain_http_off_loopback; refuses a certificate without a key and a key without a
// certificate; refuses unreadable or invalid PEM files, naming the file. Never throws: failures
// are kInvalidArgument for the configuration and files, kUnavailable when bind/listen fails.
// Messages are Chinese first, English in parentheses.
core::Result<Listener> openListener(const ListenerConfig& config);

}  // namespace gongkai::server::app
