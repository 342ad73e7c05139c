#include <openssl/bio.h>
#include <openssl/pem.h>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "gongkai/archive/sm2_signer.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

bool verifySm2(EVP_PKEY* key, std::string_view message, std::string_view signature) {
  // The key context outlives the digest context that borrows it.
  std::unique_ptr<EVP_PKEY_CTX, EvpFree> keyContext(EVP_PKEY_CTX_new(key, nullptr));
  std::unique_ptr<EVP_MD_CTX, EvpFree> context(EVP_MD_CTX_new());
  if (!context || !keyContext ||
      EVP_PKEY_CTX_set1_id(keyContext.get(), kSm2DistinguishingId.data(),
                           static_cast<int>(kSm2DistinguishingId.size())) <= 0) {
    return false;
  }
  EVP_MD_CTX_set_pkey_ctx(context.get(), keyContext.get());
  return EVP_DigestVerifyInit(context.get(), nullptr, EVP_sm3(), nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace

bool loadKeys(VerifyContext& ctx) {
  for (const std::string& pem : ctx.options.public_key_pems) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
      ctx.add("1-1", "trusted_key", "--key", false,
              "公钥无法读取，须为 PEM 格式的 Ed25519 或 SM2 公钥 (the key is not a PEM Ed25519 or "
              "SM2 public key)");
      return false;
    }
    TrustedKey trusted;
    if (EVP_PKEY_is_a(key.get(), "ED25519")) {
      std::size_t length = trusted.ed25519.size();
      EVP_PKEY_get_raw_public_key(key.get(), trusted.ed25519.data(), &length);
    } else if (EVP_PKEY_is_a(key.get(), "SM2")) {
      trusted.sm2 = true;
    } else {
      ctx.add("1-1", "trusted_key", "--key", false,
              "只接受 Ed25519 或 SM2 公钥 (only Ed25519 and SM2 keys are accepted)");
      return false;
    }
    trusted.key = std::move(key);
    ctx.keys.push_back(std::move(trusted));
  }
  if (ctx.keys.empty()) {
    ctx.add("1-1", "trusted_key", "--key", false,
            "未给出可信公钥，无法确认真实性 (no trusted public key given: authenticity cannot be "
            "established)");
  }
  return true;
}

void checkSignatures(VerifyContext& ctx) {
  const std::string* manifest = ctx.bytesOf("tagmanifest-sha256.txt");
  if (manifest == nullptr || ctx.keys.empty()) return;
  bool anyVerified = false;
  for (const TrustedKey& key : ctx.keys) {
    const std::string_view sigPath = key.sm2 ? layout::kSm2Signature : layout::kEd25519Signature;
    const std::string check = key.sm2 ? "signature_sm2" : "signature_ed25519";
    const std::string* signature = ctx.bytesOf(sigPath);
    if (signature == nullptr) {
      ctx.add("1-1", check, std::string(sigPath), false,
              "签名文件缺失 (signature file missing): " + std::string(sigPath));
      continue;
    }
    const bool ok = key.sm2 ? verifySm2(key.key.get(), *manifest, *signature)
                            : core::ed25519Verify(key.ed25519, *manifest, *signature);
    anyVerified = anyVerified || ok;
    ctx.add(
        "1-1", check, std::string(sigPath), ok,
        ok ? std::string(key.sm2 ? "SM2/SM3" : "Ed25519") +
                 " 签名经可信公钥验证通过 (signature verified with the trusted key)"
           : std::string(key.sm2 ? "SM2/SM3" : "Ed25519") +
                 " 签名无效：被替换或由其他密钥签署 (signature does not verify with the trusted "
                 "key: replaced, or made by another key)");
  }
  (void)anyVerified;
}

}  // namespace gongkai::archive::verify
