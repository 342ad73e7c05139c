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

// Independent of the validator: a sequence of one character is well-formed when it is what
// appendUtf8 writes for the code point its bits spell, and that code point is a scalar value.
bool wellFormedByDefinition(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s[0]);
  const std::size_t length = lead < 0x80           ? 1
                             : (lead >> 5) == 0x6  ? 2
                             : (lead >> 4) == 0xE  ? 3
                             : (lead >> 3) == 0x1E ? 4
                                                   : 0;
  if (length == 0 || s.size() != length) return false;
  char32_t value = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[k]);
    if ((next & 0xC0) != 0x80) return false;
    value = (value << 6) | (next & 0x3F);
  }
  if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) return false;
  std::string shortest;
  appendUtf8(shortest, value);
  return shortest == s;
}

// Every two- and three-byte sequence, and four-byte ones over every second byte, judged as the
// definition judges them (overlongs, surrogates and code points past U+10FFFF refused), alone
// and after ASCII that the eight-byte skip passes over.
TEST(Utf8, EveryShortSequenceIsJudgedAsTheDefinitionSays) {
  std::vector<std::string> sequences;
  for (int a = 0x80; a <= 0xFF; ++a) {
    for (int b = 0; b <= 0xFF; ++b) {
      sequences.push_back({static_cast<char>(a), static_cast<char>(b)});
      if (a < 0xE0 || a > 0xEF) continue;
      for (int c = 0; c <= 0xFF; ++c) {
        sequences.push_back({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
      }
    }
  }
  for (int a = 0xF0; a <= 0xF7; ++a) {
    for (int b = 0; b <= 0xFF; ++b) {
      for (int c : {0x7F, 0x80, 0xBF, 0xC0}) {
        for (int d : {0x7F, 0x80, 0xBF, 0xC0}) {
          sequences.push_back({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                               static_cast<char>(d)});
        }
      }
    }
  }
  int wellFormed = 0;
  for (const std::string& sequence : sequences) {
    const bool expected = wellFormedByDefinition(sequence);
    wellFormed += expected;
    ASSERT_EQ(isValidUtf8(sequence), expected) << testing::PrintToString(sequence);
    ASSERT_EQ(isValidUtf8("eight ok" + sequence + "x"), expected)
        << testing::PrintToString(sequence);
  }
  // U+0080–U+07FF, U+0800–U+FFFF but the 2,048 surrogates, and of the four-byte ones those
  // whose second byte fits the lead (F0: 90–BF, F4: 80–8F) with 80 or BF after it.
  EXPECT_EQ(wellFormed, 1920 + 61440 + (48 + 3 * 64 + 16) * 2 * 2);
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
