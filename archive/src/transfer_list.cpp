#include "transfer_list.h"

#include <chrono>
#include <filesystem>
#include <map>

#include "gongkai/core/text.h"
#include "gongkai/core/time.h"

namespace gongkai::archive {
namespace {

std::string retentionName(const std::string& retention) {
  if (retention == "Y") return "永久";
  if (retention == "D30") return "定期30年";
  if (retention == "D10") return "定期10年";
  return retention;
}

std::string jsonQuoted(std::string_view text) {
  std::string out;
  core::appendJsonString(out, text);
  return out;
}

std::string chinaDay(std::int64_t secondsSinceEpoch) {
  return core::chinaDate(core::TimePoint(std::chrono::seconds(secondsSinceEpoch))).toString();
}

}  // namespace

TransferList transferListOf(const BundleContents& contents, const std::string& name) {
  TransferList list;
  list.bundle = name;
  list.fonds = contents.fonds;
  list.from = contents.organization;
  list.to = contents.receiving_organization.empty() ? std::string(kDefaultReceiver)
                                                    : contents.receiving_organization;
  list.category = contents.category;
  list.category_name = contents.category_name;
  list.year = contents.year;
  list.transfer_date = chinaDay(contents.checkpoint.made_at);
  list.item_count = static_cast<std::int64_t>(contents.items.size());
  // By sequence: the lowest and highest item number with their 档号.
  struct Range {
    std::string retention;
    std::int64_t items = 0;
    int first = 0, last = 0;
    std::string first_code, last_code;
  };
  std::map<std::string, Range> ranges;
  for (const BundleItem& item : contents.items) {
    for (const BundledFile& file : item.files) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(file.blob_path, ec);
      ++list.file_count;
      if (!ec) list.file_bytes += static_cast<std::int64_t>(size);
    }
    for (const BundledRendition& rendition : item.renditions) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(rendition.blob_path, ec);
      ++list.rendition_count;
      if (!ec) list.rendition_bytes += static_cast<std::int64_t>(size);
    }
    const std::string key = contents.fonds + "-" + std::to_string(contents.year) + "-" +
                            item.retention + "-" + contents.category;
    Range& range = ranges[key];
    range.retention = item.retention;
    if (range.items == 0 || item.item_number < range.first) {
      range.first = item.item_number;
      range.first_code = item.reference_code;
    }
    if (range.items == 0 || item.item_number > range.last) {
      range.last = item.item_number;
      range.last_code = item.reference_code;
    }
    ++range.items;
  }
  for (const auto& [key, range] : ranges) {
    list.sequences.push_back(
        {key, range.retention, range.items, range.first_code, range.last_code});
  }
  list.checkpoint_size = contents.checkpoint.tree_size;
  list.audit_entry_count = static_cast<std::int64_t>(contents.audit_entries.size());
  list.feedback_count = static_cast<std::int64_t>(contents.feedback.size());
  list.request_count = static_cast<std::int64_t>(contents.requests.size());
  return list;
}

std::string transferListJson(const TransferList& list) {
  std::string json = "{\n  \"form\": \"移交清单 (transfer list)\",\n  \"format_version\": 1";
  json += ",\n  \"bundle\": " + jsonQuoted(list.bundle);
  json += ",\n  \"fonds\": " + jsonQuoted(list.fonds);
  json += ",\n  \"from\": " + jsonQuoted(list.from);
  json += ",\n  \"to\": " + jsonQuoted(list.to);
  json += ",\n  \"transfer_date\": " + jsonQuoted(list.transfer_date);
  json += ",\n  \"category\": " + jsonQuoted(list.category);
  json += ",\n  \"category_name\": " + jsonQuoted(list.category_name);
  json += ",\n  \"year\": " + std::to_string(list.year);
  json += ",\n  \"item_count\": " + std::to_string(list.item_count);
  json += ",\n  \"file_count\": " + std::to_string(list.file_count);
  json += ",\n  \"file_bytes\": " + std::to_string(list.file_bytes);
  json += ",\n  \"rendition_count\": " + std::to_string(list.rendition_count);
  json += ",\n  \"rendition_bytes\": " + std::to_string(list.rendition_bytes);
  json += ",\n  \"sequences\": [";
  for (std::size_t i = 0; i < list.sequences.size(); ++i) {
    const TransferSequence& s = list.sequences[i];
    json += std::string(i == 0 ? "" : ",") + "\n    {\"sequence\": " + jsonQuoted(s.sequence) +
            ", \"retention\": " + jsonQuoted(s.retention) +
            ", \"items\": " + std::to_string(s.items) +
            ", \"first_code\": " + jsonQuoted(s.first_code) +
            ", \"last_code\": " + jsonQuoted(s.last_code) + "}";
  }
  json += list.sequences.empty() ? "]" : "\n  ]";
  json += ",\n  \"checkpoint_size\": " + std::to_string(list.checkpoint_size);
  json += ",\n  \"audit_entry_count\": " + std::to_string(list.audit_entry_count);
  json += ",\n  \"feedback_count\": " + std::to_string(list.feedback_count);
  json += ",\n  \"request_count\": " + std::to_string(list.request_count);
  return json + "\n}\n";
}

