#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "gongkai/core/result.h"

namespace gongkai::archive {

// The distinguishing ID both sides must use (GB/T 32918's default, set explicitly: OpenSSL 3.0
// uses an empty one unless told).
inline constexpr std::string_view kSm2DistinguishingId = "1234567812345678";

// An SM2 private key signing with SM3 (GB/T 32918, GB/T 32905), as the stock openssl checks:
//   openssl dgst -sm3 -verify PUB.pem -sigopt distid:1234567812345678 -signature SIG FILE
class Sm2Signer {
 public:
  // From a PKCS#8 PEM private key, e.g. `openssl genpkey -algorithm SM2`.
  static core::Result<Sm2Signer> fromPem(std::string_view pem);
  Sm2Signer(Sm2Signer&&) noexcept;
  Sm2Signer& operator=(Sm2Signer&&) noexcept;
  ~Sm2Signer();

  // A DER-encoded SM2 signature of SM3(Z || message). SM2 signatures are randomised: two
  // signatures of one message differ, both verify.
  core::Result<std::string> sign(std::string_view message) const;
  // The public key as SubjectPublicKeyInfo PEM.
  std::string publicKeyPem() const;

 private:
  struct Key;
  explicit Sm2Signer(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
};

}  // namespace gongkai::archive
