// Each item's format identification (formats.json) against the files' bytes (3-3), each
// rendition against the audit entry that recorded it (1-1), and each content file's long-term
// preservation: a long-term format itself, or a PDF/A rendition beside it (3-8).
#include <algorithm>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "item_formats.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

IdentifiedFile identified(const SeenFile& seen) {
  return {seen.findings->identification, seen.findings->format};
}

// formats.json as the bytes read give it, line by line against the recorded one (3-3).
void compareWithRecorded(VerifyContext& ctx, const std::string& code, const ItemFormats& computed,
                         const std::optional<std::string>& recorded) {
  const std::string subject = code + "/" + std::string(layout::kFormatsFile);
  if (!recorded) {
    ctx.add("3-3", "format_identification", subject, false,
            "缺少格式识别记录 formats.json (format identification record missing)");
    return;
  }
  const std::vector<std::string> expected = formatEntryLines(itemFormatsJson(computed));
  const std::vector<std::string> found = formatEntryLines(*recorded);
  std::vector<std::string> problems;
  for (const std::string& line : expected) {
    if (std::find(found.begin(), found.end(), line) == found.end()) {
      problems.push_back(
          "记录与文件实际格式不符或缺少 (recorded identification differs or is "
          "missing): " +
          line.substr(0, line.find(",\"puid\"")) + "}");
    }
  }
  for (const std::string& line : found) {
    if (std::find(expected.begin(), expected.end(), line) == expected.end() &&
        problems.size() < 8) {
      problems.push_back("记录了不存在或不同的内容 (records what the files are not): " + line);
    }
  }
  if (problems.empty() && *recorded != itemFormatsJson(computed)) {
    problems.push_back("formats.json 的结构不符 (formats.json is not laid out as written)");
  }
  std::string listing;
  if (problems.empty()) {
    for (const auto* group : {&computed.files, &computed.renditions}) {
      for (const auto& [path, file] : *group) {
        listing += (listing.empty() ? "" : "；") + path + ": " + describeFormat(file.format);
      }
    }
  }
  ctx.add("3-3", "format_identification", subject, problems.empty(),
          problems.empty() ? "格式识别与记录一致 (format identification as recorded): " + listing
                           : joinText(problems));
}

}  // namespace

ItemFormats formatsOf(const std::map<std::string, const SeenFile*>& files,
                      const std::map<std::string, const SeenFile*>& renditions) {
  ItemFormats computed;
  for (const auto& [name, seen] : files) {
    if (seen->findings)
      computed.files[std::string(layout::kFilesFolder) + name] = identified(*seen);
  }
  for (const auto& [name, seen] : renditions) {
    if (seen->findings) {
      computed.renditions[std::string(layout::kRenditionsFolder) + name] = identified(*seen);
    }
  }
  return computed;
}

void checkFormats(VerifyContext& ctx, const std::string& code,
                  const std::map<std::string, const SeenFile*>& files,
                  const std::map<std::string, const SeenFile*>& renditions,
                  const std::optional<std::string>& recorded) {
  const ItemFormats computed = formatsOf(files, renditions);
  compareWithRecorded(ctx, code, computed, recorded);

  // Each rendition: of a file of this item, PDF/A, and the one the audit log recorded for that
  // file's bytes (so a rendition swapped after archiving is caught).
  for (const auto& [path, rendition] : computed.renditions) {
    const std::string subject = code + "/" + path;
    const std::string original = originalOfRendition(path, computed);
    if (original.empty()) {
      ctx.add("3-8", "rendition", subject, false,
              "保存版本没有对应的原件 (rendition stands for no file of the item)");
      continue;
    }
    if (!rendition.format.long_term) {
      ctx.add("3-8", "rendition", subject, false,
              "保存版本不是 PDF/A (rendition is not PDF/A): " + describeFormat(rendition.format));
    }
    const SeenFile& originalSeen = *files.at(original.substr(layout::kFilesFolder.size()));
    const SeenFile& renditionSeen = *renditions.at(path.substr(layout::kRenditionsFolder.size()));
    const auto logged = ctx.logged.find("rendition/" + originalSeen.sha256 + "/1");
    const bool inLog = logged != ctx.logged.end() && logged->second == renditionSeen.sha256;
    ctx.add("1-1", "rendition_in_log", subject, inLog,
            inLog ? "保存版本与审计日志记录的转换结果一致 (rendition matches the one the audit log "
                    "recorded for its original)"
                  : "保存版本与审计日志不符：被替换，或日志中没有它 (rendition does not match the "
                    "audit log: replaced, or never logged)");
  }

  // Each content file's long-term preservation (3-8); a file without the rendition it would
  // want is reported, not failed: the converter may have been missing when it was archived.
  for (const auto& [path, file] : computed.files) {
    const std::string subject = code + "/" + path;
    const std::string rendition = renditionPathFor(path.substr(layout::kFilesFolder.size()));
    std::string message;
    if (file.format.long_term) {
      message = "长期保存格式 (long-term preservation format): " + describeFormat(file.format);
    } else if (computed.renditions.count(rendition)) {
      message =
          "非长期保存格式，附 PDF/A 保存版本 (not a long-term format; PDF/A rendition "
          "beside it) " +
          rendition + ": " + describeFormat(computed.renditions.at(rendition).format);
    } else if (wantsPreservationRendition(file.inspected_format)) {
      message =
          "非长期保存格式，无保存版本：归档时转换程序不可用或转换失败 (not a long-term format "
          "and no rendition: the converter was unavailable or failed when it was "
          "archived): " +
          describeFormat(file.format);
    } else {
      message = "非长期保存格式，无需转换 (not a long-term format; kept as it is): " +
                describeFormat(file.format);
    }
    ctx.add("3-8", "long_term_format", subject, true, message);
  }
}

}  // namespace gongkai::archive::verify
