// The verifier's report: the four properties' names, the verdict, and the report as text for
// people and as JSON (the checks are in verify_steps.h).
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/core/text.h"

namespace gongkai::archive {
namespace {

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

}  // namespace

std::string_view propertyCode(Property property) {
  switch (property) {
    case Property::kAuthenticity:
      return "authenticity";
    case Property::kIntegrity:
      return "integrity";
    case Property::kUsability:
      return "usability";
    case Property::kSafety:
      return "safety";
  }
  return "";
}

std::string_view propertyName(Property property) {
  switch (property) {
    case Property::kAuthenticity:
      return "真实性";
    case Property::kIntegrity:
      return "完整性";
    case Property::kUsability:
      return "可用性";
    case Property::kSafety:
      return "安全性";
  }
  return "";
}

bool BundleReport::passed() const { return !findings.empty() && failures() == 0; }

std::size_t BundleReport::failures() const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return !f.passed; }));
}

std::string formatReportText(const BundleReport& report) {
  std::string out = "四性检测报告 (four-property check): " + printable(report.bundle) + "\n";
  if (!report.name.empty()) out += "归档包 (bundle): " + printable(report.name) + "\n";
  for (Property property :
       {Property::kAuthenticity, Property::kIntegrity, Property::kUsability, Property::kSafety}) {
    std::size_t passed = 0, failed = 0;
    std::string body;
    for (const Finding& f : report.findings) {
      if (f.property != property) continue;
      (f.passed ? passed : failed) += 1;
      body += std::string(f.passed ? "  [通过 PASS] " : "  [失败 FAIL] ") + f.check + "  " +
              printable(f.subject) + "\n      " + printable(f.message) + "\n";
    }
    std::string english(propertyCode(property));
    english[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(english[0])));
    out += "\n" + std::string(propertyName(property)) + " " + english + ": " +
           (failed == 0 && passed > 0 ? "通过 (pass)"
            : failed == 0             ? "未检 (not checked)"
                                      : "不通过 (fail)") +
           " — " + std::to_string(passed) + " 项通过 (passed), " + std::to_string(failed) +
           " 项失败 (failed)\n" + body;
  }
  out += "\n结论 (verdict): " +
         std::string(report.passed() ? "通过 (PASS)"
                                     : "不通过 (FAIL), " + std::to_string(report.failures()) +
                                           " 项失败 (failures)") +
         "\n";
  return out;
}

std::string formatReportJson(const BundleReport& report) {
  std::string out = "{\"bundle\":" + jsonString(report.bundle) +
                    ",\"name\":" + jsonString(report.name) +
                    ",\"passed\":" + (report.passed() ? "true" : "false") +
                    ",\"failures\":" + std::to_string(report.failures()) + ",\"properties\":{";
  bool firstProperty = true;
  for (Property property :
       {Property::kAuthenticity, Property::kIntegrity, Property::kUsability, Property::kSafety}) {
    std::size_t failed = 0, total = 0;
    for (const Finding& f : report.findings) {
      if (f.property != property) continue;
      ++total;
      failed += f.passed ? 0 : 1;
    }
    out += std::string(firstProperty ? "" : ",") + jsonString(propertyCode(property)) +
           ":{\"name\":" + jsonString(propertyName(property)) +
           ",\"passed\":" + (failed == 0 && total > 0 ? "true" : "false") +
           ",\"checks\":" + std::to_string(total) + ",\"failures\":" + std::to_string(failed) + "}";
    firstProperty = false;
  }
  out += "},\"findings\":[";
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    out += std::string(i ? "," : "") + "{\"property\":" + jsonString(propertyCode(f.property)) +
           ",\"check\":" + jsonString(f.check) + ",\"subject\":" + jsonString(f.subject) +
           ",\"passed\":" + (f.passed ? "true" : "false") +
           ",\"message\":" + jsonString(f.message) + "}";
  }
  return out + "]}\n";
}

}  // namespace gongkai::archive
