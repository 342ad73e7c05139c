#include "gongkai/core/signed_note.h"

#include <cstdio>

#include "gongkai/core/base64.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"

namespace gongkai::core::note {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH and a space
constexpr std::uint8_t kAlgEd25519 = 0x01;
constexpr std::size_t kMaxSignatures = 100;

Error malformed(std::string message) {
  return Error::make(ErrorCode::kMalformed, "malformed_note", std::move(message));
}

std::string u32BigEndian(std::uint32_t value) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
  return out;
}

std::uint32_t readU32BigEndian(std::string_view bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

}  // namespace

bool isValidKeyName(std::string_view name) {
  if (name.empty() || !isValidUtf8(name) || hasControlCharacters(name, false)) return false;
  for (char c : name) {
    if (c == ' ' || c == '+') return false;
  }
  return true;
}

std::uint32_t keyId(std::string_view name, const Ed25519PublicKey& key) {
  const char alg = static_cast<char>(kAlgEd25519);
  const Digest digest =
      sha256Of({name, "\n", std::string_view(&alg, 1),
                std::string_view(reinterpret_cast<const char*>(key.data()), key.size())});
  return readU32BigEndian(digestBytes(digest));
}

VerifierKey makeVerifierKey(std::string name, const Ed25519PublicKey& key) {
  VerifierKey out{std::move(name), 0, key};
  out.key_id = keyId(out.name, key);
  return out;
}

std::string keyIdHex(std::uint32_t id) {
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", id);
  return buffer;
}

std::string formatVerifierKey(const VerifierKey& key) {
  std::string material(1, static_cast<char>(kAlgEd25519));
  material.append(reinterpret_cast<const char*>(key.public_key.data()), key.public_key.size());
  return key.name + "+" + keyIdHex(key.key_id) + "+" + base64Encode(material);
}

Result<VerifierKey> parseVerifierKey(std::string_view text) {
  const auto firstPlus = text.find('+');
  const auto secondPlus =
      firstPlus == std::string_view::npos ? firstPlus : text.find('+', firstPlus + 1);
  if (secondPlus == std::string_view::npos) {
    return malformed("验证密钥应为 名称+密钥ID+base64 (verifier key must be name+keyid+base64)");
  }
  const std::string_view name = text.substr(0, firstPlus);
  const std::string_view idHex = text.substr(firstPlus + 1, secondPlus - firstPlus - 1);
  if (!isValidKeyName(name)) return malformed("验证密钥名称无效 (bad key name)");
  if (idHex.size() != 8 || idHex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return malformed("密钥ID应为 8 位十六进制 (key ID must be 8 lowercase hex digits)");
  }
  const auto material = base64Decode(text.substr(secondPlus + 1));
  if (!material || material->size() != 33 ||
      static_cast<std::uint8_t>((*material)[0]) != kAlgEd25519) {
    return malformed("不是 Ed25519 验证密钥 (not an Ed25519 verifier key)");
  }
  Ed25519PublicKey key{};
  std::copy(material->begin() + 1, material->end(), key.begin());
  VerifierKey out = makeVerifierKey(std::string(name), key);
  if (keyIdHex(out.key_id) != idHex)
    return malformed("密钥ID与公钥不符 (key ID does not match the key)");
  return out;
}

Result<std::vector<VerifierKey>> parseVerifierKeys(std::string_view text) {
  std::vector<VerifierKey> keys;
  std::size_t lineNumber = 0;
  while (!text.empty()) {
    ++lineNumber;
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto key = parseVerifierKey(line);
    if (!key.ok()) {
      return malformed("第 " + std::to_string(lineNumber) + " 行 (line " +
                       std::to_string(lineNumber) + "): " + key.error().message);
    }
    keys.push_back(std::move(key).value());
  }
  if (keys.empty()) return malformed("没有验证密钥 (no verifier key found)");
  return keys;
}

Result<Note> parseNote(std::string_view bytes) {
  if (!isValidUtf8(bytes)) return malformed("签名注记不是有效的 UTF-8 (note is not valid UTF-8)");
  if (bytes.empty() || bytes.back() != '\n')
    return malformed("签名注记应以换行结束 (note must end with a newline)");
  const auto split = bytes.rfind("\n\n");
  if (split == std::string_view::npos)
    return malformed("签名注记缺少签名 (note has no signatures)");
  Note note;
  note.text = std::string(bytes.substr(0, split + 1));
  std::string_view block = bytes.substr(split + 2);
  while (!block.empty()) {
    const auto end = block.find('\n');
    const std::string_view line = block.substr(0, end);
    block = block.substr(end + 1);
    if (!line.starts_with(kDash))
      return malformed("签名行应以“— ”开头 (signature line must start with an em dash)");
    const std::string_view rest = line.substr(kDash.size());
    const auto space = rest.find(' ');
    if (space == std::string_view::npos)
      return malformed("签名行缺少签名 (signature line has no signature)");
    Signature signature;
    signature.name = std::string(rest.substr(0, space));
    if (!isValidKeyName(signature.name)) return malformed("签名者名称无效 (bad signer name)");
    const auto material = base64Decode(rest.substr(space + 1));
    if (!material || material->size() < 5)
      return malformed("签名不是有效的 base64 (signature is not valid base64)");
    signature.key_id = readU32BigEndian(*material);
    signature.signature = material->substr(4);
    note.signatures.push_back(std::move(signature));
    if (note.signatures.size() > kMaxSignatures) return malformed("签名过多 (too many signatures)");
  }
  if (note.signatures.empty()) return malformed("签名注记缺少签名 (note has no signatures)");
  for (char c : std::string_view(note.text).substr(0, note.text.size() - 1)) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n')
      return malformed("正文含控制字符 (text has control characters)");
  }
  return note;
}

std::string signNote(std::string_view text, std::string_view name, const Ed25519Signer& signer) {
  const std::uint32_t id = keyId(name, signer.publicKey());
  std::string note(text);
  note += '\n';
  note += kDash;
  note += name;
  note += ' ';
  note += base64Encode(u32BigEndian(id) + signer.sign(text));
  note += '\n';
  return note;
}

std::string formatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const Signature& s : note.signatures) {
    out += std::string(kDash) + s.name + " " + base64Encode(u32BigEndian(s.key_id) + s.signature) +
           "\n";
  }
  return out;
}

Verdict verifyNote(const Note& note, const std::vector<VerifierKey>& keys) {
  bool verified = false;
  for (const Signature& signature : note.signatures) {
    for (const VerifierKey& key : keys) {
      if (key.name != signature.name || key.key_id != signature.key_id) continue;
      if (!ed25519Verify(key.public_key, note.text, signature.signature))
        return Verdict::kBadSignature;
      verified = true;
    }
  }
  return verified ? Verdict::kVerified : Verdict::kNoKnownKey;
}

}  // namespace gongkai::core::note
