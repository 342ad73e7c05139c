// The one table of known formats: each type and extension is listed once, and the lookups the
// inspector, the extractor and the upload service derive from it answer as they did before.
#include "gongkai/core/media_types.h"

#include <gtest/gtest.h>

#include <set>
#include <string_view>
#include <utility>

namespace gongkai::core {
namespace {

TEST(MediaTypes, EveryTypeAndExtensionIsListedOnceInLowerCase) {
  std::set<std::string_view> types;
  std::set<std::string_view> extensions;
  for (const KnownFormat& row : knownFormats()) {
    if (!row.mediaType.empty()) {
      EXPECT_TRUE(types.insert(row.mediaType).second) << row.mediaType;
    }
    // Keys are compared with lower-cased input: types bare, extensions without their dot.
    EXPECT_EQ(row.mediaType.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ; "), std::string_view::npos)
        << row.mediaType;
    for (std::string_view extension : row.extensions) {
      if (extension.empty()) continue;
      EXPECT_TRUE(extensions.insert(extension).second) << extension;
      EXPECT_EQ(extension.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ. "), std::string_view::npos)
          << extension;
    }
    // A type assigned from a name is the row's type, at most with parameters.
    if (!row.assignedType.empty()) {
      EXPECT_TRUE(row.assignedType.starts_with(row.mediaType)) << row.assignedType;
    }
  }
}

TEST(MediaTypes, FormatForMediaType) {
  EXPECT_EQ(formatForMediaType("application/pdf"), "pdf");
  EXPECT_EQ(formatForMediaType("application/vnd.ofd"), "ofd");
  EXPECT_EQ(formatForMediaType(" Text/HTML ; charset=UTF-8"), "html");
  EXPECT_EQ(formatForMediaType("application/xhtml+xml"), "html");
  EXPECT_EQ(formatForMediaType("text/csv"), "text");
  EXPECT_EQ(formatForMediaType("image/svg+xml"), "xml");
  EXPECT_EQ(formatForMediaType("application/vnd.ms-excel"), "ole");
  // Known, but nothing checks its content.
  EXPECT_EQ(formatForMediaType("application/vnd.ms-works"), "");
  EXPECT_EQ(formatForMediaType("application/octet-stream"), "");
  EXPECT_EQ(formatForMediaType(""), "");
  EXPECT_EQ(formatForMediaType("; charset=utf-8"), "");
}

TEST(MediaTypes, FormatForExtension) {
  EXPECT_EQ(formatForExtension("PDF"), "pdf");
  EXPECT_EQ(formatForExtension("jpg"), "jpeg");
  EXPECT_EQ(formatForExtension("tif"), "tiff");
  EXPECT_EQ(formatForExtension("text"), "text");
  EXPECT_EQ(formatForExtension("htm"), "html");
  EXPECT_EQ(formatForExtension("ppt"), "ole");
  EXPECT_EQ(formatForExtension("exe"), "");
  EXPECT_EQ(formatForExtension(""), "");
}

// What an upload without a type is stored with, exactly as before the table was shared: types a
// browser would render from an untyped upload (SVG, XHTML) are never assigned.
TEST(MediaTypes, TypesAssignedToUploadsByName) {
  const std::pair<const char*, const char*> kAssigned[] = {
      {"pdf", "application/pdf"},
      {"ofd", "application/ofd"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"doc", "application/msword"},
      {"wps", "application/vnd.ms-works"},
      {"odt", "application/vnd.oasis.opendocument.text"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"txt", "text/plain; charset=utf-8"},
      {"html", "text/html"},
      {"HTM", "text/html"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"tif", "image/tiff"},
      {"tiff", "image/tiff"},
      {"zip", "application/zip"},
  };
  for (const auto& [extension, type] : kAssigned) {
    EXPECT_EQ(mediaTypeAssignedTo(extension), type) << extension;
  }
  for (const char* none : {"svg", "xhtml", "xml", "csv", "md", "json", "text", "pptx", "ods", "odp",
                           "gif", "bmp", "webp", "xls", "ppt", "exe", ""}) {
    EXPECT_EQ(mediaTypeAssignedTo(none), "") << none;
  }
}

}  // namespace
}  // namespace gongkai::core
