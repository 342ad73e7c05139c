#include "gongkai/archive/json_value.h"

#include <gtest/gtest.h>

#include <string>

namespace gongkai::archive::json {
namespace {

Value parsed(std::string_view text) {
  auto result = parse(text);
  EXPECT_TRUE(result.ok()) << text << " -> " << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : Value();
}

// The reason of the refusal, or "accepted".
std::string refusal(std::string_view text) {
  const auto result = parse(text);
  if (result.ok()) return "accepted";
  EXPECT_EQ(result.error().code, core::ErrorCode::kMalformed);
  return result.error().reason;
}

TEST(JsonValue, ReadsEveryType) {
  const Value doc = parsed(
      R"( {"n":null,"t":true,"f":false,"i":-42,"d":0.5,"e":1E+3,"s":"x","a":[1,[],{}],"o":{"k":"v"}} )");
  ASSERT_TRUE(doc.isObject());
  EXPECT_TRUE(doc.get("n")->isNull());
  EXPECT_EQ(doc.get("t")->boolean(), true);
  EXPECT_EQ(doc.get("f")->boolean(), false);
  EXPECT_EQ(doc.getInteger("i"), -42);
  EXPECT_EQ(doc.get("d")->integer(), std::nullopt);
  EXPECT_EQ(*doc.get("d")->numberText(), "0.5");
  EXPECT_EQ(*doc.get("e")->numberText(), "1E+3");
  EXPECT_EQ(doc.get("e")->integer(), std::nullopt);  // an exponent is never an integer
  EXPECT_EQ(*doc.getString("s"), "x");
  const auto* items = doc.get("a")->array();
  ASSERT_NE(items, nullptr);
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].integer(), 1);
  EXPECT_TRUE((*items)[1].array()->empty());
  EXPECT_TRUE((*items)[2].members()->empty());
  EXPECT_EQ(*doc.get("o")->getString("k"), "v");

  // Members in document order, not sorted.
  std::vector<std::string> keys;
  for (const auto& [key, value] : *doc.members()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"n", "t", "f", "i", "d", "e", "s", "a", "o"}));

  for (const char* scalar : {"null", "true", "0", "-0", "\"\"", "[]", "{}", " \t\r\n7\n"}) {
    EXPECT_EQ(refusal(scalar), "accepted") << scalar;
  }
}

TEST(JsonValue, TypedAccessOfTheWrongTypeIsEmpty) {
  const Value doc = parsed(R"({"s":"12","i":12})");
  EXPECT_EQ(doc.getInteger("s"), std::nullopt);
  EXPECT_EQ(doc.getString("i"), nullptr);
  EXPECT_EQ(doc.getString("missing"), nullptr);
  EXPECT_EQ(doc.string(), nullptr);
  EXPECT_EQ(doc.array(), nullptr);
  EXPECT_EQ(doc.boolean(), std::nullopt);
  EXPECT_EQ(doc.get("s")->get("x"), nullptr);
  EXPECT_EQ(doc.get("s")->members(), nullptr);
  EXPECT_EQ(doc.get("s")->numberText(), nullptr);
}

TEST(JsonValue, DecodesChineseAndEscapes) {
  const Value doc = parsed(
      R"({"题名":"党费收缴情况公示","esc":"\"\\\/\b\f\n\r\t","u":"\u515a\u8D39 \u00e9\u0041"})");
  EXPECT_EQ(*doc.getString("题名"), "党费收缴情况公示");
  EXPECT_EQ(*doc.getString("esc"), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(*doc.getString("u"), "党费 éA");
}

TEST(JsonValue, JoinsSurrogatePairs) {
  // U+1F600 and U+20000 (a CJK Extension B ideograph) as escapes and as raw UTF-8.
  const Value doc = parsed(R"(["\ud83d\ude00","\uD840\uDC00","😀𠀀"])");
  EXPECT_EQ(*(*doc.array())[0].string(), "😀");
  EXPECT_EQ(*(*doc.array())[1].string(), "𠀀");
  EXPECT_EQ(*(*doc.array())[2].string(), "😀𠀀");
}

TEST(JsonValue, KeepsLargeNumbersAsText) {
  const Value doc = parsed(
      "[1e400, 9223372036854775807, -9223372036854775808, "
      "9223372036854775808, -9223372036854775809, 12345678901234567890123]");
  const auto& items = *doc.array();
  EXPECT_EQ(*items[0].numberText(), "1e400");
  EXPECT_EQ(items[0].integer(), std::nullopt);
  EXPECT_EQ(items[1].integer(), INT64_MAX);
  EXPECT_EQ(items[2].integer(), INT64_MIN);
  EXPECT_EQ(items[3].integer(), std::nullopt);
  EXPECT_EQ(items[4].integer(), std::nullopt);
  EXPECT_EQ(items[5].integer(), std::nullopt);
  EXPECT_EQ(*items[5].numberText(), "12345678901234567890123");
}

