#include "gongkai/server/net/request_id.h"

#include <openssl/rand.h>

namespace gongkai::server::net {
namespace {

thread_local std::string current;

bool sensible(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const std::string& currentRequestId() { return current; }

std::string requestIdFrom(const Poco::Net::HTTPServerRequest& request) {
  const std::string given = request.get("X-Request-Id", "");
  if (sensible(given)) return given;
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "unknown";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (const unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

RequestIdScope::RequestIdScope(std::string id) { current = std::move(id); }

RequestIdScope::~RequestIdScope() { current.clear(); }

}  // namespace gongkai::server::net
