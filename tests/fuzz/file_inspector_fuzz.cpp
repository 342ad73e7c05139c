// The verifier's file inspector (archive/src/file_inspector.cpp): any bytes, under any name and
// declared media type, and its contract that a chunk boundary never changes the findings: the
// file given whole and given in small chunks must give the same result.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "gongkai/archive/file_inspector.h"

namespace {

struct Declared {
  const char* name;
  const char* mediaType;
};

constexpr Declared kDeclared[] = {
    {"a.pdf", "application/pdf"},
    {"a.ofd", "application/ofd"},
    {"a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"a.odt", "application/vnd.oasis.opendocument.text"},
    {"a.txt", "text/plain; charset=utf-8"},
    {"a.html", "text/html"},
    {"a.xml", "application/xml"},
    {"a.zip", "application/zip"},
    {"a.png", "image/png"},
    {"a.jpg", "image/jpeg"},
    {"a.doc", "application/msword"},
    {"a.exe", ""},
    {"a.js", ""},
    {"a", ""},
    {"a.pdf", "text/plain"},
    {"a.bin", "application/octet-stream"},
};

std::vector<std::string> codes(const std::vector<gongkai::archive::FileProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& problem : problems) out.push_back(problem.code);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte chooses the declaration and the chunk size; the rest is the file.
  const Declared& declared = kDeclared[data[0] % std::size(kDeclared)];
  const std::size_t chunk = 1 + data[0] / std::size(kDeclared);
  const char* file = reinterpret_cast<const char*>(data + 1);
  const std::size_t length = size - 1;

  gongkai::archive::FileInspector whole(declared.name, declared.mediaType);
  whole.update(file, length);
  const auto once = whole.finish();

  gongkai::archive::FileInspector pieces(declared.name, declared.mediaType);
  for (std::size_t at = 0; at < length; at += chunk) {
    pieces.update(file + at, std::min(chunk, length - at));
  }
  const auto chunked = pieces.finish();

  FUZZ_CHECK(once.format == chunked.format, "format independent of chunks");
  FUZZ_CHECK(codes(once.usability) == codes(chunked.usability), "usability independent of chunks");
  FUZZ_CHECK(codes(once.safety) == codes(chunked.safety), "safety independent of chunks");
  FUZZ_CHECK(!once.format.empty(), "a format is always named");
  return 0;
}