TEST(JsonValue, RefusesWhatRfc8259DoesNotAllow) {
  for (const char* bad : {
           "",          " ",           "{} x",      "{}{}",      "[1,]",     "{\"a\":1,}",
           "[,1]",      "{'a':1}",     "['a']",     "NaN",       "[NaN]",    "Infinity",
           "-Infinity", "01",          "-01",       "[00]",      "1.",       ".5",
           "1e",        "1e+",         "+1",        "0x10",      "tru",      "nul",
           "True",      "[1 2]",       "{\"a\" 1}", "{\"a\":}",  "{1:2}",    "\"\\x\"",
           "\"\\u12\"", "\"\\u12g4\"", "\"abc",     "[",         "{\"a\":1", "// c\n1",
           "/* c */ 1", "\"\t\"",      "\"\n\"",    "\"a\x01\"",
       }) {
    EXPECT_NE(refusal(bad), "accepted") << "[" << bad << "]";
  }
}

TEST(JsonValue, RefusesControlCharactersInStrings) {
  EXPECT_EQ(refusal("\"a\x01\""), "malformed_json");
  EXPECT_EQ(refusal(std::string("\"a\0b\"", 5)), "malformed_json");
  EXPECT_EQ(refusal(R"("a\u0001")"), "accepted");  // escaped, it is allowed
  EXPECT_EQ(refusal("\"\x7f\""), "accepted");      // RFC 8259 only refuses U+0000 to U+001F
}

TEST(JsonValue, RefusesLoneSurrogatesAndInvalidUtf8) {
  for (const char* bad : {R"("\ud83d")", R"("\ud83dx")", R"("\ude00")", R"("\ud83d\u0041")",
                          R"("\ud83d\ud83d")", R"("\ud83d\")"}) {
    EXPECT_NE(refusal(bad), "accepted") << bad;
  }
  EXPECT_EQ(refusal(R"("\ude00")"), "invalid_utf8");
  EXPECT_EQ(refusal(R"("x\ud83d y")"), "invalid_utf8");
  EXPECT_EQ(refusal("\"\xff\""), "invalid_utf8");
  EXPECT_EQ(refusal("\"\xc0\xaf\""), "invalid_utf8");      // overlong '/'
  EXPECT_EQ(refusal("\"\xed\xa0\xbd\""), "invalid_utf8");  // a surrogate encoded in UTF-8
  EXPECT_EQ(refusal("\"\xe5\x85\""), "invalid_utf8");      // a truncated sequence
  EXPECT_EQ(refusal("{\"\xe5\x85\xe5\":1}"), "invalid_utf8");
}

TEST(JsonValue, RefusesDuplicateKeys) {
  EXPECT_EQ(refusal(R"({"a":1,"a":2})"), "malformed_json");
  EXPECT_EQ(refusal(R"({"a":1,"b":2,"c":{"x":1,"y":2,"x":3}})"), "malformed_json");
  // The same key spelled with an escape is the same key.
  EXPECT_EQ(refusal(R"({"ab":1,"a\u0062":2})"), "malformed_json");
  EXPECT_EQ(refusal(R"({"a":{"a":1},"b":{"a":1}})"), "accepted");
  const auto result = parse(R"({"a":1, "a":2})");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("第 8 字节"), std::string::npos) << result.error().message;
}

TEST(JsonValue, LimitsNestingTo64Levels) {
  const auto nested = [](int depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  EXPECT_EQ(refusal(nested(kMaxDepth, '[', ']')), "accepted");
  EXPECT_EQ(refusal(nested(kMaxDepth + 1, '[', ']')), "malformed_json");
  std::string objects;
  for (int i = 0; i < kMaxDepth; ++i) objects += "{\"a\":";
  EXPECT_EQ(refusal(objects + "1" + std::string(kMaxDepth, '}')), "accepted");
  EXPECT_EQ(refusal("[" + objects + "1" + std::string(kMaxDepth, '}') + "]"), "malformed_json");
  // Deep enough to overflow the stack without the limit.
  EXPECT_EQ(refusal(nested(1'000'000, '[', ']')), "malformed_json");
}

TEST(JsonValue, MessagesNameTheByteOffset) {
  const auto result = parse("[1, 2,, 3]");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, "malformed_json");
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("第 6 字节"), std::string::npos) << message;
  EXPECT_NE(message.find("at byte 6"), std::string::npos) << message;
  EXPECT_LT(message.find("字节"), message.find("byte"));  // Chinese first
  const auto utf8 = parse("\"党\xff\"");
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.error().message.find("at byte 4"), std::string::npos) << utf8.error().message;
}

TEST(JsonValue, EveryProperPrefixOfADocumentIsRefused) {
  const std::string doc =
      R"({"题名":"换届选举结果\u515a\ud83d\ude00","n":[-1.5e-3,0,true,false,null],"o":{"k":[{}]}})";
  ASSERT_EQ(refusal(doc), "accepted");
  for (std::size_t length = 0; length < doc.size(); ++length) {
    EXPECT_NE(refusal(std::string_view(doc).substr(0, length)), "accepted") << length;
  }
}

TEST(JsonValue, NumbersStopAtTheirEnd) {
  // A number that is a prefix of a longer one must not be completed from beyond the text.
  const std::string buffer = "12345";
  const auto result = parse(std::string_view(buffer).substr(0, 2));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().integer(), 12);
}

}  // namespace
}  // namespace gongkai::archive::json
