#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace gongkai::core {

using Digest = std::array<std::uint8_t, 32>;

// Incremental SHA-256 (OpenSSL underneath). Not thread-safe; one per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Ends the stream; the object must not be updated afterwards.
  Digest finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Digest sha256(std::string_view data);
// SHA-256 of the parts one after another, without joining them first.
Digest sha256Of(std::initializer_list<std::string_view> parts);
// Digest as the raw 32 bytes.
inline std::string_view digestBytes(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}
std::string toHex(const Digest& digest);
std::string sha256Hex(std::string_view data);
// True for exactly 64 lowercase hex digits.
bool isSha256Hex(std::string_view text);

}  // namespace gongkai::core
