#include "gongkai/server/service/client_pseudonym.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <mutex>

namespace gongkai::server::service {
namespace {

std::mutex keyMutex;
std::string pseudonymKey;  // set once at start

}  // namespace

void setClientPseudonymKey(std::string key) {
  std::lock_guard lock(keyMutex);
  pseudonymKey = std::move(key);
}

std::string auditClientOf(const Subject& subject) {
  if (!subject.principal.anonymous()) return subject.address;
  std::string key;
  {
    std::lock_guard lock(keyMutex);
    key = pseudonymKey;
  }
  if (key.empty() || subject.address.empty()) return "anon";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(subject.address.data()), subject.address.size(),
       digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "anon-";
  for (unsigned int i = 0; i < 8 && i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace gongkai::server::service
