#pragma once

#include <optional>
#include <string>
#include <string_view>

// Password hashes and bearer tokens for accounts.
namespace gongkai::core {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet).
inline constexpr int kDefaultPbkdf2Iterations = 600000;
// Hashes weaker than this are refused when read back, so a tampered row cannot lower the cost.
inline constexpr int kMinimumPbkdf2Iterations = 1000;

// "pbkdf2-sha256$<iterations>$<salt, base64>$<32-byte hash, base64>" with a fresh 16-byte salt.
std::string hashPassword(std::string_view password, int iterations = kDefaultPbkdf2Iterations);

// Checks `password` against an encoded hash in constant time; false for any malformed hash.
bool verifyPassword(std::string_view password, std::string_view encoded);

// The iteration count an encoded hash was made with, 0 when it is not one of ours.
int hashIterations(std::string_view encoded);

// A new bearer token: "gk_" and 43 base64url characters (32 random bytes).
std::string newToken();
// What the store keeps of a token: its SHA-256, hex. The token itself is never stored.
std::string tokenDigest(std::string_view token);
// True when `token` has the shape newToken() makes.
bool isWellFormedToken(std::string_view token);

// A receipt code for a public submission: 16 characters of Crockford's base32 (80 random bits)
// in four groups, e.g. "7KQ2-M9XD-4TZR-H0PA": easy to read out on the phone or copy by hand.
// Stored, like tokens, only as tokenDigest().
std::string newReceiptCode();
// True when `code` has that shape (upper case; the caller may upper-case what a person typed).
bool isWellFormedReceiptCode(std::string_view code);
// What the store keeps of a receipt code a person typed (upper-cased first); nullopt when it
// cannot be one.
std::optional<std::string> receiptDigest(std::string_view typed);

// Compares in time that depends only on the lengths.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gongkai::core