std::string transferListHtml(const TransferList& list) {
  using core::htmlEscape;
  const std::string title = "党务公开电子档案移交清单";
  const auto row = [](const std::string& label, const std::string& value) {
    return "<tr><th>" + label + "</th><td>" + value + "</td></tr>\n";
  };
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
      "</title>\n<style>\nbody{font-family:\"Noto Serif CJK SC\",\"SimSun\",serif;margin:2em}\n"
      "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}\n"
      "th,td{border:1px solid #444;padding:4px 6px;vertical-align:top;text-align:left}\n"
      "th{width:12em;background:#f4f4f4}\n.sign td{height:4em}\n"
      "@media print{tr{page-break-inside:avoid}}\n</style>\n</head>\n<body>\n<h1>" +
      title + "</h1>\n<table>\n<tbody>\n";
  html += row("归档包", htmlEscape(list.bundle));
  html += row("移交单位", htmlEscape(list.from) + "（全宗号 " + htmlEscape(list.fonds) + "）");
  html += row("接收单位", htmlEscape(list.to));
  html += row("移交日期", list.transfer_date);
  html += row("档案类别", htmlEscape(list.category_name) + "（" + htmlEscape(list.category) + "）");
  html += row("年度", std::to_string(list.year));
  html += row("件数", std::to_string(list.item_count) + " 件");
  html += row("电子文件数", std::to_string(list.file_count) + " 个");
  html += row("电子文件字节数", std::to_string(list.file_bytes) + " 字节");
  html += row("长期保存版本（PDF/A 转换件，另计）", std::to_string(list.rendition_count) + " 个，" +
                                                        std::to_string(list.rendition_bytes) +
                                                        " 字节（不计入上列电子文件数、字节数）");
  html += row("审计条目", std::to_string(list.audit_entry_count) + " 条（检查点 " +
                              std::to_string(list.checkpoint_size) + "）");
  html += row("公开意见 / 依申请公开", std::to_string(list.feedback_count) + " 件 / " +
                                           std::to_string(list.request_count) + " 件");
  html +=
      "</tbody>\n</table>\n<h2>保管期限与档号范围</h2>\n<table>\n<thead><tr><th>保管期限</th>"
      "<th>件数</th><th>起始档号</th><th>终止档号</th></tr></thead>\n<tbody>\n";
  for (const TransferSequence& s : list.sequences) {
    html += "<tr><td>" + htmlEscape(retentionName(s.retention)) + "</td><td>" +
            std::to_string(s.items) + "</td><td>" + htmlEscape(s.first_code) + "</td><td>" +
            htmlEscape(s.last_code) + "</td></tr>\n";
  }
  html +=
      "</tbody>\n</table>\n<p>本清单随归档包签名（tagmanifest-sha256.txt）。接收单位可通过 "
      "POST /api/v1/archives/{id}/receipt 以电子签名回执确认接收。</p>\n"
      "<table class=\"sign\">\n<tbody>\n"
      "<tr><th>移交单位（盖章）</th><td></td><th>接收单位（盖章）</th><td></td></tr>\n"
      "<tr><th>移交人</th><td></td><th>接收人</th><td></td></tr>\n"
      "<tr><th>日期</th><td></td><th>日期</th><td></td></tr>\n"
      "</tbody>\n</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace gongkai::archive
