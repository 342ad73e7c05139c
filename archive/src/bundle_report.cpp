// The verifier's report: findings judged item by item against DA/T 70's table, and the report as
// text for a terminal, as JSON and as a printable HTML page (the checks are in verify_steps.h).
#include <algorithm>
#include <cstdio>

#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/core/text.h"

namespace gongkai::archive {
namespace {

constexpr Property kProperties[] = {Property::kAuthenticity, Property::kIntegrity,
                                    Property::kUsability, Property::kSafety};

std::string jsonString(std::string_view text) {
  std::string out;
  core::appendJsonString(out, text);
  return out;
}

// Text from a bundle shown on a terminal: control characters (an escape sequence in a hostile
// manifest line) are written as \xNN instead of reaching the committee's terminal.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string english(Property property) {
  std::string name(propertyCode(property));
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

// A property passes when none of its items failed and at least one passed.
ItemStatus propertyStatus(const std::vector<ItemResult>& results, Property property) {
  bool anyPassed = false;
  for (const ItemResult& result : results) {
    if (result.item->property != property) continue;
    if (result.status == ItemStatus::kFail) return ItemStatus::kFail;
    anyPassed = anyPassed || result.status == ItemStatus::kPass;
  }
  return anyPassed ? ItemStatus::kPass : ItemStatus::kNotChecked;
}

std::string verdictText(const BundleReport& report) {
  return report.passed()
             ? "通过 (PASS)"
             : "不通过 (FAIL), " + std::to_string(report.failures()) + " 项失败 (failures)";
}

}  // namespace

std::string_view itemStatusCode(ItemStatus status) {
  switch (status) {
    case ItemStatus::kPass:
      return "pass";
    case ItemStatus::kFail:
      return "fail";
    case ItemStatus::kNotApplicable:
      return "not_applicable";
    case ItemStatus::kNotChecked:
      return "not_checked";
  }
  return "";
}

std::string_view itemStatusName(ItemStatus status) {
  switch (status) {
    case ItemStatus::kPass:
      return "通过";
    case ItemStatus::kFail:
      return "不通过";
    case ItemStatus::kNotApplicable:
      return "不适用";
    case ItemStatus::kNotChecked:
      return "未检";
  }
  return "";
}

bool BundleReport::passed() const { return !findings.empty() && failures() == 0; }

std::size_t BundleReport::failures() const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return !f.passed; }));
}

