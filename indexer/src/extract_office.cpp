// The zip-based formats: DOCX (WordprocessingML), ODT (OpenDocument text) and OFD (GB/T 33190).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "extract_xml.h"
#include "extract_zip.h"

namespace gongkai::indexer::detail {
namespace {

// The one entry of a zip named name (exactly), or malformed when it is missing.
std::string readOneEntry(std::string_view bytes, const std::string& name,
                         const ExtractionLimits& limits, const Deadline& deadline) {
  auto entries = readZipEntries(
      bytes, [&](const std::string& entry) { return entry == name; }, limits, deadline);
  if (entries.empty()) {
    fail("malformed", "文档缺少正文 (" + name + " missing from the file)");
  }
  return std::move(entries.front().second);
}

// Page content streams of an OFD: */Pages/*/Content.xml, any case.
bool isOfdPage(const std::string& name) {
  std::vector<std::string> segments;
  std::istringstream path(asciiLower(name));
  for (std::string segment; std::getline(path, segment, '/');) segments.push_back(segment);
  const std::size_t n = segments.size();
  return n >= 3 && segments[n - 1] == "content.xml" && !segments[n - 2].empty() &&
         segments[n - 3] == "pages";
}

// Page_2 before Page_10: runs of digits compare by value.
bool naturalLess(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) &&
        std::isdigit(static_cast<unsigned char>(b[j]))) {
      const std::size_t iEnd = a.find_first_not_of("0123456789", i);
      const std::size_t jEnd = b.find_first_not_of("0123456789", j);
      std::string_view x = std::string_view(a).substr(i, iEnd - i);
      std::string_view y = std::string_view(b).substr(j, jEnd - j);
      while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
      while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = iEnd == std::string::npos ? a.size() : iEnd;
      j = jEnd == std::string::npos ? b.size() : jEnd;
    } else {
      const char x = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
      const char y = static_cast<char>(std::tolower(static_cast<unsigned char>(b[j])));
      if (x != y) return x < y;
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// The n-th number (from 0) of a space-separated list such as Boundary="x y w h".
std::optional<double> nthNumber(const std::string& list, int n) {
  std::istringstream in(list);
  double value = 0;
  for (int i = 0; i <= n; ++i) {
    if (!(in >> value)) return std::nullopt;
  }
  return value;
}

void ofdPageText(std::string_view xml, const Deadline& deadline, TextSink& out) {
  XmlScanner scan(xml, deadline);
  int inCode = 0;
  double objectY = 0;
  std::optional<double> lineY;
  for (auto event = scan.next(); event != XmlScanner::Event::Done && !out.full();
       event = scan.next()) {
    if (event == XmlScanner::Event::Start && scan.name() == "TextObject") {
      objectY = nthNumber(scan.attribute("Boundary"), 1).value_or(0);
    } else if (event == XmlScanner::Event::Start && scan.name() == "TextCode") {
      ++inCode;
      // TextCode's Y is the baseline within its object: a different one starts a new line.
      const double baseline = objectY + nthNumber(scan.attribute("Y"), 0).value_or(0);
      if (lineY && std::fabs(baseline - *lineY) > 0.5) out.lineBreak();
      lineY = baseline;
    } else if (event == XmlScanner::Event::End && scan.name() == "TextCode") {
      inCode = std::max(0, inCode - 1);
    } else if (event == XmlScanner::Event::Text && inCode > 0) {
      out.append(scan.text());
    }
  }
}

}  // namespace

std::string zipFormat(const std::vector<std::string>& names) {
  const auto has = [&](std::string_view wanted) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& name) { return asciiLower(name) == wanted; });
  };
  if (has("word/document.xml")) return "docx";
  if (has("ofd.xml")) return "ofd";
  if (has("content.xml")) return "odt";
  return "";
}

std::string extractDocx(std::string_view bytes, const ExtractionLimits& limits,
                        const Deadline& deadline) {
  const std::string xml = readOneEntry(bytes, "word/document.xml", limits, deadline);
  XmlScanner scan(xml, deadline);
  TextSink out(limits.max_text_bytes);
  int inRun = 0, inText = 0;
  for (auto event = scan.next(); event != XmlScanner::Event::Done && !out.full();
       event = scan.next()) {
    const std::string_view name = scan.name();
    if (event == XmlScanner::Event::Start) {
      if (name == "r")
        ++inRun;
      else if (name == "t")
        ++inText;
      // w:tab and w:br also define tab stops and such outside runs; only in a run are they text.
      else if (name == "tab" && inRun > 0)
        out.append('\t');
      else if ((name == "br" || name == "cr") && inRun > 0)
        out.append('\n');
    } else if (event == XmlScanner::Event::End) {
      if (name == "r")
        inRun = std::max(0, inRun - 1);
      else if (name == "t")
        inText = std::max(0, inText - 1);
      else if (name == "p")
        out.append('\n');
    } else if (event == XmlScanner::Event::Text && inText > 0) {
      out.append(scan.text());
    }
  }
  return std::move(out.text());
}

std::string extractOdt(std::string_view bytes, const ExtractionLimits& limits,
                       const Deadline& deadline) {
  const std::string xml = readOneEntry(bytes, "content.xml", limits, deadline);
  XmlScanner scan(xml, deadline);
  TextSink out(limits.max_text_bytes);
  int inParagraph = 0;
  for (auto event = scan.next(); event != XmlScanner::Event::Done && !out.full();
       event = scan.next()) {
    const std::string_view name = scan.name();
    if (event == XmlScanner::Event::Start) {
      if (name == "p" || name == "h")
        ++inParagraph;
      else if (name == "tab")
        out.append('\t');
      else if (name == "line-break")
        out.append('\n');
      else if (name == "s") {
        const int count = std::atoi(scan.attribute("c").c_str());
        out.append(std::string(static_cast<std::size_t>(std::clamp(count, 1, 1000)), ' '));
      }
    } else if (event == XmlScanner::Event::End && (name == "p" || name == "h")) {
      inParagraph = std::max(0, inParagraph - 1);
      out.append('\n');
    } else if (event == XmlScanner::Event::Text && inParagraph > 0) {
      out.append(scan.text());
    }
  }
  return std::move(out.text());
}

std::string extractOfd(std::string_view bytes, const ExtractionLimits& limits,
                       const Deadline& deadline) {
  auto pages = readZipEntries(bytes, isOfdPage, limits, deadline);
  std::sort(pages.begin(), pages.end(),
            [](const auto& a, const auto& b) { return naturalLess(a.first, b.first); });
  TextSink out(limits.max_text_bytes);
  for (const auto& [name, xml] : pages) {
    if (out.full()) break;
    ofdPageText(xml, deadline, out);
    out.lineBreak();
  }
  return std::move(out.text());
}

}  // namespace gongkai::indexer::detail
