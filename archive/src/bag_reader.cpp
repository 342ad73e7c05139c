#include <vector>

#include "async_digest.h"
#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

// Files other than payload under items/*/files/ are read into memory to be parsed; none of
// ours comes near this, and a larger one is refused rather than held.
constexpr std::int64_t kMaxKeptFile = std::int64_t{256} << 20;
constexpr std::size_t kChunk = 1 << 20;

}  // namespace

bool readTar(VerifyContext& ctx) {
  SafeTarReader reader(ctx.options.limits);
  const auto opened = ctx.stream_fd >= 0 ? reader.openStream(ctx.stream_fd, ctx.report.bundle)
                                         : reader.open(ctx.report.bundle);
  if (!opened.ok()) {
    ctx.add("4-7", "tar_safety", ctx.report.bundle, false, opened.error().message);
    return false;
  }
  TarEntry entry;
  std::vector<char> buffer(kChunk);
  // Both digests on threads of their own; this one reads and inspects.
  AsyncDigest sha256(EVP_sha256()), sha512(EVP_sha512());
  std::int64_t entries = 0, contentBytes = 0;
  while (reader.next(entry)) {
    ++entries;
    ctx.report.name = reader.root();
    const std::string root = reader.root() + "/";
    if (entry.path == reader.root()) continue;
    const std::string path = entry.path.substr(root.size());
    if (entry.directory) continue;
    const bool inData = startsWith(path, layout::kData);
    const bool payloadFile =
        startsWith(path, layout::kItems) &&
        path.find(std::string("/") + std::string(layout::kFilesFolder)) != std::string::npos;
    // In the map before its bytes are read: the digest threads write its digests there when
    // they reach its end, while this thread goes on to the next entry.
    SeenFile& seen = ctx.files[path];
    std::optional<FileInspector> inspector;
    if (inData) inspector.emplace(path, payloadFile ? "" : declaredTypeByExtension(path));
    const bool keep = mustRead(path) && entry.size <= kMaxKeptFile;
    std::string kept;
    while (true) {
      const std::int64_t got = reader.read(buffer.data(), buffer.size());
      if (got < 0) break;
      if (got == 0) break;
      sha256.update(buffer.data(), static_cast<std::size_t>(got));
      sha512.update(buffer.data(), static_cast<std::size_t>(got));
      if (inspector) inspector->update(buffer.data(), static_cast<std::size_t>(got));
      if (keep) kept.append(buffer.data(), static_cast<std::size_t>(got));
      seen.size += got;
      contentBytes += got;
      if (ctx.options.on_read) ctx.options.on_read(contentBytes);
    }
    sha256.finishInto(&seen.sha256);
    sha512.finishInto(&seen.sha512);
    if (reader.error()) break;
    if (inspector) seen.findings = inspector->finish();
    if (keep) seen.bytes = std::move(kept);
  }
  sha256.wait();
  sha512.wait();
  if (reader.error()) {
    ctx.add("4-7", "tar_safety", ctx.report.name.empty() ? ctx.report.bundle : ctx.report.name,
            false, reader.error()->message);
    return false;
  }
  if (entries == 0) {
    ctx.add("1-13", "bag_declaration", ctx.report.bundle, false,
            "归档包是空的 (the bundle is empty)");
    return false;
  }
  ctx.add("4-7", "tar_safety", ctx.report.name, true,
          "tar 结构安全：" + std::to_string(entries) +
              " 个条目，无绝对路径、..、链接、设备文件或重复条目 (the tar is safe: " +
              std::to_string(entries) +
              " entries, no absolute paths, .., links, devices or duplicates)");
  return true;
}

}  // namespace gongkai::archive::verify
