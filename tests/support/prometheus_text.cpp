#include "support/prometheus_text.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace gongkai::testing {
namespace {

bool nameChar(char c, bool first, bool colonAllowed) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (first) return letter || (colonAllowed && c == ':');
  return letter || (c >= '0' && c <= '9') || (colonAllowed && c == ':');
}

std::string readName(const std::string& line, std::size_t& at, bool colonAllowed) {
  const std::size_t start = at;
  while (at < line.size() && nameChar(line[at], at == start, colonAllowed)) ++at;
  return line.substr(start, at - start);
}

double readValue(const std::string& text) {
  if (text == "+Inf") return INFINITY;
  if (text == "-Inf") return -INFINITY;
  if (text == "NaN") return NAN;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') throw std::invalid_argument("bad value " + text);
  return value;
}

// The family a sample belongs to: histogram samples carry a suffix.
std::string familyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      const auto type = types.find(base);
      if (type != types.end() && (type->second == "histogram" || type->second == "summary"))
        return base;
    }
  }
  return name;
}

}  // namespace

PrometheusText::PrometheusText(const std::string& text) {
  if (!text.empty() && text.back() != '\n') throw ParseError("the text must end with a newline");
  std::istringstream in(text);
  std::string line;
  int number = 0;
  std::set<std::string> helped, sampled;
  const auto fail = [&](const std::string& why) {
    throw ParseError("line " + std::to_string(number) + ": " + why + ": " + line);
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, keyword, name;
      words >> hash >> keyword >> name;
      if (keyword != "HELP" && keyword != "TYPE") continue;  // other comments are allowed
      std::size_t at = 0;
      if (name.empty() || readName(name, at, true) != name) fail("bad metric name");
      if (sampled.count(name)) fail("HELP or TYPE after the family's samples");
      if (keyword == "HELP") {
        if (!helped.insert(name).second) fail("second HELP");
        continue;
      }
      std::string type;
      words >> type;
      static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary",
                                                "untyped"};
      if (!kTypes.count(type)) fail("unknown type");
      if (!types_.emplace(name, type).second) fail("second TYPE");
      continue;
    }
    std::size_t at = 0;
    const std::string name = readName(line, at, true);
    if (name.empty()) fail("no metric name");
    std::map<std::string, std::string> labels;
    if (at < line.size() && line[at] == '{') {
      ++at;
      while (at < line.size() && line[at] != '}') {
        const std::string label = readName(line, at, false);
        if (label.empty() || at + 1 >= line.size() || line[at] != '=' || line[at + 1] != '"')
          fail("bad label");
        at += 2;
        std::string value;
        while (at < line.size() && line[at] != '"') {
          if (line[at] == '\\') {
            if (++at >= line.size()) fail("unfinished escape");
            if (line[at] == 'n') {
              value += '\n';
            } else if (line[at] == '\\' || line[at] == '"') {
              value += line[at];
            } else {
              fail("bad escape");
            }
          } else {
            value += line[at];
          }
          ++at;
        }
        if (at >= line.size()) fail("unterminated label value");
        ++at;  // the closing quote
        if (!labels.emplace(label, value).second) fail("label given twice");
        if (at < line.size() && line[at] == ',') ++at;
      }
      if (at >= line.size()) fail("unterminated labels");
      ++at;  // '}'
    }
    if (at >= line.size() || line[at] != ' ') fail("no value");
    std::string rest = line.substr(at + 1);
    const std::size_t space = rest.find(' ');
    const std::string valueText = rest.substr(0, space);  // a timestamp may follow
    double value = 0;
    try {
      value = readValue(valueText);
    } catch (const std::invalid_argument&) {
      fail("bad value");
    }
    sampled.insert(familyOf(name, types_));
    if (!samples_[name].emplace(labels, value).second) fail("the same series twice");
  }
  // Histograms whole: cumulative buckets, +Inf equal to _count, and a _sum.
  for (const auto& [family, type] : types_) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    for (const auto& [labels, count] : samples_[family + "_bucket"]) {
      auto rest = labels;
      const auto le = rest.find("le");
      if (le == rest.end()) throw ParseError(family + ": a bucket without le");
      const double bound = readValue(le->second);
      rest.erase(le);
      buckets[rest].emplace_back(bound, count);
    }
    for (auto& [labels, list] : buckets) {
      std::sort(list.begin(), list.end());
      for (std::size_t i = 1; i < list.size(); ++i) {
        if (list[i].second < list[i - 1].second)
          throw ParseError(family + ": buckets not cumulative");
      }
      if (list.empty() || !std::isinf(list.back().first))
        throw ParseError(family + ": no +Inf bucket");
      if (!samples_[family + "_count"].count(labels) || !samples_[family + "_sum"].count(labels))
        throw ParseError(family + ": _count or _sum missing");
      if (samples_[family + "_count"].at(labels) != list.back().second)
        throw ParseError(family + ": +Inf bucket differs from _count");
    }
  }
}

std::string PrometheusText::typeOf(const std::string& family) const {
  const auto found = types_.find(family);
  return found == types_.end() ? "" : found->second;
}

double PrometheusText::value(const std::string& name,
                             const std::map<std::string, std::string>& labels) const {
  return samples_.at(name).at(labels);
}

bool PrometheusText::has(const std::string& name,
                         const std::map<std::string, std::string>& labels) const {
  const auto found = samples_.find(name);
  return found != samples_.end() && found->second.count(labels) > 0;
}

std::vector<std::map<std::string, std::string>> PrometheusText::series(
    const std::string& name) const {
  std::vector<std::map<std::string, std::string>> out;
  const auto found = samples_.find(name);
  if (found == samples_.end()) return out;
  for (const auto& [labels, value] : found->second) out.push_back(labels);
  return out;
}

}  // namespace gongkai::testing
