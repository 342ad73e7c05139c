#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gongkai::server::net {

// Which address a request is from. Behind a reverse proxy every connection comes from the proxy,
// so the per-address limits (sign-in attempts, public submissions) would count all clients as
// one and the audit log's client pseudonyms would all be the proxy's. A proxy named in
// `trusted_proxies` appends the address it saw to X-Forwarded-For; only then is that header
// read, from the right, skipping further trusted proxies: the first address no trusted proxy
// vouches for is the client. Anything before it was written by the client and may be forged.
// Without trusted proxies (the default) the header is ignored.
// `text` as one canonical IP address text: an IPv4-mapped IPv6 address (::ffff:127.0.0.1, as a
// dual-stack listener reports IPv4 clients) as plain IPv4, IPv6 in Poco's compressed lower-case
// form. Text that is no IP address comes back as nothing.
std::optional<std::string> canonicalAddress(const std::string& text);

class ClientAddressResolver {
 public:
  // Addresses as text ("127.0.0.1, ::1"); throws std::invalid_argument naming one that is not an
  // IP address.
  explicit ClientAddressResolver(const std::string& trustedProxies = "");

  // `peer` is the connection's address; `forwardedFor` every X-Forwarded-For value in order.
  std::string resolve(const std::string& peer, const std::vector<std::string>& forwardedFor) const;

  // `address` in canonical form (canonicalAddress).
  bool trusts(const std::string& address) const { return trusted_.contains(address); }

 private:
  std::set<std::string> trusted_;  // in Poco's canonical text form
};

}  // namespace gongkai::server::net
