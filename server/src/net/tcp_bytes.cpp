#include "tcp_bytes.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace gongkai::server::net {

std::uint64_t tcpBytesMoved(int fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return 0;
  return info.tcpi_bytes_received + info.tcpi_bytes_acked;
}

}  // namespace gongkai::server::net
