// The strict Poco-free JSON reader the policy files and the standalone verifier share.
#include "gongkai/core/json_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gongkai::core {
namespace {

JsonValue parsed(std::string_view text, const JsonReadOptions& options = {}) {
  JsonSyntaxError error;
  auto result = parseJsonWithLines(text, error, options);
  EXPECT_TRUE(result.has_value()) << text << " -> " << error.line << ": " << error.message;
  return result ? std::move(*result) : JsonValue();
}

// The message of the refusal, or "accepted".
std::string refusal(std::string_view text, const JsonReadOptions& options = {}) {
  JsonSyntaxError error;
  if (parseJsonWithLines(text, error, options)) return "accepted";
  EXPECT_FALSE(error.message.empty());
  EXPECT_GE(error.line, 1);
  return error.message;
}

bool mentions(const std::string& message, std::string_view part) {
  return message.find(part) != std::string::npos;
}

TEST(JsonReader, ReadsEveryKind) {
  const JsonValue doc =
      parsed(R"( {"n":null,"t":true,"f":false,"i":-42,"d":0.5,"e":1E+3,"s":"x","a":[1,[],{}],)"
             R"("o":{"k":"v"}} )");
  ASSERT_TRUE(doc.isObject());
  EXPECT_TRUE(doc.valueAt("n")->isNull());
  EXPECT_EQ(doc.valueAt("t")->kind, JsonValue::Kind::kBool);
  EXPECT_TRUE(doc.valueAt("t")->boolean);
  EXPECT_EQ(doc.valueAt("f")->kind, JsonValue::Kind::kBool);
  EXPECT_FALSE(doc.valueAt("f")->boolean);
  EXPECT_EQ(doc.integerAt("i"), -42);
  EXPECT_EQ(doc.valueAt("i")->number, -42.0);
  EXPECT_EQ(doc.integerAt("d"), std::nullopt);
  EXPECT_EQ(doc.valueAt("d")->number, 0.5);
  EXPECT_EQ(doc.valueAt("e")->number, 1000.0);
  EXPECT_EQ(doc.integerAt("e"), std::nullopt);  // an exponent is never an integer
  EXPECT_EQ(*doc.stringAt("s"), "x");
  const JsonValue* items = doc.valueAt("a");
  ASSERT_TRUE(items->isArray());
  ASSERT_EQ(items->items.size(), 3u);
  EXPECT_EQ(items->items[0].integer, 1);
  EXPECT_TRUE(items->items[1].isArray());
  EXPECT_TRUE(items->items[1].items.empty());
  EXPECT_TRUE(items->items[2].isObject());
  EXPECT_TRUE(items->items[2].members.empty());
  EXPECT_EQ(*doc.valueAt("o")->stringAt("k"), "v");

  // Members in document order, not sorted.
  std::vector<std::string> keys;
  for (const auto& member : doc.members) keys.push_back(member.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"n", "t", "f", "i", "d", "e", "s", "a", "o"}));

  for (const char* scalar : {"null", "true", "0", "-0", "\"\"", "[]", "{}", " \t\r\n7\n"}) {
    EXPECT_EQ(refusal(scalar), "accepted") << scalar;
  }
  EXPECT_EQ(parsed("-0").integer, 0);
}

TEST(JsonReader, TypedAccessOfTheWrongKindIsEmpty) {
  const JsonValue doc = parsed(R"({"s":"12","i":12,"o":{}})");
  EXPECT_EQ(doc.integerAt("s"), std::nullopt);
  EXPECT_EQ(doc.stringAt("i"), nullptr);
  EXPECT_EQ(doc.stringAt("o"), nullptr);
  EXPECT_EQ(doc.integerAt("o"), std::nullopt);
  EXPECT_EQ(doc.stringAt("missing"), nullptr);
  EXPECT_EQ(doc.integerAt("missing"), std::nullopt);
  EXPECT_EQ(doc.valueAt("missing"), nullptr);
  EXPECT_EQ(doc.member("missing"), nullptr);
  // Keyed access on anything but an object finds nothing.
  EXPECT_EQ(doc.valueAt("s")->valueAt("x"), nullptr);
  EXPECT_EQ(doc.valueAt("s")->stringAt("x"), nullptr);
  EXPECT_EQ(parsed(R"(["s"])").member("0"), nullptr);
  EXPECT_EQ(parsed("7").integerAt("7"), std::nullopt);
}

