#include "gongkai/core/sha256.h"

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace gongkai::core {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  if (impl_->ctx == nullptr || EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 initialisation failed");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(impl_->ctx); }

void Sha256::update(const void* data, std::size_t size) {
  EVP_DigestUpdate(impl_->ctx, data, size);
}

Digest Sha256::finish() {
  Digest out{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(impl_->ctx, out.data(), &length);
  return out;
}

Digest sha256Of(std::initializer_list<std::string_view> parts) {
  // OpenSSL's one-shot SHA-256 functions rather than EVP: for the short inputs hashed in bulk
  // (audit entries, Merkle nodes) EVP's per-call setup and provider locking cost more than the
  // hashing itself. Same implementation underneath (deprecated in 3.0, not removed).
  SHA256_CTX context;
  SHA256_Init(&context);
  for (std::string_view part : parts) SHA256_Update(&context, part.data(), part.size());
  Digest out{};
  SHA256_Final(out.data(), &context);
  return out;
}

Digest sha256(std::string_view data) { return sha256Of({data}); }

std::string toHex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (std::uint8_t byte : digest) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

std::string sha256Hex(std::string_view data) { return toHex(sha256(data)); }

bool isSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace gongkai::core
