// The transfer list (移交清单, transfer_list.h) against the bundle it hands over: present and
// naming this bundle, its unit, category and year as bag-info does (1-12, a description file);
// its item count, sequences and 档号 ranges as the item folders are (2-1); its file count and
// bytes as the content files are (2-2). The list is signed with the tag manifest, so a list that
// does not match was wrong when it was signed: the receiving office would count the wrong thing.
#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

// The 档号 folders under data/items/, and the content files under their files/.
struct BundleCounts {
  std::set<std::string> codes;
  std::int64_t files = 0;
  std::int64_t bytes = 0;
  std::int64_t renditions = 0;
  std::int64_t rendition_bytes = 0;
};

BundleCounts countBundle(const VerifyContext& ctx) {
  BundleCounts counts;
  for (const auto& [path, seen] : ctx.files) {
    if (!startsWith(path, layout::kItems)) continue;
    const std::string rest = path.substr(layout::kItems.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) continue;
    counts.codes.insert(rest.substr(0, slash));
    const std::string_view inItem = std::string_view(rest).substr(slash + 1);
    if (startsWith(inItem, layout::kFilesFolder)) {
      ++counts.files;
      counts.bytes += seen.size;
    } else if (startsWith(inItem, layout::kRenditionsFolder)) {
      ++counts.renditions;
      counts.rendition_bytes += seen.size;
    }
  }
  return counts;
}

std::string text(const core::JsonValue& list, std::string_view key) {
  const std::string* value = list.stringAt(key);
  return value != nullptr ? *value : std::string();
}

std::string number(const core::JsonValue& list, std::string_view key) {
  const auto value = list.integerAt(key);
  return value ? std::to_string(*value) : std::string("?");
}

// What the list says about the bundle itself, against bag-info.
void checkHeading(VerifyContext& ctx, const core::JsonValue& list) {
  std::vector<std::string> problems;
  const auto expect = [&](std::string_view key, const std::optional<std::string>& actual) {
    const std::string stated = key == "year" ? number(list, key) : text(list, key);
    if (!actual || stated != *actual) {
      problems.push_back(std::string(key) + ": 清单 (list) " + stated + " ≠ " +
                         actual.value_or("—"));
    }
  };
  expect("bundle", ctx.report.name);
  expect("fonds", infoValue(ctx.info, layout::kInfoFonds));
  expect("from", infoValue(ctx.info, "Source-Organization"));
  expect("category", infoValue(ctx.info, layout::kInfoCategory));
  expect("year", infoValue(ctx.info, layout::kInfoYear));
  if (text(list, "to").empty()) problems.push_back("to: 未写接收单位 (no receiving unit)");
  if (text(list, "transfer_date").size() != 10)
    problems.push_back("transfer_date: 移交日期无效 (no valid date)");
  if (!ctx.files.count(std::string(layout::kTransferListHtml)))
    problems.push_back("transfer-list.html 缺失 (missing)");
  ctx.add("1-12", "transfer_list", std::string(layout::kTransferListJson), problems.empty(),
          problems.empty() ? "移交清单齐全，与 bag-info 一致 (transfer list present, as bag-info "
                             "says): " +
                                 text(list, "from") + " → " + text(list, "to")
                           : "移交清单与归档包不符 (transfer list disagrees with the bundle): " +
                                 joinText(problems));
}

