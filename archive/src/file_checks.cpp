#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {

void checkFiles(VerifyContext& ctx) {
  for (const auto& [path, seen] : ctx.files) {
    if (!seen.findings) continue;
    const FileFindings& findings = *seen.findings;
    std::vector<FileProblem> usability;
    const auto declared = ctx.declared.find(path);
    const bool payload = startsWith(path, layout::kItems) &&
                         path.find("/" + std::string(layout::kFilesFolder)) != std::string::npos;
    for (const auto& problem : findings.usability) {
      // A payload file was inspected by its name alone; its declared type is judged below.
      if (payload && declared != ctx.declared.end() &&
          (problem.code == "format_mismatch" || problem.code == "unknown_format")) {
        continue;
      }
      usability.push_back(problem);
    }
    if (payload && declared != ctx.declared.end()) {
      const std::string_view expected = formatForMediaType(declared->second);
      if (expected.empty()) {
        usability.push_back({"unknown_format",
                             "未知格式，无法确认可用 (unknown format: cannot "
                             "confirm it opens): " +
                                 declared->second});
      } else if (expected != findings.format &&
                 !(expected == "zip" && (findings.format == "docx" || findings.format == "xlsx" ||
                                         findings.format == "pptx" || findings.format == "odt" ||
                                         findings.format == "ods" || findings.format == "odp" ||
                                         findings.format == "ofd"))) {
        usability.push_back({"format_mismatch", "内容格式 (content) " + findings.format +
                                                    " 与声明的类型不符 (does not match the "
                                                    "declared type) " +
                                                    declared->second});
      }
    }
    std::string text;
    for (const auto& problem : usability) text += (text.empty() ? "" : "；") + problem.message;
    ctx.add(Property::kUsability, "file_opens", path, usability.empty(),
            usability.empty()
                ? "可按 " + findings.format + " 格式打开 (opens as " + findings.format + ")"
                : text);
    text.clear();
    for (const auto& problem : findings.safety)
      text += (text.empty() ? "" : "；") + problem.message;
    ctx.add(Property::kSafety, "file_safe", path, findings.safety.empty(),
            findings.safety.empty() ? "无可执行内容、脚本、宏或加密 (no executable, script, macro "
                                      "or encryption)"
                                    : text);
  }
}

}  // namespace gongkai::archive::verify
