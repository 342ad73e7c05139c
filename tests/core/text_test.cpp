// The shared text helpers that more than one module uses: streamed UTF-8 checking, and the JSON
// and HTML escapers.
#include "gongkai/core/text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace gongkai::core {
namespace {

using namespace std::string_literals;

bool validInPieces(std::string_view text, const std::vector<std::size_t>& cuts) {
  Utf8StreamValidator validator;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    validator.feed(text.substr(at, cut - at));
    at = cut;
  }
  validator.feed(text.substr(at));
  return validator.valid();
}

const std::vector<std::string> kSamples = {
    "",
    "plain ASCII that runs past eight bytes",
    "党务公开 😀 abc",
    "\xc0\x80"s,              // overlong NUL
    "\xe0\x9f\xbf"s,          // overlong three-byte
    "\xed\xa0\x80"s,          // surrogate
    "\xf4\x90\x80\x80"s,      // past U+10FFFF
    "ab\xe5\x85"s,            // cut short at the end
    "\xe5\x85\x41\x85"s,      // a lead, then ASCII
    "\x80\x80\x80\x80\x80"s,  // continuation bytes alone
    "ok \xff tail"s,
    "\xf0\x9f\x98\x80\xf0\x9f"s,  // a whole emoji, then half of one
};

TEST(Utf8StreamValidator, AgreesWithIsValidUtf8WhereverThePiecesAreCut) {
  for (const std::string& sample : kSamples) {
    const bool expected = isValidUtf8(sample);
    EXPECT_EQ(validInPieces(sample, {}), expected) << sample;
    for (std::size_t cut = 0; cut <= sample.size(); ++cut) {
      EXPECT_EQ(validInPieces(sample, {cut}), expected) << sample << " cut at " << cut;
    }
    // One byte at a time: a character split over four pieces.
    std::vector<std::size_t> everyByte;
    for (std::size_t cut = 1; cut < sample.size(); ++cut) everyByte.push_back(cut);
    EXPECT_EQ(validInPieces(sample, everyByte), expected) << sample;
  }
}

TEST(Utf8StreamValidator, RandomBytesInRandomPieces) {
  std::mt19937 random(20250301);
  const std::string alphabet = "a\x80\xbf\xc2\xdf\xe0\xed\xef\xf0\xf4\xf5"s + "\xe5\x85\x9a"s;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % 12);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    std::vector<std::size_t> cuts;
    for (std::size_t at = 0; at < text.size(); at += 1 + random() % 3) cuts.push_back(at);
    EXPECT_EQ(validInPieces(text, cuts), isValidUtf8(text)) << round;
  }
}

TEST(Utf8StreamValidator, StaysInvalidOnceInvalid) {
  Utf8StreamValidator validator;
  validator.feed("\xff"s);
  validator.feed("good text");
  EXPECT_FALSE(validator.valid());
}

TEST(Escaping, HtmlEscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(htmlEscape(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(htmlEscape("党务公开\n"), "党务公开\n");
  std::string out = "<p>";
  appendHtmlEscaped(out, "1<2");
  EXPECT_EQ(out, "<p>1&lt;2");
}

TEST(Escaping, JsonStringsEscapeOnlyWhatTheyMust) {
  std::string out;
  appendJsonString(out, "a\"b\\c\b\f\n\r\t\x01\x1f\x7f 党");
  EXPECT_EQ(out, R"("a\"b\\c\b\f\n\r\t\u0001\u001f)"s + "\x7f 党\"");
}

TEST(Escaping, CsvRecordsQuoteWhatTheyMustAndDisarmFormulas) {
  EXPECT_EQ(csvRecord({"", "档号", "a,b", "say \"hi\"", "=SUM(A1)", "3"}),
            ",档号,\"a,b\",\"say \"\"hi\"\"\",\"'=SUM(A1)\",3\r\n");
  EXPECT_EQ(csvRecord({}), "\r\n");
}

}  // namespace
}  // namespace gongkai::core
