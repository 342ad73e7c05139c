#include "gongkai/core/checkpoint.h"

#include <charconv>

#include "gongkai/core/base64.h"

namespace gongkai::core {
namespace {

Error malformed(std::string message) {
  return Error::make(ErrorCode::kMalformed, "malformed_checkpoint", std::move(message));
}

}  // namespace

std::string formatCheckpoint(const Checkpoint& checkpoint) {
  std::string out = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                    base64Encode(digestBytes(checkpoint.root)) + "\n";
  for (const std::string& line : checkpoint.extensions) out += line + "\n";
  return out;
}

Result<Checkpoint> parseCheckpoint(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos)
      return malformed("检查点应以换行结束 (checkpoint must end with a newline)");
    lines.push_back(text.substr(0, end));
    text = text.substr(end + 1);
  }
  if (lines.size() < 3) return malformed("检查点至少三行 (checkpoint needs origin, size and root)");
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin.empty()) return malformed("检查点来源为空 (empty origin)");
  const std::string_view size = lines[1];
  const auto [end, error] =
      std::from_chars(size.data(), size.data() + size.size(), checkpoint.size);
  if (size.empty() || error != std::errc() || end != size.data() + size.size() ||
      (size.size() > 1 && size[0] == '0')) {
    return malformed("树大小应为十进制整数 (tree size must be a decimal number)");
  }
  const auto root = base64Decode(lines[2]);
  if (!root || root->size() != checkpoint.root.size()) {
    return malformed("根哈希应为 32 字节的 base64 (root must be 32 bytes in base64)");
  }
  std::copy(root->begin(), root->end(), checkpoint.root.begin());
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return malformed("扩展行为空 (empty extension line)");
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

}  // namespace gongkai::core