// Items, sequences and 档号 ranges (2-1).
void checkItemCounts(VerifyContext& ctx, const core::JsonValue& list, const BundleCounts& counts) {
  std::vector<std::string> problems;
  const auto items = list.integerAt("item_count");
  if (!items || *items != static_cast<long long>(counts.codes.size())) {
    problems.push_back("件数 (items): 清单 (list) " + number(list, "item_count") +
                       "，包中 (found) " + std::to_string(counts.codes.size()));
  }
  std::set<std::string> covered;
  const core::JsonValue* sequences = list.valueAt("sequences");
  if (sequences == nullptr || !sequences->isArray()) {
    problems.push_back("sequences 缺失 (missing)");
  } else {
    for (const core::JsonValue& sequence : sequences->items) {
      const std::string name = text(sequence, "sequence");
      // The sequence's codes by item number (the digits after the sequence); a malformed code
      // (1-7's business) sorts last.
      std::vector<std::pair<long long, std::string>> codes;
      for (const std::string& code : counts.codes) {
        if (name.empty() || !startsWith(code, name + "-")) continue;
        const std::string digits = code.substr(name.size() + 1);
        const bool numeric = !digits.empty() && digits.size() <= 9 &&
                             digits.find_first_not_of("0123456789") == std::string::npos;
        codes.emplace_back(numeric ? std::stoll(digits) : LLONG_MAX, code);
        covered.insert(code);
      }
      std::sort(codes.begin(), codes.end());
      const std::string first = codes.empty() ? "" : codes.front().second;
      const std::string last = codes.empty() ? "" : codes.back().second;
      const auto stated = sequence.integerAt("items");
      const bool same = stated && *stated == static_cast<long long>(codes.size()) &&
                        !codes.empty() && text(sequence, "first_code") == first &&
                        text(sequence, "last_code") == last;
      if (!same) {
        problems.push_back(name + ": 清单 (list) " + number(sequence, "items") + " 件 " +
                           text(sequence, "first_code") + "–" + text(sequence, "last_code") +
                           "，包中 (found) " + std::to_string(codes.size()) + " 件" +
                           (codes.empty() ? "" : " " + first + "–" + last));
      }
    }
  }
  if (covered.size() != counts.codes.size()) {
    problems.push_back(std::to_string(counts.codes.size() - covered.size()) +
                       " 件不在清单所列的保管期限序列中 (items in no listed sequence)");
  }
  ctx.add("2-1", "transfer_list_items", std::string(layout::kTransferListJson), problems.empty(),
          problems.empty() ? "移交清单件数、档号范围与包中一致 (the transfer list's items and "
                             "档号 ranges match): " +
                                 std::to_string(counts.codes.size()) + " 件"
                           : joinText(problems));
}

// Content files and their bytes, and the renditions and theirs apart (2-2). A list without the
// rendition members (bundles made before renditions were counted) states none.
void checkByteCounts(VerifyContext& ctx, const core::JsonValue& list, const BundleCounts& counts) {
  const auto files = list.integerAt("file_count");
  const auto bytes = list.integerAt("file_bytes");
  const bool counted = list.valueAt("rendition_count") != nullptr;
  const std::optional<long long> none = 0;
  const auto renditions = counted ? list.integerAt("rendition_count") : none;
  const auto renditionBytes = counted ? list.integerAt("rendition_bytes") : none;
  const bool same = files && bytes && *files == counts.files && *bytes == counts.bytes &&
                    renditions && renditionBytes && *renditions == counts.renditions &&
                    *renditionBytes == counts.rendition_bytes;
  const std::string found =
      std::to_string(counts.files) + " 个文件 " + std::to_string(counts.bytes) +
      " 字节，保存版本 " + std::to_string(counts.renditions) + " 个 " +
      std::to_string(counts.rendition_bytes) + " 字节 (files, bytes; renditions, bytes)";
  ctx.add(
      "2-2", "transfer_list_bytes", std::string(layout::kTransferListJson), same,
      same
          ? "移交清单文件数、字节数与包中一致 (the transfer list's files and bytes match): " + found
          : "移交清单文件数或字节数不符 (the transfer list's files or bytes differ): 清单 "
            "(list) " +
                number(list, "file_count") + " 个文件 " + number(list, "file_bytes") +
                " 字节，保存版本 " + (counted ? number(list, "rendition_count") : "0") + " 个 " +
                (counted ? number(list, "rendition_bytes") : "0") + " 字节，包中 (found) " + found);
}

}  // namespace

void checkTransferList(VerifyContext& ctx) {
  const std::string* json = ctx.bytesOf(layout::kTransferListJson);
  if (json == nullptr) {
    ctx.add("1-12", "transfer_list", std::string(layout::kTransferListJson), false,
            "移交清单缺失 (transfer list missing)");
    return;
  }
  const auto list = parseRecord(*json);
  if (!list || !list->isObject()) {
    ctx.add("1-12", "transfer_list", std::string(layout::kTransferListJson), false,
            "移交清单不是有效的 JSON 对象 (the transfer list is not a JSON object)");
    return;
  }
  const BundleCounts counts = countBundle(ctx);
  checkHeading(ctx, *list);
  checkItemCounts(ctx, *list, counts);
  checkByteCounts(ctx, *list, counts);
}

}  // namespace gongkai::archive::verify
