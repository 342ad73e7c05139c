#include "gongkai/server/net/client_address.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/StringTokenizer.h>

#include <optional>
#include <stdexcept>

namespace gongkai::server::net {
namespace {

constexpr int kTokenFlags =
    Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY;

}  // namespace

std::optional<std::string> canonicalAddress(const std::string& text) {
  Poco::Net::IPAddress address;
  // Digits, hex, dots and colons only: the parser (inet_aton underneath) would take
  // "1.2.3.4 junk" as 1.2.3.4.
  if (text.empty() || text.size() > 64 ||
      text.find_first_not_of("0123456789abcdefABCDEF.:") != std::string::npos ||
      !Poco::Net::IPAddress::tryParse(text, address)) {
    return std::nullopt;
  }
  if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped()) {
    const auto* bytes = static_cast<const unsigned char*>(address.addr());
    return std::to_string(bytes[12]) + "." + std::to_string(bytes[13]) + "." +
           std::to_string(bytes[14]) + "." + std::to_string(bytes[15]);
  }
  return address.toString();
}

ClientAddressResolver::ClientAddressResolver(const std::string& trustedProxies) {
  for (const auto& item : Poco::StringTokenizer(trustedProxies, ",", kTokenFlags)) {
    const auto address = canonicalAddress(item);
    if (!address) throw std::invalid_argument("not an IP address: " + item);
    trusted_.insert(*address);
  }
}

std::string ClientAddressResolver::resolve(const std::string& peer,
                                           const std::vector<std::string>& forwardedFor) const {
  std::string client = canonicalAddress(peer).value_or(peer);
  if (!trusts(client)) return client;
  // The hops, nearest last: each header's list in order, the headers in the order received.
  std::vector<std::string> hops;
  for (const auto& header : forwardedFor) {
    for (const auto& item : Poco::StringTokenizer(header, ",", kTokenFlags)) hops.push_back(item);
  }
  for (auto hop = hops.rbegin(); hop != hops.rend() && trusts(client); ++hop) {
    const auto address = canonicalAddress(*hop);
    if (!address) break;  // a malformed hop: the last trusted proxy's view is all we know
    client = *address;
  }
  return client;
}

}  // namespace gongkai::server::net
