#include <algorithm>
#include <regex>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "gongkai/core/sha256.h"
#include "verify_steps.h"

namespace gongkai::archive::verify {
namespace {

// Parsed records of one item folder.
struct ItemFiles {
  std::optional<std::string> metadata;
  std::map<std::int64_t, std::string> versions;  // N → bytes of vN.json
  std::map<std::string, const SeenFile*> files;  // file name under files/ → what was seen
};

// The record's hash against the audit entry that made it (and that the checkpoint covers).
bool checkRecordInLog(VerifyContext& ctx, const std::string& type, const std::string& id,
                      std::int64_t version, const std::string& bytes, const std::string& subject) {
  auto found = ctx.logged.find(type + "/" + id + "/" + std::to_string(version));
  const bool ok = found != ctx.logged.end() && found->second == core::sha256Hex(bytes);
  if (!ok) {
    ctx.add(Property::kAuthenticity, "record_in_log", subject + " v" + std::to_string(version),
            false,
            "记录与审计日志不符：被改动，或日志中没有它 (record does not match the audit log: "
            "edited, or never logged)");
  }
  return ok;
}

// Versioned records of one kind (feedback, applications): each version against the log entry
// that made it, and their number against bag-info (when it states one).
void checkRecords(VerifyContext& ctx,
                  const std::map<std::string, std::map<std::int64_t, std::string>>& records,
                  const std::string& objectType, std::string_view infoLabel,
                  const std::string& check, const std::string& chinese,
                  const std::string& english) {
  bool inLog = true;
  for (const auto& [id, versions] : records) {
    for (const auto& [n, bytes] : versions) {
      inLog = checkRecordInLog(ctx, objectType, id, n, bytes, english + " " + id) && inLog;
    }
  }
  const auto declared = infoValue(ctx.info, infoLabel);
  const bool countOk = !declared || toInt(*declared) == static_cast<std::int64_t>(records.size());
  ctx.add(Property::kIntegrity, check, "bag-info.txt", countOk,
          countOk ? std::to_string(records.size()) + " 件" + chinese + " (" + english + ")" +
                        (inLog ? "，均与审计日志一致 (all matching the audit log)" : "")
                  : chinese + "数与 bag-info 不符 (" + english + " count does not match bag-info)");
}

void checkItemCount(VerifyContext& ctx, std::size_t found) {
  const auto declared = infoValue(ctx.info, layout::kInfoItemCount);
  std::size_t indexed = 0;
  if (const std::string* csv = ctx.bytesOf(layout::kIndexCsv)) {
    for (std::string_view line : lines(*csv)) indexed += line.empty() ? 0 : 1;
    if (indexed > 0) --indexed;  // the header
  }
  const bool ok =
      declared && toInt(*declared) == static_cast<std::int64_t>(found) && indexed == found;
  ctx.add(Property::kIntegrity, "item_count", "bag-info.txt", ok,
          ok ? "件数一致：" + std::to_string(found) +
                   " 件 (item count matches: " + std::to_string(found) + ")"
             : "件数不符 (item count mismatch): bag-info " + declared.value_or("-") +
                   "，目录 (index) " + std::to_string(indexed) + "，实际 (found) " +
                   std::to_string(found));
}

// 档号 format, and item numbers 1..n without gaps in each FONDS-YEAR-RETENTION-CATEGORY
// sequence, as bag-info declares them.
void checkSequences(VerifyContext& ctx, const std::map<std::string, ItemFiles>& items) {
  static const std::regex kCode("^([A-Z0-9]{1,16}-([0-9]{4})-(Y|D30|D10)-([A-Z]{2}))-([0-9]{4})$");
  const auto year = infoValue(ctx.info, layout::kInfoYear);
  const auto category = infoValue(ctx.info, layout::kInfoCategory);
  std::map<std::string, std::vector<int>> sequences;
  for (const auto& [code, item] : items) {
    std::smatch match;
    const bool formatOk = std::regex_match(code, match, kCode);
    const bool fits =
        formatOk && year && match[2].str() == *year && category && match[4].str() == *category;
    if (!fits) {
      ctx.add(Property::kIntegrity, "reference_code_format", code, false,
              "档号格式错误，或年度、类别与本包不符 (reference code malformed, or not of this "
              "bundle's year and category): " +
                  code);
      continue;
    }
    sequences[match[1].str()].push_back(std::stoi(match[5].str()));
  }
  std::map<std::string, std::pair<int, int>> declared;
  for (const auto& [label, value] : ctx.info) {
    if (label != layout::kInfoSequence) continue;
    const auto first = value.find(' '), second = value.rfind(' ');
    if (first == std::string::npos || first == second) continue;
    const auto a = toInt(value.substr(first + 1, second - first - 1));
    const auto b = toInt(value.substr(second + 1));
    if (a && b) declared[value.substr(0, first)] = {static_cast<int>(*a), static_cast<int>(*b)};
  }
  for (auto& [prefix, numbers] : sequences) {
    std::sort(numbers.begin(), numbers.end());
    std::string missing;
    int expected = 1;
    for (int n : numbers) {
      for (; expected < n; ++expected) {
        missing += (missing.empty() ? "" : ", ") + std::to_string(expected);
      }
      expected = n + 1;
    }
    const auto stated = declared.find(prefix);
    const bool matchesInfo = stated != declared.end() && stated->second.first == 1 &&
                             stated->second.second == numbers.back();
    const bool ok = missing.empty() && matchesInfo;
    ctx.add(Property::kIntegrity, "reference_sequence", prefix, ok,
            ok ? "件号 1-" + std::to_string(numbers.back()) + " 连续无缺 (item numbers 1-" +
                     std::to_string(numbers.back()) + " continuous)"
            : !missing.empty() ? "件号不连续，缺 (gap in item numbers, missing): " + missing
                               : "件号范围与 bag-info 不符 (item range does not match bag-info)");
    declared.erase(prefix);
  }
  for (const auto& [prefix, range] : declared) {
    ctx.add(Property::kIntegrity, "reference_sequence", prefix, false,
            "bag-info 声明的序列在包中没有文件 (sequence declared in bag-info has no items)");
  }
}

void checkItem(VerifyContext& ctx, const std::string& code, const ItemFiles& item) {
  // Required metadata.
  std::vector<std::string> problems;
  std::optional<core::JsonValue> current;
  if (!item.metadata) {
    problems.push_back("metadata.json 缺失 (missing)");
  } else if (current = parseRecord(*item.metadata); !current) {
    problems.push_back("metadata.json 无法解析 (does not parse)");
  }
  std::string documentId;
  if (current) {
    const auto id = current->integerAt("document_id");
    const std::string* title = current->stringAt("title");
    const std::string* category = current->stringAt("category");
    const std::string* status = current->stringAt("status");
    const core::JsonValue* disclosure = current->valueAt("disclosure");
    const std::string* reference = disclosure ? disclosure->stringAt("reference_code") : nullptr;
    const auto version = current->integerAt("version");
    if (!id) problems.push_back("缺 document_id (no document_id)");
    if (!title || title->empty()) problems.push_back("缺题名 (no title)");
    if (!category || category->empty() || *category != infoValue(ctx.info, layout::kInfoCategory)) {
      problems.push_back("类别缺失或与本包不符 (category missing or not this bundle's)");
    }
    if (!status || *status != "archived")
      problems.push_back("状态不是已归档 (status is not archived)");
    if (!reference || *reference != code) {
      problems.push_back("记录中的档号与文件夹不符 (reference code differs from the folder)");
    }
    if (!version || item.versions.empty() || item.versions.rbegin()->first != *version ||
        item.versions.rbegin()->second != *item.metadata) {
      problems.push_back("metadata.json 不是最新版本 (metadata.json is not the latest version)");
    }
    if (id) documentId = std::to_string(*id);
  }
  std::int64_t expected = 1;
  for (const auto& [n, bytes] : item.versions) {
    if (n != expected++) {
      problems.push_back("版本不连续 (versions not continuous)");
      break;
    }
  }
  std::string joined;
  for (const auto& problem : problems) joined += (joined.empty() ? "" : "；") + problem;
  ctx.add(Property::kIntegrity, "required_metadata", code, problems.empty(),
          problems.empty() ? "元数据齐全 (required metadata present), " +
                                 std::to_string(item.versions.size()) + " 个版本 (versions)"
                           : joined);

  // Records against the log, and files against the records.
  bool inLog = !documentId.empty();
  std::map<std::string, std::pair<std::int64_t, std::string>> expectedFiles;  // name → size, sha
  std::map<std::string, std::string> mediaTypes;
  for (const auto& [n, bytes] : item.versions) {
    if (!documentId.empty())
      inLog = checkRecordInLog(ctx, "document", documentId, n, bytes, code) && inLog;
    const auto parsed = parseRecord(bytes);
    if (!parsed) continue;
    const core::JsonValue* files = parsed->valueAt("files");
    if (!files || !files->isArray()) continue;
    for (const core::JsonValue& file : files->items) {
      const auto id = file.integerAt("id");
      const std::string* name = file.stringAt("name");
      const std::string* sha = file.stringAt("sha256");
      const auto size = file.integerAt("size");
      const std::string* media = file.stringAt("media_type");
      if (!id || !name || !sha || !size) continue;
      const std::string bundled = layout::bundledFileName(*id, *name);
      expectedFiles[bundled] = {*size, *sha};
      if (media) mediaTypes[bundled] = *media;
    }
  }
  if (inLog) {
    ctx.add(Property::kAuthenticity, "record_in_log", code, true,
            "全部 " + std::to_string(item.versions.size()) +
                " 个版本记录与已签名的审计日志一致 (every version record matches the signed audit "
                "log)");
  }
  std::vector<std::string> fileProblems;
  for (const auto& [name, expectation] : expectedFiles) {
    auto found = item.files.find(name);
    if (found == item.files.end()) {
      fileProblems.push_back("缺文件 (missing file) " + name);
    } else if (found->second->size != expectation.first ||
               found->second->sha256 != expectation.second) {
      fileProblems.push_back(
          "文件与元数据的大小或校验值不符 (size or checksum differs from the "
          "metadata) " +
          name);
    }
  }
  for (const auto& [name, seen] : item.files) {
    if (!expectedFiles.count(name))
      fileProblems.push_back("元数据未记载的文件 (file not in the metadata) " + name);
  }
  std::string fileJoined;
  for (const auto& problem : fileProblems) fileJoined += (fileJoined.empty() ? "" : "；") + problem;
  ctx.add(Property::kAuthenticity, "files_match_metadata", code, fileProblems.empty(),
          fileProblems.empty() ? std::to_string(expectedFiles.size()) +
                                     " 个文件的大小和校验值与元数据一致 (files match the metadata "
                                     "in size and checksum)"
                               : fileJoined);
  for (const auto& [name, type] : mediaTypes)
    ctx.declared[std::string(layout::kItems) + code + "/" + std::string(layout::kFilesFolder) +
                 name] = type;
}

}  // namespace

void checkItems(VerifyContext& ctx) {
  std::map<std::string, ItemFiles> items;
  // Versioned records outside the items: <prefix><id>/vN.json, by id then version.
  using Versions = std::map<std::string, std::map<std::int64_t, std::string>>;
  Versions catalogue, feedback, requests;
  const std::string itemsPrefix(layout::kItems);
  const auto versionOf = [](const std::string& file) -> std::optional<std::int64_t> {
    if (!startsWith(file, "v") || !endsWith(file, ".json")) return std::nullopt;
    return toInt(file.substr(1, file.size() - 6));
  };
  const auto collect = [&](const std::string& path, const SeenFile& seen, std::string_view prefix,
                           Versions& into) {
    if (!startsWith(path, prefix) || !seen.bytes) return false;
    const std::string rest = path.substr(prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return true;
    if (auto n = versionOf(rest.substr(slash + 1))) into[rest.substr(0, slash)][*n] = *seen.bytes;
    return true;
  };
  for (const auto& [path, seen] : ctx.files) {
    if (startsWith(path, itemsPrefix)) {
      const std::string rest = path.substr(itemsPrefix.size());
      const auto slash = rest.find('/');
      if (slash == std::string::npos) continue;
      ItemFiles& item = items[rest.substr(0, slash)];
      const std::string inside = rest.substr(slash + 1);
      if (inside == layout::kMetadataFile) {
        item.metadata = seen.bytes;
      } else if (startsWith(inside, layout::kVersionsFolder)) {
        const auto n = versionOf(inside.substr(layout::kVersionsFolder.size()));
        if (n && seen.bytes) item.versions[*n] = *seen.bytes;
      } else if (startsWith(inside, layout::kFilesFolder)) {
        item.files[inside.substr(layout::kFilesFolder.size())] = &seen;
      }
    } else if (!collect(path, seen, layout::kCatalogue, catalogue) &&
               !collect(path, seen, layout::kFeedback, feedback)) {
      collect(path, seen, layout::kRequests, requests);
    }
  }
  checkItemCount(ctx, items.size());
  checkSequences(ctx, items);
  for (const auto& [code, item] : items) checkItem(ctx, code, item);
  for (const auto& [id, versions] : catalogue) {
    for (const auto& [n, bytes] : versions) {
      checkRecordInLog(ctx, "catalogue_item", id, n, bytes, "catalogue " + id);
    }
  }
  checkRecords(ctx, feedback, "feedback", layout::kInfoFeedbackCount, "feedback_count", "意见记录",
               "feedback records");
  checkRecords(ctx, requests, "disclosure_request", layout::kInfoRequestCount, "request_count",
               "公开申请", "applications");
}

}  // namespace gongkai::archive::verify
