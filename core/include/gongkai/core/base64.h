#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gongkai::core {

// Standard base64 (RFC 4648 §4) with padding.
std::string base64Encode(std::string_view bytes);

// Strict decoding: only the standard alphabet, correct padding, no whitespace, and unused bits
// zero, so every byte string has exactly one accepted encoding. nullopt otherwise.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace gongkai::core
