#include "gongkai/server/net/client_address.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/StringTokenizer.h>

#include <optional>
#include <stdexcept>

namespace gongkai::server::net {
namespace {

constexpr int kTokenFlags =
    Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY;

// The address in one canonical text form ("::ffff:…" and upper-case hex written alike), or
// nothing when `text` is no IP address.
std::optional<std::string> canonical(const std::string& text) {
  Poco::Net::IPAddress address;
  if (text.size() > 64 || !Poco::Net::IPAddress::tryParse(text, address)) return std::nullopt;
  return address.toString();
}

}  // namespace

ClientAddressResolver::ClientAddressResolver(const std::string& trustedProxies) {
  for (const auto& item : Poco::StringTokenizer(trustedProxies, ",", kTokenFlags)) {
    const auto address = canonical(item);
    if (!address) throw std::invalid_argument("not an IP address: " + item);
    trusted_.insert(*address);
  }
}

std::string ClientAddressResolver::resolve(const std::string& peer,
                                           const std::vector<std::string>& forwardedFor) const {
  std::string client = peer;
  if (!trusts(client)) return client;
  // The hops, nearest last: each header's list in order, the headers in the order received.
  std::vector<std::string> hops;
  for (const auto& header : forwardedFor) {
    for (const auto& item : Poco::StringTokenizer(header, ",", kTokenFlags)) hops.push_back(item);
  }
  for (auto hop = hops.rbegin(); hop != hops.rend() && trusts(client); ++hop) {
    const auto address = canonical(*hop);
    if (!address) break;  // a malformed hop: the last trusted proxy's view is all we know
    client = *address;
  }
  return client;
}

}  // namespace gongkai::server::net
