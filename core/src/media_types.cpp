#include "gongkai/core/media_types.h"

namespace gongkai::core {
namespace {

constexpr std::string_view kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::string_view kPptx =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation";
constexpr std::string_view kOdt = "application/vnd.oasis.opendocument.text";

constexpr KnownFormat kFormats[] = {
    {"pdf", "application/pdf", {"pdf"}, "application/pdf"},
    {"ofd", "application/ofd", {"ofd"}, "application/ofd"},
    {"ofd", "application/vnd.ofd", {}, ""},
    {"docx", kDocx, {"docx"}, kDocx},
    {"xlsx", kXlsx, {"xlsx"}, kXlsx},
    {"pptx", kPptx, {"pptx"}, ""},
    {"odt", kOdt, {"odt"}, kOdt},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", {"ods"}, ""},
    {"odp", "application/vnd.oasis.opendocument.presentation", {"odp"}, ""},
    {"zip", "application/zip", {"zip"}, "application/zip"},
    {"zip", "application/x-zip-compressed", {}, ""},
    {"png", "image/png", {"png"}, "image/png"},
    {"jpeg", "image/jpeg", {"jpg", "jpeg"}, "image/jpeg"},
    {"gif", "image/gif", {"gif"}, ""},
    {"tiff", "image/tiff", {"tif", "tiff"}, "image/tiff"},
    {"bmp", "image/bmp", {"bmp"}, ""},
    {"bmp", "image/x-ms-bmp", {}, ""},
    {"webp", "image/webp", {"webp"}, ""},
    // Uploads named .txt are stored as UTF-8: the form sends names and text in UTF-8.
    {"text", "text/plain", {"txt"}, "text/plain; charset=utf-8"},
    {"text", "", {"text"}, ""},
    {"text", "text/csv", {"csv"}, ""},
    {"text", "text/markdown", {"md"}, ""},
    {"text", "application/json", {"json"}, ""},
    {"html", "text/html", {"html", "htm"}, "text/html"},
    {"html", "application/xhtml+xml", {"xhtml"}, ""},
    {"xml", "application/xml", {"xml"}, ""},
    {"xml", "text/xml", {}, ""},
    {"xml", "image/svg+xml", {"svg"}, ""},
    {"ole", "application/msword", {"doc"}, "application/msword"},
    {"ole", "application/vnd.ms-excel", {"xls"}, ""},
    {"ole", "application/vnd.ms-powerpoint", {"ppt"}, ""},
    // Works and WPS Office documents are stored with their type; the inspector has no check.
    {"", "application/vnd.ms-works", {"wps"}, "application/vnd.ms-works"},
};

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `lower` is already lower case, as every key in the table is.
bool equalsIgnoreCase(std::string_view lower, std::string_view s) {
  if (lower.size() != s.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (lower[i] != lowerAscii(s[i])) return false;
  }
  return true;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The type and subtype alone: parameters and surrounding space dropped.
std::string_view bareType(std::string_view mediaType) {
  mediaType = mediaType.substr(0, mediaType.find(';'));
  while (!mediaType.empty() && isSpace(mediaType.front())) mediaType.remove_prefix(1);
  while (!mediaType.empty() && isSpace(mediaType.back())) mediaType.remove_suffix(1);
  return mediaType;
}

const KnownFormat* rowForExtension(std::string_view extension) {
  if (extension.empty()) return nullptr;
  for (const KnownFormat& row : kFormats) {
    for (std::string_view known : row.extensions) {
      if (equalsIgnoreCase(known, extension)) return &row;
    }
  }
  return nullptr;
}

}  // namespace

std::span<const KnownFormat> knownFormats() { return kFormats; }

std::string_view formatForMediaType(std::string_view mediaType) {
  const std::string_view bare = bareType(mediaType);
  if (bare.empty()) return {};
  for (const KnownFormat& row : kFormats) {
    if (equalsIgnoreCase(row.mediaType, bare)) return row.format;
  }
  return {};
}

std::string_view formatForExtension(std::string_view extension) {
  const KnownFormat* row = rowForExtension(extension);
  return row ? row->format : std::string_view();
}

std::string_view mediaTypeAssignedTo(std::string_view extension) {
  const KnownFormat* row = rowForExtension(extension);
  return row ? row->assignedType : std::string_view();
}

}  // namespace gongkai::core
