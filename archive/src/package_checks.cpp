// The package as a whole: its index files (说明文件和目录文件, 1-12), the layout of data/
// (目录结构, 1-13) and the labels bag-info.txt must carry (信息包元数据, 2-10).
#include <regex>
#include <set>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

// The header index.csv starts with, after its byte-order mark.
constexpr std::string_view kIndexHeader =
    "\xEF\xBB\xBF档号,题名,文号,成文日期,保管期限,公开范围,版本数,文件数";

// The 档号 folders under data/items/.
std::set<std::string> itemCodes(const VerifyContext& ctx) {
  std::set<std::string> codes;
  for (const auto& [path, seen] : ctx.files) {
    if (!startsWith(path, layout::kItems)) continue;
    const std::string rest = path.substr(layout::kItems.size());
    if (const auto slash = rest.find('/'); slash != std::string::npos)
      codes.insert(rest.substr(0, slash));
  }
  return codes;
}

void checkIndexFiles(VerifyContext& ctx) {
  std::vector<std::string> problems;
  if (!ctx.files.count(std::string(layout::kIndexHtml)))
    problems.push_back("目录页 index.html 缺失 (index.html missing)");
  const std::string* csv = ctx.bytesOf(layout::kIndexCsv);
  if (csv == nullptr) {
    problems.push_back("目录 index.csv 缺失 (index.csv missing)");
  } else {
    const auto rows = lines(*csv);
    if (rows.empty() || rows.front() != kIndexHeader)
      problems.push_back("index.csv 表头不符 (index.csv header differs)");
    const std::set<std::string> codes = itemCodes(ctx);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].empty()) continue;
      std::string code(rows[i].substr(0, rows[i].find(',')));
      if (code.size() >= 2 && code.front() == '"' && code.back() == '"')
        code = code.substr(1, code.size() - 2);
      if (!codes.count(code))
        problems.push_back("目录所列档号在包中没有 (index lists a code not in the bundle): " +
                           code);
    }
  }
  ctx.add("1-12", "index_files", "data/index.csv", problems.empty(),
          problems.empty() ? "目录文件齐全，所列档号均在包中 (index files present, every code "
                             "listed is in the bundle)"
                           : joinText(problems));
}

// Where a payload file may be: bundle_layout.h.
bool inLayout(const std::string& path) {
  static const std::regex kAllowed(
      "^data/(index\\.html|index\\.csv|audit/(checkpoint\\.txt|entries\\.jsonl|proofs\\.jsonl)|"
      "items/[^/]+/(metadata\\.json|metadata\\.xml|formats\\.json|versions/v[0-9]+\\.json|"
      "files/[^/]+|renditions/[0-9]+\\.pdf)|"
      "(catalogue|feedback|requests)/[0-9]+/v[0-9]+\\.json)$");
  return std::regex_match(path, kAllowed);
}

void checkLayout(VerifyContext& ctx) {
  std::vector<std::string> strays;
  std::size_t payload = 0;
  for (const auto& [path, seen] : ctx.files) {
    if (!startsWith(path, layout::kData)) continue;
    ++payload;
    if (!inLayout(path)) strays.push_back(path);
  }
  ctx.add("1-13", "package_layout", "data/", strays.empty(),
          strays.empty()
              ? std::to_string(payload) +
                    " 个文件均在规定的目录结构中 (every payload file where the layout "
                    "puts it)"
              : "不在规定目录结构中的文件 (files outside the layout): " + joinText(strays, ", "));
}

void checkInfoLabels(VerifyContext& ctx) {
  std::vector<std::string> missing;
  for (std::string_view label :
       {std::string_view("Source-Organization"), std::string_view("Bagging-Date"),
        std::string_view("Payload-Oxum"), std::string_view("External-Identifier"),
        layout::kInfoFonds, layout::kInfoCategory, layout::kInfoCategoryName, layout::kInfoYear,
        layout::kInfoItemCount, layout::kInfoSequence, layout::kInfoCheckpointSize,
        layout::kInfoAuditEntryCount, layout::kInfoFeedbackCount, layout::kInfoRequestCount}) {
    const auto value = infoValue(ctx.info, label);
    if (!value || value->empty()) missing.push_back(std::string(label));
  }
  const auto identifier = infoValue(ctx.info, "External-Identifier");
  if (identifier && *identifier != ctx.report.name)
    missing.push_back("External-Identifier ≠ " + ctx.report.name);
  ctx.add("2-10", "bag_info_elements", "bag-info.txt", missing.empty(),
          missing.empty() ? "bag-info 各项齐全 (every bag-info label present)"
                          : "bag-info 缺项或不符 (bag-info labels missing or wrong): " +
                                joinText(missing, ", "));
}

}  // namespace

void checkPackage(VerifyContext& ctx) {
  checkIndexFiles(ctx);
  checkLayout(ctx);
  checkInfoLabels(ctx);
}

}  // namespace gongkai::archive::verify
