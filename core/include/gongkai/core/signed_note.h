#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/ed25519.h"
#include "gongkai/core/result.h"

// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 signatures: a text ending in a
// newline, a blank line, then lines "— <name> <base64(key ID || signature)>".
namespace gongkai::core::note {

// A verifier key, written "<name>+<key ID, 8 hex digits>+<base64(0x01 || public key)>".
struct VerifierKey {
  std::string name;
  std::uint32_t key_id = 0;
  Ed25519PublicKey public_key{};
};

// First four bytes, big-endian, of SHA-256(name || "\n" || 0x01 || public key).
std::uint32_t keyId(std::string_view name, const Ed25519PublicKey& key);
VerifierKey makeVerifierKey(std::string name, const Ed25519PublicKey& key);
std::string formatVerifierKey(const VerifierKey& key);
Result<VerifierKey> parseVerifierKey(std::string_view text);
// Every non-empty line of a key file that does not start with '#'.
Result<std::vector<VerifierKey>> parseVerifierKeys(std::string_view text);
// A key name: non-empty, no spaces, no '+', valid UTF-8 without control characters.
bool isValidKeyName(std::string_view name);
std::string keyIdHex(std::uint32_t keyId);

struct Signature {
  std::string name;
  std::uint32_t key_id = 0;
  std::string signature;  // raw bytes, 64 for Ed25519
};

struct Note {
  std::string text;  // ends with "\n"; this is what is signed
  std::vector<Signature> signatures;
};

// Splits and checks the form of a signed note; signatures are not checked here.
Result<Note> parseNote(std::string_view bytes);
// `text` plus a blank line and one signature line by `signer` under `name`.
std::string signNote(std::string_view text, std::string_view name, const Ed25519Signer& signer);
std::string formatNote(const Note& note);

// The outcome of checking a note against trusted keys: signatures by unknown keys are ignored;
// one bad signature by a known key fails the note; at least one good one is needed.
enum class Verdict { kVerified, kNoKnownKey, kBadSignature };
Verdict verifyNote(const Note& note, const std::vector<VerifierKey>& keys);

}  // namespace gongkai::core::note
