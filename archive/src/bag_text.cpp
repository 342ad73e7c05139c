#include "bag_text.h"

#include "gongkai/archive/bundle_layout.h"

namespace gongkai::archive::verify {

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string manifestUnescape(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      const std::string_view code = path.substr(i + 1, 2);
      if (code == "0A" || code == "0a") {
        out += '\n';
        i += 2;
        continue;
      }
      if (code == "0D" || code == "0d") {
        out += '\r';
        i += 2;
        continue;
      }
      if (code == "25") {
        out += '%';
        i += 2;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::optional<core::JsonValue> parseRecord(std::string_view text) {
  core::JsonSyntaxError ignored;
  return core::parseJsonWithLines(text, ignored);
}

BagInfo parseBagInfo(std::string_view text) {
  BagInfo out;
  for (std::string_view line : lines(text)) {
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !out.empty()) {
      out.back().second += " " + std::string(line.substr(line.find_first_not_of(" \t")));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string value(line.substr(colon + 1));
    value.erase(0, value.find_first_not_of(" \t"));
    out.emplace_back(std::string(line.substr(0, colon)), value);
  }
  return out;
}

std::optional<std::string> infoValue(const BagInfo& info, std::string_view label) {
  for (const auto& [key, value] : info) {
    if (key == label) return value;
  }
  return std::nullopt;
}

std::optional<std::int64_t> toInt(std::string_view text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stoll(std::string(text));
}

std::string declaredTypeByExtension(std::string_view path) {
  if (endsWith(path, ".json") || endsWith(path, ".jsonl")) return "application/json";
  if (endsWith(path, ".html")) return "text/html";
  if (endsWith(path, ".csv")) return "text/csv";
  if (endsWith(path, ".txt")) return "text/plain";
  return "";
}

bool isSignatureFile(std::string_view path) {
  return path == layout::kEd25519Signature || path == layout::kEd25519PublicKey ||
         path == layout::kSm2Signature || path == layout::kSm2PublicKey;
}

std::string joinText(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

bool mustRead(std::string_view path) {
  if (path.find('/') == std::string_view::npos) return true;  // tag files
  if (isSignatureFile(path)) return true;
  if (startsWith(path, "data/audit/") || path == layout::kIndexCsv) return true;
  if (startsWith(path, layout::kCatalogue) || startsWith(path, layout::kFeedback) ||
      startsWith(path, layout::kRequests)) {
    return endsWith(path, ".json");
  }
  if (startsWith(path, layout::kItems)) {
    return endsWith(path, "/metadata.json") || endsWith(path, "/metadata.xml") ||
           endsWith(path, "/" + std::string(layout::kFormatsFile)) ||
           path.find("/" + std::string(layout::kVersionsFolder)) != std::string_view::npos;
  }
  return false;
}

}  // namespace gongkai::archive::verify
