// C2SP signed notes and tlog checkpoints: the golang.org/x/mod vector, our own signatures,
// strict parsing of hostile notes, and base64.
#include "gongkai/core/signed_note.h"

#include <gtest/gtest.h>

#include "gongkai/core/base64.h"
#include "gongkai/core/checkpoint.h"

namespace gongkai::core {
namespace {

constexpr std::string_view kVectorKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kVectorText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kVectorSignatureLine =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

std::string vectorNote() {
  return std::string(kVectorText) + "\n" + std::string(kVectorSignatureLine);
}

TEST(SignedNote, TheGoVectorVerifies) {
  auto key = note::parseVerifierKey(kVectorKey);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key.value().name, "PeterNeumann");
  EXPECT_EQ(note::keyIdHex(key.value().key_id), "c74f20a3");
  EXPECT_EQ(note::formatVerifierKey(key.value()), kVectorKey);
  auto parsed = note::parseNote(vectorNote());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value().text, kVectorText);
  EXPECT_EQ(note::verifyNote(parsed.value(), {key.value()}), note::Verdict::kVerified);
  EXPECT_EQ(note::formatNote(parsed.value()), vectorNote());
}

TEST(SignedNote, AlteredTextOrSignatureFailsAndUnknownKeysAreNotEnough) {
  auto key = note::parseVerifierKey(kVectorKey).value();
  auto parsed = note::parseNote(vectorNote()).value();
  auto altered = parsed;
  altered.text[3] = 'X';
  EXPECT_EQ(note::verifyNote(altered, {key}), note::Verdict::kBadSignature);
  auto badSignature = parsed;
  badSignature.signatures[0].signature[10] ^= 1;
  EXPECT_EQ(note::verifyNote(badSignature, {key}), note::Verdict::kBadSignature);
  auto other = Ed25519Signer::generate().value();
  EXPECT_EQ(note::verifyNote(parsed, {note::makeVerifierKey("Other", other.publicKey())}),
            note::Verdict::kNoKnownKey);
  // Same name, different key: the key ID differs, so the signature is simply not by it.
  EXPECT_EQ(note::verifyNote(parsed, {note::makeVerifierKey("PeterNeumann", other.publicKey())}),
            note::Verdict::kNoKnownKey);
}

TEST(SignedNote, OurSignaturesVerifyAndRoundTrip) {
  auto signer = Ed25519Signer::generate().value();
  const std::string text =
      "gongkai.example/审计\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  const std::string signedNote = note::signNote(text, "gongkai.example/审计", signer);
  auto parsed = note::parseNote(signedNote);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto key = note::makeVerifierKey("gongkai.example/审计", signer.publicKey());
  EXPECT_EQ(note::verifyNote(parsed.value(), {key}), note::Verdict::kVerified);
  auto reparsedKey = note::parseVerifierKey(note::formatVerifierKey(key));
  ASSERT_TRUE(reparsedKey.ok());
  EXPECT_EQ(reparsedKey.value().public_key, signer.publicKey());

  auto fromPem = Ed25519Signer::fromPem(signer.privateKeyPem());
  ASSERT_TRUE(fromPem.ok());
  EXPECT_EQ(fromPem.value().publicKey(), signer.publicKey());
  EXPECT_NE(ed25519PublicKeyPem(signer.publicKey()).find("BEGIN PUBLIC KEY"), std::string::npos);
}

TEST(SignedNote, MalformedNotesAndKeysAreRejected) {
  for (std::string bad :
       {std::string(""), std::string("no newline"), std::string("text\n"),
        std::string(kVectorText) + "\n", std::string(kVectorText) + "\n- PeterNeumann AAAA\n",
        std::string(kVectorText) + "\n\xE2\x80\x94 PeterNeumann !!!!\n",
        std::string(kVectorText) + "\n\xE2\x80\x94 PeterNeumann\n",
        std::string(kVectorText) + "\n\xE2\x80\x94 PeterNeumann AAA=\n",
        std::string("\xff\xfe\n\n") + std::string(kVectorSignatureLine),
        std::string("a\x01\n\n") + std::string(kVectorSignatureLine)}) {
    EXPECT_FALSE(note::parseNote(bad).ok()) << bad;
  }
  for (std::string_view bad :
       {"", "PeterNeumann", "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpcAQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10"}) {
    EXPECT_FALSE(note::parseVerifierKey(bad).ok()) << bad;
  }
  auto keys = note::parseVerifierKeys(std::string("# keys\n\n") + std::string(kVectorKey) + "\n");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys.value().size(), 1u);
  EXPECT_FALSE(note::parseVerifierKeys("# nothing\n").ok());
  EXPECT_FALSE(
      Ed25519Signer::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
          .ok());
}

TEST(Checkpoint, FormatsAndParsesStrictly) {
  Checkpoint checkpoint{"gongkai.example/audit", 1234, merkle::leafHash("x"), {"extension line"}};
  const std::string text = formatCheckpoint(checkpoint);
  auto parsed = parseCheckpoint(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().origin, checkpoint.origin);
  EXPECT_EQ(parsed.value().size, 1234u);
  EXPECT_EQ(parsed.value().root, checkpoint.root);
  EXPECT_EQ(parsed.value().extensions, checkpoint.extensions);
  for (std::string bad :
       {std::string(""), std::string("origin\n12\n"), std::string("origin\n012\nAAAA\n"),
        std::string("origin\n-1\n") + base64Encode(std::string(32, 'a')) + "\n",
        std::string("origin\n1\nAAAA\n"),
        std::string("\n1\n") + base64Encode(std::string(32, 'a')) + "\n",
        std::string("origin\n1\n") + base64Encode(std::string(32, 'a')),
        std::string("origin\n1\n") + base64Encode(std::string(32, 'a')) + "\n\n"}) {
    EXPECT_FALSE(parseCheckpoint(bad).ok()) << bad;
  }
}

TEST(Base64, RoundTripsAndRejectsNonCanonicalText) {
  for (std::string bytes :
       {std::string(""), std::string("f"), std::string("fo"), std::string("foo"),
        std::string("foob"), std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(base64Decode(base64Encode(bytes)), bytes);
  }
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  for (std::string_view bad : {"Zm9", "Zm9v YmFy", "Zg=a", "Z===", "Zh==", "Zm9=YmFy", "Zm-v"}) {
    EXPECT_FALSE(base64Decode(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace gongkai::core
