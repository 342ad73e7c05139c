#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/merkle.h"
#include "gongkai/core/result.h"

namespace gongkai::core {

// The body of a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): origin line, tree
// size in decimal, base64 root hash, then optional extension lines. Signed as a signed note.
struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  merkle::Hash root{};
  std::vector<std::string> extensions;
};

std::string formatCheckpoint(const Checkpoint& checkpoint);
Result<Checkpoint> parseCheckpoint(std::string_view text);

}  // namespace gongkai::core
