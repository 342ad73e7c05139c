#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gongkai/core/result.h"

namespace gongkai::core {

using Ed25519PublicKey = std::array<std::uint8_t, 32>;

// An Ed25519 private key (OpenSSL underneath), kept in PKCS#8 PEM so the stock openssl command
// line reads the same file. Thread-safe for signing.
class Ed25519Signer {
 public:
  static Result<Ed25519Signer> generate();
  static Result<Ed25519Signer> fromPem(std::string_view pem);

  Ed25519Signer(Ed25519Signer&&) noexcept;
  Ed25519Signer& operator=(Ed25519Signer&&) noexcept;
  ~Ed25519Signer();

  std::string privateKeyPem() const;
  const Ed25519PublicKey& publicKey() const { return publicKey_; }
  // The 64-byte signature over `message` (pure Ed25519, no pre-hash).
  std::string sign(std::string_view message) const;

 private:
  struct Key;
  explicit Ed25519Signer(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
  Ed25519PublicKey publicKey_{};
};

bool ed25519Verify(const Ed25519PublicKey& key, std::string_view message,
                   std::string_view signature);

// SubjectPublicKeyInfo PEM of a public key, as `openssl pkeyutl -pubin -inkey` reads it.
std::string ed25519PublicKeyPem(const Ed25519PublicKey& key);
// The key of a SubjectPublicKeyInfo PEM (what ed25519PublicKeyPem and `openssl pkey -pubout`
// write), or nullopt when the text is no PEM public key or the key is not Ed25519.
std::optional<Ed25519PublicKey> ed25519PublicKeyFromPem(std::string_view pem);

}  // namespace gongkai::core
