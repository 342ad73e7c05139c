// Each file under data/ against DA/T 70's items for content: its format is a known one and the
// one declared (3-3), it reads to its end (3-4), it is not encrypted (3-8) and it carries no
// executable, script or macro (4-2).
#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

bool isFormatProblem(const FileProblem& problem) {
  return problem.code == "format_mismatch" || problem.code == "unknown_format";
}

bool isZipBased(std::string_view format) {
  return format == "docx" || format == "xlsx" || format == "pptx" || format == "odt" ||
         format == "ods" || format == "odp" || format == "ofd";
}

void report(VerifyContext& ctx, std::string_view item, const std::string& check,
            const std::string& path, const std::vector<FileProblem>& problems,
            const std::string& passMessage) {
  std::string text;
  for (const auto& problem : problems) text += (text.empty() ? "" : "；") + problem.message;
  ctx.add(item, check, path, problems.empty(), problems.empty() ? passMessage : text);
}

}  // namespace

void checkFiles(VerifyContext& ctx) {
  for (const auto& [path, seen] : ctx.files) {
    if (!seen.findings) continue;
    const FileFindings& findings = *seen.findings;
    const auto declared = ctx.declared.find(path);
    const bool payload = startsWith(path, layout::kItems) &&
                         path.find("/" + std::string(layout::kFilesFolder)) != std::string::npos;
    // A payload file was inspected by its name alone; its declared type is judged here.
    const bool byDeclaredType = payload && declared != ctx.declared.end();
    // An executable's format is not a usability question: 4-2 reports it.
    const bool executable = findings.format == "executable";
    std::vector<FileProblem> format, readable, encrypted, unsafe;
    for (const auto& problem : findings.usability) {
      if (isFormatProblem(problem)) {
        if (!byDeclaredType && !executable) format.push_back(problem);
      } else {
        readable.push_back(problem);
      }
    }
    if (byDeclaredType && !executable) {
      const std::string_view expected = formatForMediaType(declared->second);
      if (expected.empty()) {
        format.push_back({"unknown_format",
                          "未知格式，无法确认可用 (unknown format: cannot confirm it opens): " +
                              declared->second});
      } else if (expected != findings.format &&
                 !(expected == "zip" && isZipBased(findings.format))) {
        format.push_back({"format_mismatch", "内容格式 (content) " + findings.format +
                                                 " 与声明的类型不符 (does not match the declared "
                                                 "type) " +
                                                 declared->second});
      }
    }
    for (const auto& problem : findings.safety) {
      (problem.code == "encrypted" ? encrypted : unsafe).push_back(problem);
    }
    report(
        ctx, "3-3", "file_format", path, format,
        "格式为 " + findings.format + "，与声明相符 (format " + findings.format + ", as declared)");
    report(
        ctx, "3-4", "file_opens", path, readable,
        "可按 " + findings.format + " 格式完整读取 (reads to its end as " + findings.format + ")");
    report(ctx, "3-8", "file_not_encrypted", path, encrypted, "未加密 (not encrypted)");
    report(ctx, "4-2", "file_safe", path, unsafe,
           "无可执行内容、脚本或宏 (no executable, script or macro)");
  }
}

}  // namespace gongkai::archive::verify