std::vector<ItemResult> itemResults(const BundleReport& report) {
  std::vector<ItemResult> results;
  for (const DetectionItem& item : detectionItems()) {
    ItemResult result;
    result.item = &item;
    for (const Finding& finding : report.findings) {
      if (finding.item == item.number) result.evidence.push_back(&finding);
    }
    std::stable_partition(result.evidence.begin(), result.evidence.end(),
                          [](const Finding* f) { return !f->passed; });
    if (!item.not_applicable.empty()) {
      result.status = ItemStatus::kNotApplicable;
    } else if (result.evidence.empty()) {
      result.status = ItemStatus::kNotChecked;
    } else {
      result.status = result.evidence.front()->passed ? ItemStatus::kPass : ItemStatus::kFail;
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::string formatReportText(const BundleReport& report) {
  const std::vector<ItemResult> results = itemResults(report);
  std::string out =
      "四性检测报告 (four-property check, DA/T 70-2018): " + printable(report.bundle) + "\n";
  if (!report.name.empty()) out += "归档包 (bundle): " + printable(report.name) + "\n";
  for (Property property : kProperties) {
    out += "\n" + std::string(propertyName(property)) + " " + english(property) + ": " +
           std::string(itemStatusName(propertyStatus(results, property))) + " (" +
           std::string(itemStatusCode(propertyStatus(results, property))) + ")\n";
    for (const ItemResult& result : results) {
      if (result.item->property != property) continue;
      out += "  " + std::string(result.item->number) + " " + std::string(result.item->name) +
             "  [" + std::string(itemStatusName(result.status)) + " " +
             std::string(itemStatusCode(result.status)) + "]\n";
      if (result.status == ItemStatus::kNotApplicable) {
        out += "      " + std::string(result.item->not_applicable) + "\n";
      }
      for (const Finding* f : result.evidence) {
        out += std::string(f->passed ? "    [通过 PASS] " : "    [失败 FAIL] ") + f->check + "  " +
               printable(f->subject) + "\n        " + printable(f->message) + "\n";
      }
    }
  }
  return out + "\n结论 (verdict): " + verdictText(report) + "\n";
}

std::string formatReportJson(const BundleReport& report) {
  const std::vector<ItemResult> results = itemResults(report);
  std::string out = "{\"bundle\":" + jsonString(report.bundle) +
                    ",\"name\":" + jsonString(report.name) +
                    ",\"passed\":" + (report.passed() ? "true" : "false") +
                    ",\"failures\":" + std::to_string(report.failures()) +
                    ",\"standard\":\"DA/T 70-2018\",\"properties\":{";
  bool first = true;
  for (Property property : kProperties) {
    std::size_t failed = 0, total = 0;
    for (const Finding& f : report.findings) {
      if (f.property != property) continue;
      ++total;
      failed += f.passed ? 0 : 1;
    }
    out += std::string(first ? "" : ",") + jsonString(propertyCode(property)) +
           ":{\"name\":" + jsonString(propertyName(property)) +
           ",\"passed\":" + (failed == 0 && total > 0 ? "true" : "false") +
           ",\"status\":" + jsonString(itemStatusCode(propertyStatus(results, property))) +
           ",\"checks\":" + std::to_string(total) + ",\"failures\":" + std::to_string(failed) + "}";
    first = false;
  }
  const auto findingJson = [](const Finding& f) {
    return "{\"item\":" + jsonString(f.item) +
           ",\"property\":" + jsonString(propertyCode(f.property)) +
           ",\"check\":" + jsonString(f.check) + ",\"subject\":" + jsonString(f.subject) +
           ",\"passed\":" + (f.passed ? "true" : "false") +
           ",\"message\":" + jsonString(f.message) + "}";
  };
  out += "},\"items\":[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const ItemResult& result = results[i];
    out += std::string(i ? "," : "") + "{\"number\":" + jsonString(result.item->number) +
           ",\"name\":" + jsonString(result.item->name) +
           ",\"property\":" + jsonString(propertyCode(result.item->property)) +
           ",\"status\":" + jsonString(itemStatusCode(result.status));
    if (result.status == ItemStatus::kNotApplicable)
      out += ",\"reason\":" + jsonString(result.item->not_applicable);
    out += ",\"evidence\":[";
    for (std::size_t j = 0; j < result.evidence.size(); ++j) {
      out += std::string(j ? "," : "") + findingJson(*result.evidence[j]);
    }
    out += "]}";
  }
  out += "],\"findings\":[";
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    out += std::string(i ? "," : "") + findingJson(report.findings[i]);
  }
  return out + "]}\n";
}

std::string formatReportHtml(const BundleReport& report) {
  using core::htmlEscape;
  const std::vector<ItemResult> results = itemResults(report);
  const std::string title = "电子档案四性检测报告（DA/T 70-2018）";
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
      "</title>\n<style>\nbody{font-family:\"Noto Serif CJK SC\",\"SimSun\",serif;margin:2em}\n"
      "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}\n"
      "th,td{border:1px solid #444;padding:4px 6px;vertical-align:top;text-align:left}\n"
      ".fail{color:#a00;font-weight:bold}.pass{color:#060}\n"
      "@media print{h2{page-break-before:auto}tr{page-break-inside:avoid}}\n</style>\n</head>\n"
      "<body>\n<h1>" +
      title + "</h1>\n<p>归档包：" + htmlEscape(report.name) + "</p>\n<p>结论：<span class=\"" +
      (report.passed() ? "pass" : "fail") + "\">" +
      htmlEscape(report.passed() ? "通过"
                                 : "不通过（" + std::to_string(report.failures()) + " 项失败）") +
      "</span></p>\n";
  for (Property property : kProperties) {
    const ItemStatus status = propertyStatus(results, property);
    html += "<h2>" + std::string(propertyName(property)) + "检测：" +
            std::string(itemStatusName(status)) +
            "</h2>\n<table>\n<thead><tr><th>编号</th><th>检测项目</th><th>结果</th>"
            "<th>依据</th></tr></thead>\n<tbody>\n";
    for (const ItemResult& result : results) {
      if (result.item->property != property) continue;
      std::string evidence;
      if (result.status == ItemStatus::kNotApplicable) {
        evidence = htmlEscape(result.item->not_applicable);
      }
      for (const Finding* f : result.evidence) {
        evidence += std::string(evidence.empty() ? "" : "<br>") + "<span class=\"" +
                    (f->passed ? "pass" : "fail") + "\">" + (f->passed ? "✓" : "✗") + "</span> " +
                    htmlEscape(f->subject) + "：" + htmlEscape(f->message);
      }
      const bool failed = result.status == ItemStatus::kFail;
      html += "<tr><td>" + std::string(result.item->number) + "</td><td>" +
              std::string(result.item->name) + "</td><td class=\"" +
              (failed                               ? "fail"
               : result.status == ItemStatus::kPass ? "pass"
                                                    : "") +
              "\">" + std::string(itemStatusName(result.status)) + "</td><td>" + evidence +
              "</td></tr>\n";
    }
    html += "</tbody>\n</table>\n";
  }
  return html + "</body>\n</html>\n";
}

}  // namespace gongkai::archive