TEST(JsonReader, NamesKindsInBothLanguages) {
  EXPECT_STREQ(kindName(JsonValue::Kind::kObject, false), "对象");
  EXPECT_STREQ(kindName(JsonValue::Kind::kObject, true), "an object");
  EXPECT_STREQ(kindName(JsonValue::Kind::kArray, true), "an array");
  EXPECT_STREQ(kindName(JsonValue::Kind::kNull, false), "null");
}

TEST(JsonReader, DecodesChineseAndEscapes) {
  const JsonValue doc = parsed(
      R"({"题名":"党费收缴情况公示","esc":"\"\\\/\b\f\n\r\t","u":"\u515a\u8D39 \u00e9\u0041"})");
  EXPECT_EQ(*doc.stringAt("题名"), "党费收缴情况公示");
  EXPECT_EQ(*doc.stringAt("esc"), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(*doc.stringAt("u"), "党费 éA");
}

TEST(JsonReader, JoinsSurrogatePairs) {
  // U+1F600 and U+20000 (a CJK Extension B ideograph) as escapes and as raw UTF-8.
  const JsonValue doc = parsed(R"(["\ud83d\ude00","\uD840\uDC00","😀𠀀"])");
  ASSERT_EQ(doc.items.size(), 3u);
  EXPECT_EQ(doc.items[0].text, "😀");
  EXPECT_EQ(doc.items[1].text, "𠀀");
  EXPECT_EQ(doc.items[2].text, "😀𠀀");
}

TEST(JsonReader, IntegersOnlyWhenTheyFitInt64) {
  const JsonValue doc = parsed(
      "[9223372036854775807, -9223372036854775808, "
      "9223372036854775808, -9223372036854775809, 12345678901234567890123]");
  const auto& items = doc.items;
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].integer, INT64_MAX);
  EXPECT_EQ(items[1].integer, INT64_MIN);
  EXPECT_EQ(items[2].integer, std::nullopt);
  EXPECT_EQ(items[3].integer, std::nullopt);
  EXPECT_EQ(items[4].integer, std::nullopt);
  // Too large for an integer, still a number.
  EXPECT_EQ(items[2].kind, JsonValue::Kind::kNumber);
  EXPECT_DOUBLE_EQ(items[4].number, 1.2345678901234568e22);
}

TEST(JsonReader, RefusesNumbersOutsideTheRangeOfADouble) {
  for (const char* bad : {"1e400", "-1e400", "[1e400]", "1e-400"}) {
    EXPECT_TRUE(mentions(refusal(bad), "number out of range")) << bad;
  }
  EXPECT_EQ(refusal("1.7976931348623157e308"), "accepted");
}

TEST(JsonReader, RefusesWhatRfc8259DoesNotAllow) {
  for (const char* bad : {
           "",          " ",           "{} x",      "{}{}",      "[1,]",     "{\"a\":1,}",
           "[,1]",      "{'a':1}",     "['a']",     "NaN",       "[NaN]",    "Infinity",
           "-Infinity", "01",          "-01",       "[00]",      "1.",       ".5",
           "1e",        "1e+",         "+1",        "0x10",      "tru",      "nul",
           "True",      "[1 2]",       "{\"a\" 1}", "{\"a\":}",  "{1:2}",    "\"\\x\"",
           "\"\\u12\"", "\"\\u12g4\"", "\"abc",     "[",         "{\"a\":1", "// c\n1",
           "/* c */ 1", "\"\t\"",      "\"\n\"",    "\"a\x01\"", "-",        "[-]",
       }) {
    const std::string message = refusal(bad);
    EXPECT_NE(message, "accepted") << "[" << bad << "]";
    EXPECT_TRUE(mentions(message, "JSON 语法错误 (syntax error)")) << message;
  }
  EXPECT_TRUE(mentions(refusal("[00]"), "leading zero"));
  EXPECT_TRUE(mentions(refusal("-01"), "leading zero"));
  EXPECT_TRUE(mentions(refusal("[1,]"), "trailing comma"));
  EXPECT_TRUE(mentions(refusal("{} x"), "trailing characters"));
  EXPECT_TRUE(mentions(refusal(" \n"), "file is empty"));
}

