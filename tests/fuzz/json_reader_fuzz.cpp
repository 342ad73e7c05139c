// The strict JSON reader with line numbers (core/json_reader.h), which reads policy files and,
// in the standalone verifier, a bundle's JSON: never crashes, bounded recursion, and its lines
// are real line numbers of the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "gongkai/core/json_reader.h"

namespace {

using gongkai::core::JsonValue;

void checkLines(const JsonValue& value, int lines) {
  FUZZ_CHECK(value.line >= 1 && value.line <= lines, "value line within the text");
  for (const auto& item : value.items) checkLines(item, lines);
  for (const auto& member : value.members) {
    FUZZ_CHECK(member.line >= 1 && member.line <= lines, "member line within the text");
    checkLines(member.value, lines);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  gongkai::core::JsonReadOptions options;
  options.allowByteOrderMark = size > 0 && data[size - 1] % 2 == 0;
  gongkai::core::JsonSyntaxError error;
  auto value = gongkai::core::parseJsonWithLines(text, error, options);
  if (value) {
    checkLines(*value, lines);
  } else {
    FUZZ_CHECK(!error.message.empty(), "a refusal says why");
    FUZZ_CHECK(error.line >= 0 && error.line <= lines, "error line within the text");
  }
  return 0;
}
