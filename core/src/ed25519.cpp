#include "gongkai/core/ed25519.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace gongkai::core {
namespace {

Error cryptoError(std::string message) {
  return Error::make(ErrorCode::kInvalidArgument, "bad_key", std::move(message));
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

}  // namespace

struct Ed25519Signer::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

Ed25519Signer::Ed25519Signer(std::unique_ptr<Key> key) : key_(std::move(key)) {
  std::size_t length = publicKey_.size();
  EVP_PKEY_get_raw_public_key(key_->pkey, publicKey_.data(), &length);
}
Ed25519Signer::Ed25519Signer(Ed25519Signer&&) noexcept = default;
Ed25519Signer& Ed25519Signer::operator=(Ed25519Signer&&) noexcept = default;
Ed25519Signer::~Ed25519Signer() = default;

Result<Ed25519Signer> Ed25519Signer::generate() {
  auto key = std::make_unique<Key>();
  key->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key->pkey == nullptr) return cryptoError("Ed25519 key generation failed");
  return Ed25519Signer(std::move(key));
}

Result<Ed25519Signer> Ed25519Signer::fromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  auto key = std::make_unique<Key>();
  key->pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key->pkey == nullptr) return cryptoError("不是 PEM 格式的私钥 (not a PEM private key)");
  if (EVP_PKEY_get_base_id(key->pkey) != EVP_PKEY_ED25519) {
    return cryptoError("私钥不是 Ed25519 (the private key is not Ed25519)");
  }
  return Ed25519Signer(std::move(key));
}

std::string Ed25519Signer::privateKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_->pkey, nullptr, nullptr, 0, nullptr, nullptr);
  return drain(bio.get());
}

std::string Ed25519Signer::sign(std::string_view message) const {
  std::string signature(64, '\0');
  std::size_t length = signature.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_->pkey) == 1 &&
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || length != 64) throw std::runtime_error("Ed25519 signing failed");
  return signature;
}

bool ed25519Verify(const Ed25519PublicKey& key, std::string_view message,
                   std::string_view signature) {
  if (signature.size() != 64) return false;
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size());
  if (pkey == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return ok;
}

std::string ed25519PublicKeyPem(const Ed25519PublicKey& key) {
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size());
  if (pkey == nullptr) return {};
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), pkey);
  EVP_PKEY_free(pkey);
  return drain(bio.get());
}

std::optional<Ed25519PublicKey> ed25519PublicKeyFromPem(std::string_view pem) {
  if (pem.size() > 4096) return std::nullopt;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return std::nullopt;
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (pkey == nullptr) {
    ERR_clear_error();  // a refused text leaves nothing on this thread's queue
    return std::nullopt;
  }
  Ed25519PublicKey key{};
  std::size_t size = key.size();
  const bool ok = EVP_PKEY_id(pkey) == EVP_PKEY_ED25519 &&
                  EVP_PKEY_get_raw_public_key(pkey, key.data(), &size) == 1 && size == key.size();
  EVP_PKEY_free(pkey);
  if (!ok) return std::nullopt;
  return key;
}

}  // namespace gongkai::core
