// Checkpoints, signed notes and verifier keys (core/checkpoint.h, signed_note.h): what a verifier
// reads from a bundle or a monitor fetches. Any bytes are parsed as each; what parses writes back
// to a form that parses to the same, and a note is checked against a known key.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/core/checkpoint.h"
#include "gongkai/core/signed_note.h"

namespace note = gongkai::core::note;

namespace {

// The signed-note specification's test key (also in tests/core/signed_note_test.cpp).
constexpr std::string_view kKnownKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto parsed = note::parseNote(text); parsed.ok()) {
    const std::string written = note::formatNote(parsed.value());
    auto again = note::parseNote(written);
    FUZZ_CHECK(again.ok(), "a written note parses");
    FUZZ_CHECK(note::formatNote(again.value()) == written, "a written note is a fixed point");
    static const auto known = note::parseVerifierKey(kKnownKey);
    FUZZ_CHECK(known.ok(), "the known key parses");
    (void)note::verifyNote(parsed.value(), {known.value()});
    if (auto checkpoint = gongkai::core::parseCheckpoint(parsed.value().text); checkpoint.ok()) {
      (void)gongkai::core::formatCheckpoint(checkpoint.value());
    }
  }

  if (auto checkpoint = gongkai::core::parseCheckpoint(text); checkpoint.ok()) {
    const std::string written = gongkai::core::formatCheckpoint(checkpoint.value());
    auto again = gongkai::core::parseCheckpoint(written);
    FUZZ_CHECK(again.ok(), "a written checkpoint parses");
    FUZZ_CHECK(gongkai::core::formatCheckpoint(again.value()) == written,
               "a written checkpoint is a fixed point");
  }

  if (auto key = note::parseVerifierKey(text); key.ok()) {
    FUZZ_CHECK(note::isValidKeyName(key.value().name), "a parsed key has a valid name");
    const std::string written = note::formatVerifierKey(key.value());
    auto again = note::parseVerifierKey(written);
    FUZZ_CHECK(again.ok(), "a written key parses");
    FUZZ_CHECK(note::formatVerifierKey(again.value()) == written, "a written key is a fixed point");
  }
  (void)note::parseVerifierKeys(text);
  return 0;
}
