#pragma once

#include <cstdint>

namespace gongkai::server::net {

// Bytes the peer has sent on this TCP socket plus bytes of ours it has acknowledged, from the
// kernel's TCP_INFO; 0 when unknown. (A file of its own: the kernel's struct tcp_info with these
// counters is in <linux/tcp.h>, which clashes with glibc's <netinet/tcp.h> that Poco includes.)
std::uint64_t tcpBytesMoved(int fd);

}  // namespace gongkai::server::net
