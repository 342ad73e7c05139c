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
  std::optional<std::string> metadataXml;
  std::map<std::int64_t, std::string> versions;       // N → bytes of vN.json
  std::map<std::string, const SeenFile*> files;       // file name under files/ → what was seen
  std::map<std::string, const SeenFile*> renditions;  // name under renditions/ → what was seen
  std::optional<std::string> formats;                 // formats.json
};

// The record's hash against the audit entry that made it (and that the checkpoint covers).
bool checkRecordInLog(VerifyContext& ctx, const std::string& type, const std::string& id,
                      std::int64_t version, const std::string& bytes, const std::string& subject) {
  auto found = ctx.logged.find(type + "/" + id + "/" + std::to_string(version));
  const bool ok = found != ctx.logged.end() && found->second == core::sha256Hex(bytes);
  if (!ok) {
    ctx.add("1-1", "record_in_log", subject + " v" + std::to_string(version), false,
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
  ctx.add("2-11", check, "bag-info.txt", countOk,
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
  ctx.add("2-1", "item_count", "bag-info.txt", ok,
          ok ? "件数一致：" + std::to_string(found) +
                   " 件 (item count matches: " + std::to_string(found) + ")"
             : "件数不符 (item count mismatch): bag-info " + declared.value_or("-") +
                   "，目录 (index) " + std::to_string(indexed) + "，实际 (found) " +
                   std::to_string(found));
}

// 档号 format (1-7): the archive policy's pattern, of this bundle's year and category.
void checkReferenceFormat(VerifyContext& ctx, const std::string& code) {
  static const std::regex kCode("^[A-Z0-9]{1,16}-([0-9]{4})-(Y|D30|D10)-([A-Z]{2})-[0-9]{4}$");
  const auto year = infoValue(ctx.info, layout::kInfoYear);
  const auto category = infoValue(ctx.info, layout::kInfoCategory);
  std::smatch match;
  const bool ok = std::regex_match(code, match, kCode) && year && match[1].str() == *year &&
                  category && match[3].str() == *category;
  ctx.add("1-7", "reference_code_format", code, ok,
          ok ? "档号符合 全宗号-年度-保管期限-类别-件号 (reference code follows "
               "FONDS-YEAR-RETENTION-CATEGORY-NNNN)"
             : "档号格式错误，或年度、类别与本包不符 (reference code malformed, or not of this "
               "bundle's year and category): " +
                   code);
}

// Item numbers 1..n without gaps in each FONDS-YEAR-RETENTION-CATEGORY sequence, as bag-info
// declares them (2-6). A code's number is whatever digits end it, so a malformed code (1-7)
// still takes its place in its sequence.
void checkSequences(VerifyContext& ctx, const std::map<std::string, ItemFiles>& items) {
  static const std::regex kNumbered("^(.+)-([0-9]{1,9})$");
  std::map<std::string, std::vector<int>> sequences;
  for (const auto& [code, item] : items) {
    std::smatch match;
    if (std::regex_match(code, match, kNumbered))
      sequences[match[1].str()].push_back(std::stoi(match[2].str()));
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
    ctx.add("2-6", "reference_sequence", prefix, ok,
            ok ? "件号 1-" + std::to_string(numbers.back()) + " 连续无缺 (item numbers 1-" +
                     std::to_string(numbers.back()) + " continuous)"
            : !missing.empty() ? "件号不连续，缺 (gap in item numbers, missing): " + missing
                               : "件号范围与 bag-info 不符 (item range does not match bag-info)");
    declared.erase(prefix);
  }
  for (const auto& [prefix, range] : declared) {
    ctx.add("2-6", "reference_sequence", prefix, false,
            "bag-info 声明的序列在包中没有文件 (sequence declared in bag-info has no items)");
  }
}

// Returns the item's current record when it reads.
std::optional<core::JsonValue> checkItem(VerifyContext& ctx, const std::string& code,
                                         const ItemFiles& item) {
  std::optional<core::JsonValue> current;
  if (item.metadata) current = parseRecord(*item.metadata);
  std::size_t unreadable = item.metadata && !current ? 1 : 0;
  std::map<std::int64_t, core::JsonValue> parsedVersions;
  for (const auto& [n, bytes] : item.versions) {
    if (auto parsed = parseRecord(bytes)) {
      parsedVersions.emplace(n, std::move(*parsed));
    } else {
      ++unreadable;
    }
  }
  ctx.add("3-1", "metadata_readable", code, unreadable == 0,
          unreadable == 0 ? std::to_string(item.versions.size() + 1) +
                                " 个元数据文件均可解析 (every metadata file parses)"
                          : std::to_string(unreadable) +
                                " 个元数据文件无法解析 (metadata files that do not parse)");
  checkReferenceFormat(ctx, code);
  if (!item.metadata) {
    ctx.add("2-3", "metadata_elements", code, false, "metadata.json 缺失 (missing)");
  }
  if (current) {
    const core::JsonValue* disclosure = current->valueAt("disclosure");
    const std::string* reference = disclosure ? disclosure->stringAt("reference_code") : nullptr;
    if (reference && *reference != code) {
      ctx.add("1-7", "reference_code_format", code, false,
              "记录中的档号与文件夹不符 (reference code differs from the folder)");
    }
    checkCurrentRecord(ctx, code, *current);
    checkMetadataXml(ctx, code, *item.metadata, item.metadataXml,
                     formatsOf(item.files, item.renditions));
  }

  // Process information (2-5): every version from 1, the current one last, the archiving step.
  std::vector<std::string> process;
  std::int64_t expected = 1;
  for (const auto& [n, bytes] : item.versions) {
    if (n != expected++) {
      process.push_back("版本不连续 (versions not continuous)");
      break;
    }
  }
  const auto version = current ? current->integerAt("version") : std::nullopt;
  if (current && (!version || item.versions.empty() || item.versions.rbegin()->first != *version ||
                  item.versions.rbegin()->second != *item.metadata)) {
    process.push_back("metadata.json 不是最新版本 (metadata.json is not the latest version)");
  }
  const core::JsonValue* disclosure = current ? current->valueAt("disclosure") : nullptr;
  const core::JsonValue* archived = disclosure ? disclosure->valueAt("archived") : nullptr;
  if (current && (!archived || !archived->isObject())) {
    process.push_back("缺归档环节记录 (no record of the archiving step)");
  }
  ctx.add("2-5", "process_history", code, process.empty(),
          process.empty() ? std::to_string(item.versions.size()) +
                                " 个版本连续，含归档环节 (versions continuous, archiving recorded)"
                          : joinText(process));

  // Records against the log, and files against the records.
  const auto id = current ? current->integerAt("document_id") : std::nullopt;
  const std::string documentId = id ? std::to_string(*id) : "";
  bool inLog = !documentId.empty();
  std::map<std::string, std::pair<std::int64_t, std::string>> expectedFiles;  // name → size, sha
  std::map<std::string, std::string> mediaTypes;
  for (const auto& [n, bytes] : item.versions) {
    if (!documentId.empty())
      inLog = checkRecordInLog(ctx, "document", documentId, n, bytes, code) && inLog;
  }
  for (const auto& [n, parsed] : parsedVersions) {
    const core::JsonValue* files = parsed.valueAt("files");
    if (!files || !files->isArray()) continue;
    for (const core::JsonValue& file : files->items) {
      const auto fileId = file.integerAt("id");
      const std::string* name = file.stringAt("name");
      const std::string* sha = file.stringAt("sha256");
      const auto size = file.integerAt("size");
      const std::string* media = file.stringAt("media_type");
      if (!fileId || !name || !sha || !size) continue;
      const std::string bundled = layout::bundledFileName(*fileId, *name);
      expectedFiles[bundled] = {*size, *sha};
      if (media) mediaTypes[bundled] = *media;
    }
  }
  if (inLog) {
    ctx.add("1-1", "record_in_log", code, true,
            "全部 " + std::to_string(item.versions.size()) +
                " 个版本记录与已签名的审计日志一致 (every version record matches the signed audit "
                "log)");
  }
  std::vector<std::string> missing, differing, unlisted;
  for (const auto& [name, expectation] : expectedFiles) {
    auto found = item.files.find(name);
    if (found == item.files.end()) {
      missing.push_back("缺文件 (missing file) " + name);
    } else if (found->second->size != expectation.first ||
               found->second->sha256 != expectation.second) {
      differing.push_back(
          "文件与元数据的大小或校验值不符 (size or checksum differs from the metadata) " + name);
    }
  }
  for (const auto& [name, seen] : item.files) {
    if (!expectedFiles.count(name))
      unlisted.push_back("元数据未记载的文件 (file not in the metadata) " + name);
  }
  ctx.add("1-10", "files_match_metadata", code, differing.empty(),
          differing.empty() ? "文件的大小和校验值与元数据一致 (files match the metadata in size "
                              "and checksum)"
                            : joinText(differing));
  ctx.add("1-11", "files_described", code, unlisted.empty(),
          unlisted.empty() ? "每个文件都有元数据记载 (every file is described by the metadata)"
                           : joinText(unlisted));
  ctx.add("2-7", "files_present", code, missing.empty(),
          missing.empty() ? "元数据记载的 " + std::to_string(expectedFiles.size()) +
                                " 个文件齐全 (every file the metadata lists is present)"
                          : joinText(missing));
  checkFormats(ctx, code, item.files, item.renditions, item.formats);
  for (const auto& [name, type] : mediaTypes)
    ctx.declared[std::string(layout::kItems) + code + "/" + std::string(layout::kFilesFolder) +
                 name] = type;
  return current;
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
      } else if (inside == layout::kMetadataXmlFile) {
        item.metadataXml = seen.bytes;
      } else if (startsWith(inside, layout::kVersionsFolder)) {
        const auto n = versionOf(inside.substr(layout::kVersionsFolder.size()));
        if (n && seen.bytes) item.versions[*n] = *seen.bytes;
      } else if (startsWith(inside, layout::kFilesFolder)) {
        item.files[inside.substr(layout::kFilesFolder.size())] = &seen;
      } else if (startsWith(inside, layout::kRenditionsFolder)) {
        item.renditions[inside.substr(layout::kRenditionsFolder.size())] = &seen;
      } else if (inside == layout::kFormatsFile) {
        item.formats = seen.bytes;
      }
    } else if (!collect(path, seen, layout::kCatalogue, catalogue) &&
               !collect(path, seen, layout::kFeedback, feedback)) {
      collect(path, seen, layout::kRequests, requests);
    }
  }
  checkItemCount(ctx, items.size());
  checkSequences(ctx, items);
  std::map<std::string, core::JsonValue> current;
  for (const auto& [code, item] : items) {
    if (auto record = checkItem(ctx, code, item)) current.emplace(code, std::move(*record));
  }
  checkDuplicates(ctx, current);
  std::size_t records = 0, unreadable = 0;
  for (const Versions* kind : {&catalogue, &feedback, &requests}) {
    for (const auto& [id, versions] : *kind) {
      for (const auto& [n, bytes] : versions) {
        ++records;
        unreadable += parseRecord(bytes) ? 0 : 1;
      }
    }
  }
  ctx.add(
      "3-1", "metadata_readable", "catalogue, feedback, requests", unreadable == 0,
      unreadable == 0
          ? std::to_string(records) + " 条目录、意见、申请记录均可解析 (every other record parses)"
          : std::to_string(unreadable) + " 条记录无法解析 (records that do not parse)");
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
