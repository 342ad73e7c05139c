#include "gongkai/archive/sm2_signer.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace gongkai::archive {
namespace {

using core::Error;
using core::ErrorCode;

Error sm2Error(const std::string& what) {
  return Error::make(ErrorCode::kInvalidArgument, "sm2_key_error",
                     "SM2 密钥错误 (SM2 key error): " + what);
}

}  // namespace

struct Sm2Signer::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

Sm2Signer::Sm2Signer(std::unique_ptr<Key> key) : key_(std::move(key)) {}
Sm2Signer::Sm2Signer(Sm2Signer&&) noexcept = default;
Sm2Signer& Sm2Signer::operator=(Sm2Signer&&) noexcept = default;
Sm2Signer::~Sm2Signer() = default;

core::Result<Sm2Signer> Sm2Signer::fromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return sm2Error("out of memory");
  auto key = std::make_unique<Key>();
  key->pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key->pkey == nullptr) return sm2Error("not a PEM private key");
  if (!EVP_PKEY_is_a(key->pkey, "SM2")) return sm2Error("not an SM2 key");
  return Sm2Signer(std::move(key));
}

core::Result<std::string> Sm2Signer::sign(std::string_view message) const {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* keyContext = EVP_PKEY_CTX_new(key_->pkey, nullptr);
  std::string signature;
  bool ok = context != nullptr && keyContext != nullptr &&
            EVP_PKEY_CTX_set1_id(keyContext, kSm2DistinguishingId.data(),
                                 static_cast<int>(kSm2DistinguishingId.size())) > 0;
  if (ok) {
    EVP_MD_CTX_set_pkey_ctx(context, keyContext);
    std::size_t length = 0;
    ok = EVP_DigestSignInit(context, nullptr, EVP_sm3(), nullptr, key_->pkey) == 1 &&
         EVP_DigestSignUpdate(context, message.data(), message.size()) == 1 &&
         EVP_DigestSignFinal(context, nullptr, &length) == 1;
    if (ok) {
      signature.resize(length);
      ok = EVP_DigestSignFinal(context, reinterpret_cast<unsigned char*>(signature.data()),
                               &length) == 1;
      signature.resize(length);
    }
  }
  EVP_MD_CTX_free(context);
  EVP_PKEY_CTX_free(keyContext);
  if (!ok)
    return Error::make(ErrorCode::kInternal, "sm2_sign_failed",
                       "SM2 签名失败 (SM2 signing failed)");
  return signature;
}

std::string Sm2Signer::publicKeyPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key_->pkey);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

}  // namespace gongkai::archive
