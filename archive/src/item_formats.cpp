#include "item_formats.h"

#include <cctype>
#include <fstream>
#include <vector>

#include "gongkai/core/text.h"

namespace gongkai::archive {
namespace {

std::string quoted(std::string_view text) {
  std::string out;
  core::appendJsonString(out, text);
  return out;
}

std::string entry(const std::string& path, const IdentifiedFile& file) {
  const FormatIdentification& f = file.format;
  return "{\"path\":" + quoted(path) + ",\"puid\":" + quoted(f.puid) +
         ",\"media_type\":" + quoted(f.media_type) + ",\"version\":" + quoted(f.version) +
         ",\"name\":" + quoted(f.name) + ",\"long_term\":" + (f.long_term ? "true" : "false");
}

}  // namespace

std::string renditionPathFor(const std::string& bundledOriginal) {
  std::string id;
  for (char c : bundledOriginal) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    id += c;
  }
  return "renditions/" + id + ".pdf";
}

std::string originalOfRendition(const std::string& renditionPath, const ItemFormats& formats) {
  for (const auto& [path, file] : formats.files) {
    if (renditionPathFor(path.substr(path.find('/') + 1)) == renditionPath) return path;
  }
  return {};
}

std::string itemFormatsJson(const ItemFormats& formats) {
  std::string json = "{\"files\":[\n";
  bool first = true;
  for (const auto& [path, file] : formats.files) {
    const std::string rendition = renditionPathFor(path.substr(path.find('/') + 1));
    json += std::string(first ? "" : ",\n") + entry(path, file) +
            ",\"rendition\":" + (formats.renditions.count(rendition) ? quoted(rendition) : "null") +
            "}";
    first = false;
  }
  json += "\n],\n\"renditions\":[\n";
  first = true;
  for (const auto& [path, file] : formats.renditions) {
    const std::string original = originalOfRendition(path, formats);
    json += std::string(first ? "" : ",\n") + entry(path, file) +
            ",\"rendition_of\":" + (original.empty() ? "null" : quoted(original)) + "}";
    first = false;
  }
  return json + "\n]}\n";
}

std::vector<std::string> formatEntryLines(const std::string& json) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < json.size()) {
    std::size_t end = json.find('\n', from);
    if (end == std::string::npos) end = json.size();
    std::string line = json.substr(from, end - from);
    if (!line.empty() && line.back() == ',') line.pop_back();
    if (line.starts_with("{\"path\":")) out.push_back(std::move(line));
    from = end + 1;
  }
  return out;
}

core::Result<FileFindings> inspectFileAt(const std::string& path, const std::string& name,
                                         const std::string& mediaType) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error::make(core::ErrorCode::kIo, "blob_unreadable",
                             "文件内容无法读取 (a file's stored bytes cannot be read): " + path);
  }
  FileInspector inspector(name, mediaType);
  std::vector<char> buffer(256 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) inspector.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    return core::Error::make(core::ErrorCode::kIo, "blob_unreadable",
                             "文件内容读取失败 (reading a file's stored bytes failed): " + path);
  }
  return inspector.finish();
}

}  // namespace gongkai::archive
