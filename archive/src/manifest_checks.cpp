#include <set>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {

void checkBagDeclaration(VerifyContext& ctx) {
  const std::string* bagit = ctx.bytesOf("bagit.txt");
  const bool ok =
      bagit != nullptr && *bagit == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
  ctx.add("1-13", "bag_declaration", "bagit.txt", ok,
          ok ? "BagIt 1.0 声明正确 (BagIt 1.0 declaration present)"
             : "bagit.txt 缺失或不是 BagIt 1.0 声明 (bagit.txt missing or not a BagIt 1.0 "
               "declaration)");
  for (std::string_view required :
       {"bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"}) {
    if (ctx.bytesOf(required) == nullptr) {
      ctx.add("1-13", "tag_file_missing", std::string(required), false,
              "标签文件缺失 (tag file missing): " + std::string(required));
    }
  }
  if (const std::string* info = ctx.bytesOf("bag-info.txt")) ctx.info = parseBagInfo(*info);
}

namespace {

// Checks one manifest against the files seen: `payload` for manifest-*.txt (every file under
// data/ must be listed), else the tag manifest.
void checkManifest(VerifyContext& ctx, const std::string& name, bool sha512, bool payload) {
  const std::string* text = ctx.bytesOf(name);
  if (text == nullptr) return;
  std::set<std::string> listed;
  // Listed files missing or changed (1-14), and files present that no manifest lists (4-3).
  std::size_t problems = 0, extras = 0;
  const std::string check =
      payload ? (sha512 ? "manifest_sha512" : "manifest_sha256") : "tagmanifest_sha256";
  for (std::string_view line : lines(*text)) {
    if (line.empty()) continue;
    const auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos) {
      ctx.add("1-14", check, name, false,
              "清单行格式错误 (malformed manifest line): " + std::string(line));
      ++problems;
      continue;
    }
    const std::string digest(line.substr(0, space));
    const std::string path = manifestUnescape(line.substr(line.find_first_not_of(" \t", space)));
    listed.insert(path);
    auto found = ctx.files.find(path);
    if (found == ctx.files.end()) {
      ctx.add("1-14", check, path, false,
              "清单所列文件缺失 (file listed in the manifest is missing): " + path);
      ++problems;
    } else if ((sha512 ? found->second.sha512 : found->second.sha256) != digest) {
      ctx.add("1-14", check, path, false,
              "文件内容与清单校验值不符 (file does not match its manifest checksum): " + path);
      ++problems;
    }
  }
  if (payload) {
    for (const auto& [path, seen] : ctx.files) {
      if (startsWith(path, layout::kData) && !listed.count(path)) {
        ctx.add("4-3", check, path, false,
                "文件不在清单中，可能是后加的 (file not in the manifest, added after bagging): " +
                    path);
        ++extras;
      }
    }
  } else {
    for (std::string_view tag :
         {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt"}) {
      if (ctx.files.count(std::string(tag)) && !listed.count(std::string(tag))) {
        ctx.add(
            "1-14", check, std::string(tag), false,
            "标签文件不在标签清单中 (tag file missing from the tag manifest): " + std::string(tag));
        ++problems;
      }
    }
    for (const auto& [path, seen] : ctx.files) {
      if (isSignatureFile(path)) continue;
      if (startsWith(path, layout::kSignatures)) {
        // Nothing covers the signature folder but the signatures themselves: anything else
        // there could have been added by anyone.
        ctx.add("4-3", check, path, false,
                "签名文件夹中有不应有的文件 (unexpected file in the signature folder): " + path);
        ++extras;
      } else if (!startsWith(path, layout::kData) && path != "tagmanifest-sha256.txt" &&
                 !listed.count(path)) {
        ctx.add("4-3", check, path, false,
                "未登记的标签文件 (tag file not in the tag manifest): " + path);
        ++extras;
      }
    }
  }
  if (problems == 0) {
    ctx.add("1-14", check, name, true,
            "清单中 " + std::to_string(listed.size()) + " 个文件全部存在且校验一致 (all " +
                std::to_string(listed.size()) + " listed files present and matching)");
  }
  if (extras == 0) {
    ctx.add("4-3", check, name, true,
            std::string(payload ? "data/ 中" : "标签文件中") +
                "没有清单之外的文件 (no file beyond those the manifest lists)");
  }
}

}  // namespace

void checkManifests(VerifyContext& ctx) {
  checkManifest(ctx, "manifest-sha256.txt", false, true);
  checkManifest(ctx, "manifest-sha512.txt", true, true);
}

void checkTagManifest(VerifyContext& ctx) {
  checkManifest(ctx, "tagmanifest-sha256.txt", false, false);
}

void checkPayloadOxum(VerifyContext& ctx) {
  std::int64_t octets = 0, count = 0;
  for (const auto& [path, seen] : ctx.files) {
    if (!startsWith(path, layout::kData)) continue;
    octets += seen.size;
    ++count;
  }
  const auto declared = infoValue(ctx.info, "Payload-Oxum");
  const std::string actual = std::to_string(octets) + "." + std::to_string(count);
  const bool ok = declared && *declared == actual;
  ctx.add("2-2", "payload_oxum", "bag-info.txt", ok,
          ok ? "Payload-Oxum 与内容一致 (Payload-Oxum matches): " + actual
             : "Payload-Oxum 不符 (Payload-Oxum mismatch): 声明 (declared) " +
                   declared.value_or("-") + "，实际 (actual) " + actual);
}

}  // namespace gongkai::archive::verify