TEST(JsonReader, RefusesControlCharactersInStrings) {
  EXPECT_TRUE(mentions(refusal("\"a\x01\""), "control character"));
  EXPECT_TRUE(mentions(refusal(std::string("\"a\0b\"", 5)), "control character"));
  EXPECT_EQ(refusal(R"("a\u0001")"), "accepted");  // escaped, it is allowed
  EXPECT_EQ(refusal("\"\x7f\""), "accepted");      // RFC 8259 only refuses U+0000 to U+001F
}

TEST(JsonReader, RefusesLoneSurrogatesAndInvalidUtf8) {
  for (const char* bad : {R"("\ud83d")", R"("\ud83dx")", R"("\ude00")", R"("\ud83d\u0041")",
                          R"("\ud83d\ud83d")", R"("x\ud83d y")"}) {
    EXPECT_TRUE(mentions(refusal(bad), "lone surrogate")) << bad;
  }
  EXPECT_NE(refusal(R"("\ud83d\")"), "accepted");
  for (const char* bad : {
           "\"\xff\"",
           "\"\xc0\xaf\"",      // overlong '/'
           "\"\xed\xa0\xbd\"",  // a surrogate encoded in UTF-8
           "\"\xe5\x85\"",      // a truncated sequence
           "{\"\xe5\x85\xe5\":1}",
       }) {
    EXPECT_TRUE(mentions(refusal(bad), "invalid UTF-8")) << bad;
  }
}

TEST(JsonReader, RefusesDuplicateKeys) {
  EXPECT_TRUE(mentions(refusal(R"({"a":1,"a":2})"), "duplicate key"));
  EXPECT_TRUE(mentions(refusal(R"({"a":1,"b":2,"c":{"x":1,"y":2,"x":3}})"), "duplicate key"));
  // The same key spelled with an escape is the same key.
  EXPECT_TRUE(mentions(refusal(R"({"ab":1,"a\u0062":2})"), "duplicate key"));
  EXPECT_EQ(refusal(R"({"a":{"a":1},"b":{"a":1}})"), "accepted");
}

