// Which address a request counts as from, behind reverse proxies and without them.
#include "gongkai/server/net/client_address.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace gongkai::server::net {
namespace {

TEST(ClientAddressResolver, WithoutTrustedProxiesTheHeaderIsIgnored) {
  const ClientAddressResolver none;
  EXPECT_EQ(none.resolve("127.0.0.1", {"203.0.113.9"}), "127.0.0.1");
  EXPECT_EQ(none.resolve("198.51.100.7", {"203.0.113.9"}), "198.51.100.7");
}

TEST(ClientAddressResolver, OnlyATrustedPeerHasItsHeaderRead) {
  const ClientAddressResolver proxy("127.0.0.1, ::1");
  EXPECT_EQ(proxy.resolve("127.0.0.1", {"203.0.113.9"}), "203.0.113.9");
  EXPECT_EQ(proxy.resolve("::1", {"2001:db8::5"}), "2001:db8::5");
  // A client that connects directly cannot choose its address.
  EXPECT_EQ(proxy.resolve("198.51.100.7", {"203.0.113.9"}), "198.51.100.7");
  // A trusted peer that sends no header is itself the client.
  EXPECT_EQ(proxy.resolve("127.0.0.1", {}), "127.0.0.1");
}

TEST(ClientAddressResolver, TheFirstAddressNoTrustedProxyVouchesForIsTheClient) {
  const ClientAddressResolver chain("127.0.0.1,10.0.0.2");
  // The client wrote "1.2.3.4" itself; nginx appended what it saw (203.0.113.9), then an inner
  // proxy (10.0.0.2) connected to the front one.
  EXPECT_EQ(chain.resolve("127.0.0.1", {"1.2.3.4, 203.0.113.9, 10.0.0.2"}), "203.0.113.9");
  // Several header lines are one list, in the order received.
  EXPECT_EQ(chain.resolve("127.0.0.1", {"1.2.3.4", "203.0.113.9", "10.0.0.2"}), "203.0.113.9");
  // Only trusted hops: the farthest of them.
  EXPECT_EQ(chain.resolve("127.0.0.1", {"10.0.0.2"}), "10.0.0.2");
}

TEST(ClientAddressResolver, MalformedHopsStopTheWalk) {
  const ClientAddressResolver proxy("127.0.0.1,10.0.0.2");
  EXPECT_EQ(proxy.resolve("127.0.0.1", {"unknown"}), "127.0.0.1");
  EXPECT_EQ(proxy.resolve("127.0.0.1", {"203.0.113.9, not-an-address, 10.0.0.2"}), "10.0.0.2");
  EXPECT_EQ(proxy.resolve("127.0.0.1", {"203.0.113.9:4711"}), "127.0.0.1");
  EXPECT_EQ(proxy.resolve("127.0.0.1", {std::string(5000, '1')}), "127.0.0.1");
  EXPECT_EQ(proxy.resolve("127.0.0.1", {" , ,, "}), "127.0.0.1");
  // Written in another form, an address is still the same one.
  EXPECT_EQ(proxy.resolve("127.0.0.1", {"2001:DB8:0:0::5"}), "2001:db8::5");
}

TEST(ClientAddressResolver, IPv4MappedAddressesArePlainIPv4) {
  // A listener on "::" takes IPv4 connections too and reports them as ::ffff:a.b.c.d.
  const ClientAddressResolver proxy("127.0.0.1");
  EXPECT_EQ(proxy.resolve("::ffff:127.0.0.1", {"203.0.113.9"}), "203.0.113.9");
  EXPECT_EQ(proxy.resolve("::ffff:198.51.100.7", {"203.0.113.9"}), "198.51.100.7");
  EXPECT_EQ(proxy.resolve("127.0.0.1", {"::ffff:203.0.113.9"}), "203.0.113.9");
  EXPECT_EQ(ClientAddressResolver("::ffff:127.0.0.1").resolve("127.0.0.1", {"203.0.113.9"}),
            "203.0.113.9");
  EXPECT_EQ(canonicalAddress("::ffff:10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(canonicalAddress("1.2.3.4 junk"), std::nullopt);
  EXPECT_EQ(canonicalAddress(""), std::nullopt);
}

TEST(ClientAddressResolver, AProxyListThatIsNotAddressesIsRefused) {
  EXPECT_THROW(ClientAddressResolver("127.0.0.1, localhost"), std::invalid_argument);
  EXPECT_THROW(ClientAddressResolver("10.0.0.0/8"), std::invalid_argument);
  EXPECT_NO_THROW(ClientAddressResolver(" , "));
}

}  // namespace
}  // namespace gongkai::server::net
