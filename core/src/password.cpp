#include "gongkai/core/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "gongkai/core/base64.h"
#include "gongkai/core/sha256.h"

namespace gongkai::core {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kTokenBytes = 32;
constexpr std::string_view kTokenPrefix = "gk_";
// Far above any sensible setting; bounds the work a crafted hash can make us do.
constexpr int kMaximumPbkdf2Iterations = 10000000;

std::string randomBytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return bytes;
}

std::string pbkdf2(std::string_view password, std::string_view salt, int iterations) {
  std::string out(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
  }
  return out;
}

struct ParsedHash {
  int iterations = 0;
  std::string salt, hash;
};

bool parseHash(std::string_view encoded, ParsedHash& out) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dollar = encoded.find('$', start);
    parts.push_back(encoded.substr(start, dollar - start));
    if (dollar == std::string_view::npos) break;
    start = dollar + 1;
  }
  if (parts.size() != 4 || parts[0] != kScheme) return false;
  auto [end, error] =
      std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), out.iterations);
  if (error != std::errc() || end != parts[1].data() + parts[1].size()) return false;
  if (out.iterations < kMinimumPbkdf2Iterations || out.iterations > kMaximumPbkdf2Iterations)
    return false;
  auto salt = base64Decode(parts[2]);
  auto hash = base64Decode(parts[3]);
  if (!salt || !hash || salt->size() < kSaltBytes || hash->size() != kHashBytes) return false;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return true;
}

std::string base64Url(std::string_view bytes) {
  std::string text = base64Encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

}  // namespace

std::string hashPassword(std::string_view password, int iterations) {
  if (iterations < kMinimumPbkdf2Iterations || iterations > kMaximumPbkdf2Iterations) {
    throw std::invalid_argument("PBKDF2 iteration count out of range");
  }
  const std::string salt = randomBytes(kSaltBytes);
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + base64Encode(salt) + "$" +
         base64Encode(pbkdf2(password, salt, iterations));
}

bool verifyPassword(std::string_view password, std::string_view encoded) {
  ParsedHash parsed;
  if (!parseHash(encoded, parsed)) return false;
  return constantTimeEquals(pbkdf2(password, parsed.salt, parsed.iterations), parsed.hash);
}

int hashIterations(std::string_view encoded) {
  ParsedHash parsed;
  return parseHash(encoded, parsed) ? parsed.iterations : 0;
}

std::string newToken() { return std::string(kTokenPrefix) + base64Url(randomBytes(kTokenBytes)); }

std::string tokenDigest(std::string_view token) { return sha256Hex(token); }

namespace {
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

std::string newReceiptCode() {
  const std::string bytes = randomBytes(10);
  std::string code;
  std::uint64_t bits = 0;
  int held = 0;
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    held += 8;
    while (held >= 5) {
      if (code.size() % 5 == 4) code += '-';
      code += kCrockford[(bits >> (held - 5)) & 0x1f];
      held -= 5;
    }
  }
  return code;
}

std::optional<std::string> receiptDigest(std::string_view typed) {
  std::string code;
  for (char c : typed) code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!isWellFormedReceiptCode(code)) return std::nullopt;
  return tokenDigest(code);
}

bool isWellFormedReceiptCode(std::string_view code) {
  if (code.size() != 19) return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const bool ok =
        i % 5 == 4 ? code[i] == '-' : kCrockford.find(code[i]) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool isWellFormedToken(std::string_view token) {
  if (token.size() != kTokenPrefix.size() + 43 ||
      token.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return false;
  }
  for (char c : token.substr(kTokenPrefix.size())) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gongkai::core