TEST(JsonReader, LimitsNestingTo32LevelsByDefault) {
  const auto nested = [](int depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  EXPECT_EQ(refusal(nested(kDefaultMaxJsonDepth, '[', ']')), "accepted");
  EXPECT_TRUE(mentions(refusal(nested(kDefaultMaxJsonDepth + 1, '[', ']')), "nested deeper"));
  std::string objects;
  for (int i = 0; i < kDefaultMaxJsonDepth; ++i) objects += "{\"a\":";
  const std::string closed = objects + "1" + std::string(kDefaultMaxJsonDepth, '}');
  EXPECT_EQ(refusal(closed), "accepted");
  EXPECT_TRUE(mentions(refusal("[" + closed + "]"), "nested deeper"));
  // Deep enough to overflow the stack without the limit (and larger than the default size limit,
  // which would refuse it first).
  EXPECT_TRUE(
      mentions(refusal(nested(1'000'000, '[', ']'), {.maxBytes = 4'000'000}), "nested deeper"));

  // Callers may choose another limit.
  EXPECT_EQ(refusal(nested(64, '[', ']'), {.maxDepth = 64}), "accepted");
  EXPECT_TRUE(mentions(refusal(nested(65, '[', ']'), {.maxDepth = 64}), "nested deeper than 64"));
  EXPECT_EQ(refusal("[[1]]", {.maxDepth = 2}), "accepted");
  EXPECT_NE(refusal("[[[1]]]", {.maxDepth = 2}), "accepted");
}

TEST(JsonReader, LimitsTheSize) {
  const std::string largest = "\"" + std::string(kDefaultMaxJsonBytes - 2, 'a') + "\"";
  EXPECT_EQ(refusal(largest), "accepted");
  EXPECT_TRUE(mentions(refusal(largest + " "), "larger than 1 MiB"));

  EXPECT_EQ(refusal("[1,2,3,45]", {.maxBytes = 10}), "accepted");
  EXPECT_TRUE(mentions(refusal("[1,2,3,456]", {.maxBytes = 10}), "larger than 10 bytes"));
  EXPECT_EQ(refusal(largest + " ", {.maxBytes = 2 * kDefaultMaxJsonBytes}), "accepted");
}

TEST(JsonReader, ByteOrderMarkOnlyWhenAllowed) {
  const std::string withMark = "\xEF\xBB\xBF{\"a\":\n1}";
  EXPECT_NE(refusal(withMark), "accepted");
  const JsonValue doc = parsed(withMark, {.allowByteOrderMark = true});
  EXPECT_EQ(doc.line, 1);
  EXPECT_EQ(doc.integerAt("a"), 1);
  EXPECT_EQ(doc.valueAt("a")->line, 2);
  // Only at the very start, and only one.
  EXPECT_NE(refusal("[\xEF\xBB\xBF 1]", {.allowByteOrderMark = true}), "accepted");
  EXPECT_NE(refusal("\xEF\xBB\xBF\xEF\xBB\xBF 1", {.allowByteOrderMark = true}), "accepted");
  EXPECT_TRUE(mentions(refusal("\xEF\xBB\xBF", {.allowByteOrderMark = true}), "file is empty"));
}

TEST(JsonReader, RemembersTheLineOfEveryValueAndMember) {
  const JsonValue doc = parsed(
      "\n"
      "{\n"
      "  \"a\": 1,\r\n"
      "  \"b\":\n"
      "    [true,\n"
      "     \"x\\ny\"],\n"
      "  \"c\": {\"d\": null}\n"
      "}\n");
  EXPECT_EQ(doc.line, 2);
  ASSERT_EQ(doc.members.size(), 3u);
  EXPECT_EQ(doc.members[0].line, 3);
  EXPECT_EQ(doc.members[0].value.line, 3);
  EXPECT_EQ(doc.members[1].line, 4);
  const JsonValue& array = doc.members[1].value;
  EXPECT_EQ(array.line, 5);
  ASSERT_EQ(array.items.size(), 2u);
  EXPECT_EQ(array.items[0].line, 5);
  EXPECT_EQ(array.items[1].line, 6);
  EXPECT_EQ(array.items[1].text, "x\ny");  // an escaped newline is no new line
  EXPECT_EQ(doc.member("c")->line, 7);
  EXPECT_EQ(doc.valueAt("c")->member("d")->line, 7);
}

TEST(JsonReader, ErrorsNameTheirLine) {
  const auto lineOf = [](std::string_view text) {
    JsonSyntaxError error;
    EXPECT_FALSE(parseJsonWithLines(text, error)) << text;
    return error.line;
  };
  EXPECT_EQ(lineOf("{\n\"a\": 1,\n\"a\": 2\n}"), 3);
  EXPECT_EQ(lineOf("[1,\n2,\n\n]"), 4);
  EXPECT_EQ(lineOf("[\n\"\xff\"]"), 2);
  EXPECT_EQ(lineOf("[1,\n2,\n"), 3);
  EXPECT_EQ(lineOf("\n\n  \n"), 4);

  JsonSyntaxError error;
  ASSERT_FALSE(parseJsonWithLines("[1, 2,, 3]", error));
  EXPECT_EQ(error.line, 1);
  // Chinese first, English in parentheses.
  EXPECT_LT(error.message.find("应为"), error.message.find("(expected a value, found ','"))
      << error.message;
}

TEST(JsonReader, EveryProperPrefixOfADocumentIsRefused) {
  const std::string doc =
      R"({"题名":"换届选举结果\u515a\ud83d\ude00","n":[-1.5e-3,0,true,false,null],"o":{"k":[{}]}})";
  ASSERT_EQ(refusal(doc), "accepted");
  for (std::size_t length = 0; length < doc.size(); ++length) {
    EXPECT_NE(refusal(std::string_view(doc).substr(0, length)), "accepted") << length;
  }
}

TEST(JsonReader, NumbersStopAtTheirEnd) {
  // A number that is a prefix of a longer one must not be completed from beyond the text.
  const std::string buffer = "12345";
  EXPECT_EQ(parsed(std::string_view(buffer).substr(0, 2)).integer, 12);
  const std::string fraction = "1.5e3";
  EXPECT_EQ(parsed(std::string_view(fraction).substr(0, 3)).number, 1.5);
}

}  // namespace
}  // namespace gongkai::core
