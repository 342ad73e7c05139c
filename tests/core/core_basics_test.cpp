// Canonical JSON, UTF-8 rules, time and the audit chain: the pure code everything else trusts.
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cctype>

#include "gongkai/core/audit_chain.h"
#include "gongkai/core/audit_entry.h"
#include "gongkai/core/document.h"
#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/core/time.h"

namespace gongkai::core {
namespace {

std::string canonicalOf(const std::string& json) {
  auto parsed = parseJson(json);
  EXPECT_TRUE(parsed.ok()) << json;
  return parsed.ok() ? canonicalJson(parsed.value()) : "";
}

TEST(CanonicalJson, SortsKeysByUtf16CodeUnitsAsRfc8785Requires) {
  // RFC 8785 section 3.2.3: U+1F600 (a surrogate pair, D83D) sorts before U+FB33.
  const std::string input =
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew","1":"One",)"
      R"("\ud83d\ude00":"Emoji","\u0080":"Control","\u00f6":"o umlaut"})";
  EXPECT_EQ(
      canonicalOf(input),
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"o "
      "umlaut\","
      "\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji\",\"\xef\xac\xb3\":\"Hebrew\"}");
}

TEST(CanonicalJson, EscapesOnlyWhatItMust) {
  EXPECT_EQ(canonicalOf(R"({"a":"\/\"\\\b\f\n\r\t\u0001\u001f 党务公开"})"),
            "{\"a\":\"/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f 党务公开\"}");
  EXPECT_EQ(canonicalOf(R"( [ 1 , true , null , { } , [ ] ] )"), "[1,true,null,{},[]]");
}

TEST(CanonicalJson, FormatsNumbersAsEcmaScript) {
  EXPECT_EQ(formatJsonNumber(0.0), "0");
  EXPECT_EQ(formatJsonNumber(-0.0), "0");
  EXPECT_EQ(formatJsonNumber(1e21), "1e+21");
  EXPECT_EQ(formatJsonNumber(1e-7), "1e-7");
  EXPECT_EQ(formatJsonNumber(0.000001), "0.000001");
  EXPECT_EQ(formatJsonNumber(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(formatJsonNumber(5e-324), "5e-324");
  EXPECT_EQ(formatJsonNumber(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(formatJsonNumber(333333333.3333333), "333333333.3333333");
  EXPECT_EQ(formatJsonNumber(-1.5), "-1.5");
  EXPECT_EQ(formatJsonNumber(0.002), "0.002");
  EXPECT_THROW(formatJsonNumber(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(formatJsonNumber(std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_EQ(canonicalOf("[1.0, 10, -7, 1E2]"), "[1,10,-7,100]");
}

// Found by tests/fuzz/json_fuzz: the canonical form of 1e20 is "100000000000000000000", an integer
// too large for 64 bits, which Poco's parser refused, so canonical JSON did not read back.
TEST(ParseJson, ReadsIntegersBeyondSixtyFourBitsAsDoubles) {
  EXPECT_EQ(canonicalOf("[1e20]"), "[100000000000000000000]");
  EXPECT_EQ(canonicalOf("[100000000000000000000]"), "[100000000000000000000]");
  EXPECT_EQ(canonicalOf("[-100000000000000000000]"), "[-100000000000000000000]");
  EXPECT_EQ(canonicalOf(R"({"n":-9223372036854775809,"s":"18446744073709551616"})"),
            R"({"n":-9223372036854776000,"s":"18446744073709551616"})");
  // RFC 8785 numbers are doubles: integers beyond 2^53 are written as the double they read as.
  EXPECT_EQ(canonicalOf("[18446744073709551615,-9223372036854775808,1.5e300]"),
            "[18446744073709552000,-9223372036854776000,1.5e+300]");
  EXPECT_EQ(canonicalOf("[9007199254740992,-9007199254740992]"),
            "[9007199254740992,-9007199254740992]");
}

TEST(ParseJson, NegativeIntegersBeyondTwoToTheFiftyThirdAreAFixedPoint) {
  // Poco read -33333333366666630 through a double but handed back an Int64 (…632), which then
  // wrote differently from the double it came from (found by the json fuzz target).
  for (const char* text :
       {"[-333333333666666333333333e-7]", "[-33333333366666630]", "[-9223372036854775807]",
        "[33333333366666630]", "[-9007199254740993]"}) {
    const std::string once = canonicalOf(text);
    EXPECT_EQ(canonicalOf(once), once) << text;
  }
  EXPECT_EQ(canonicalOf("[-33333333366666630]"), "[-33333333366666630]");
}

TEST(ParseJson, RefusesWhatIsNotOneStrictJsonText) {
  EXPECT_EQ(parseJson("{\"a\":\"\xff\"}").error().reason, "invalid_utf8");
  EXPECT_EQ(parseJson("{\"a\":1").error().reason, "malformed_json");
  EXPECT_EQ(parseJson("{\"a\":1} x").error().reason, "malformed_json");
  EXPECT_EQ(parseJson(std::string(40, '[') + std::string(40, ']')).error().reason,
            "malformed_json");
  EXPECT_TRUE(parseJson(std::string(10, '[') + std::string(10, ']')).ok());
  EXPECT_FALSE(parseJsonObject("[1]").ok());
  EXPECT_FALSE(parseJson(R"(["\ud800"])").ok());
}

TEST(Utf8, RefusesOverlongsSurrogatesAndTruncation) {
  EXPECT_TRUE(isValidUtf8("党务公开 😀 abc"));
  EXPECT_FALSE(isValidUtf8("\xc0\x80"));
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));
  EXPECT_FALSE(isValidUtf8("\xe5\x85"));
  EXPECT_EQ(codePointCount("党务ab"), 4u);
  EXPECT_TRUE(hasControlCharacters("a\tb", false));
  EXPECT_FALSE(hasControlCharacters("a\tb\r\n", true));
  EXPECT_TRUE(hasControlCharacters("a\xc2\x85", true));  // U+0085, a C1 control
}

TEST(FileNames, AcceptsOrdinaryChineseNamesAndRefusesPathsAndControls) {
  EXPECT_EQ(fileNameProblem("党务公开方案（2023）.pdf"), nullptr);
  EXPECT_EQ(fileNameProblem("a b.txt"), nullptr);
  for (const std::string& bad :
       {std::string(), std::string(256, 'a'), std::string("../x"), std::string("a/b"),
        std::string("a\\b"), std::string("a..b"), std::string("a\0b", 3), std::string("\x01"),
        std::string("\x7f"), std::string("\xff.pdf")}) {
    EXPECT_NE(fileNameProblem(bad), nullptr) << bad;
  }
  EXPECT_EQ(percentEncodeRfc5987("报告 1.pdf"), "%E6%8A%A5%E5%91%8A%201.pdf");
  EXPECT_EQ(asciiFallback("报告\"1\".pdf"), "___1_.pdf");
}

TEST(Time, FormatsAndParsesRfc3339InUtc) {
  EXPECT_EQ(formatRfc3339(TimePoint{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatRfc3339(TimePoint(std::chrono::milliseconds(-1))), "1969-12-31T23:59:59.999Z");
  const auto parsed = parseRfc3339("2023-01-06T08:00:00.250+08:00");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(formatRfc3339(*parsed), "2023-01-06T00:00:00.250Z");
  EXPECT_FALSE(parseRfc3339("2023-02-30T00:00:00Z"));
  EXPECT_FALSE(parseRfc3339("2023-01-06T00:00:00"));
  EXPECT_FALSE(parseRfc3339("yesterday"));
  EXPECT_TRUE(parseDate("2024-02-29"));
  for (const char* bad : {"2023-02-29", "2023-1-6", "2023-13-01", "1899-12-31", "2023-01-06x"}) {
    EXPECT_FALSE(parseDate(bad)) << bad;
  }
  EXPECT_EQ(parseDate("2023-01-06")->toString(), "2023-01-06");
  EXPECT_EQ(yearOf(*parsed), 2023);
}

TEST(Sha256, MatchesTheKnownVector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(isSha256Hex(sha256Hex("")));
  EXPECT_FALSE(isSha256Hex("ABC"));
}

AuditEntry entryAt(std::int64_t seq, const std::string& prev, int second) {
  AuditEntry entry;
  entry.seq = seq;
  entry.time = TimePoint(std::chrono::seconds(1700000000 + second));
  entry.actor = "档案员";
  entry.client = "127.0.0.1";
  entry.action = "document.create";
  entry.object_type = "document";
  entry.object_id = std::to_string(seq);
  entry.object_version = 1;
  entry.content_sha256 = sha256Hex(std::to_string(seq));
  entry.prev_hash = prev;
  return entry;
}

struct StoredChain {
  std::vector<std::string> bytes;
  std::vector<std::string> hashes;
};

StoredChain buildChain(int length) {
  StoredChain chain;
  std::string prev(kGenesisHash);
  for (int seq = 1; seq <= length; ++seq) {
    chain.bytes.push_back(canonicalBytes(entryAt(seq, prev, seq)));
    chain.hashes.push_back(entryHash(chain.bytes.back()));
    prev = chain.hashes.back();
  }
  return chain;
}

std::optional<ChainFault> verify(const StoredChain& chain, std::vector<std::int64_t> seqs = {}) {
  AuditChainVerifier verifier;
  for (std::size_t i = 0; i < chain.bytes.size(); ++i) {
    const std::int64_t seq = seqs.empty() ? static_cast<std::int64_t>(i + 1) : seqs[i];
    verifier.add(seq, chain.bytes[i], chain.hashes[i]);
  }
  return verifier.fault();
}

TEST(AuditEntry, RoundTripsAndRefusesNonCanonicalBytes) {
  const AuditEntry entry = entryAt(7, std::string(kGenesisHash), 1);
  const std::string bytes = canonicalBytes(entry);
  auto parsed = parseAuditEntry(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value(), entry);
  EXPECT_EQ(entryHash(bytes), sha256Hex(bytes));
  EXPECT_FALSE(parseAuditEntry(" " + bytes).ok());
  EXPECT_FALSE(parseAuditEntry(std::string(bytes).insert(1, "\"z\":1,")).ok());
  std::string wrongVersion = bytes;
  wrongVersion.replace(wrongVersion.find("\"v\":1"), 5, "\"v\":2");
  EXPECT_FALSE(parseAuditEntry(wrongVersion).ok());
}

TEST(AuditChain, AValidChainVerifies) {
  const auto chain = buildChain(5);
  AuditChainVerifier verifier;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(verifier.add(i + 1, chain.bytes[i], chain.hashes[i]));
  EXPECT_FALSE(verifier.fault());
  EXPECT_EQ(verifier.verifiedCount(), 5);
  EXPECT_EQ(verifier.lastHash(), chain.hashes[4]);
}

TEST(AuditChain, NamesTheFirstFaultAndItsKind) {
  auto gap = verify(buildChain(3), {1, 2, 4});
  ASSERT_TRUE(gap);
  EXPECT_EQ(gap->seq, 3);  // the missing one
  EXPECT_EQ(gap->kind, "sequence_gap");

  auto edited = buildChain(5);
  edited.bytes[2].replace(edited.bytes[2].find("档案员"), 9, "管理员");
  auto editedFault = verify(edited);
  ASSERT_TRUE(editedFault);
  EXPECT_EQ(editedFault->seq, 3);
  EXPECT_EQ(editedFault->kind, "hash_mismatch");

  // A forger who also recomputes the stored hash is caught by the next entry's link.
  auto forged = buildChain(5);
  AuditEntry third = parseAuditEntry(forged.bytes[2]).value();
  third.actor = "伪造者";
  forged.bytes[2] = canonicalBytes(third);
  forged.hashes[2] = entryHash(forged.bytes[2]);
  auto forgedFault = verify(forged);
  ASSERT_TRUE(forgedFault);
  EXPECT_EQ(forgedFault->seq, 4);
  EXPECT_EQ(forgedFault->kind, "broken_link");

  // The row's seq and the seq inside the bytes must agree.
  auto moved = buildChain(2);
  AuditEntry second = parseAuditEntry(moved.bytes[1]).value();
  second.seq = 9;
  moved.bytes[1] = canonicalBytes(second);
  moved.hashes[1] = entryHash(moved.bytes[1]);
  auto movedFault = verify(moved);
  ASSERT_TRUE(movedFault);
  EXPECT_EQ(movedFault->kind, "seq_mismatch");

  // Time may stand still but never run backwards.
  StoredChain backwards;
  std::string prev(kGenesisHash);
  for (int seq = 1; seq <= 3; ++seq) {
    backwards.bytes.push_back(canonicalBytes(entryAt(seq, prev, seq == 3 ? 0 : seq)));
    backwards.hashes.push_back(entryHash(backwards.bytes.back()));
    prev = backwards.hashes.back();
  }
  auto backwardsFault = verify(backwards);
  ASSERT_TRUE(backwardsFault);
  EXPECT_EQ(backwardsFault->seq, 3);
  EXPECT_EQ(backwardsFault->kind, "time_regression");

  // After a fault nothing more is accepted.
  AuditChainVerifier verifier;
  const auto chain = buildChain(3);
  EXPECT_TRUE(verifier.add(1, chain.bytes[0], chain.hashes[0]));
  EXPECT_FALSE(verifier.add(3, chain.bytes[2], chain.hashes[2]));
  EXPECT_FALSE(verifier.add(2, chain.bytes[1], chain.hashes[1]));
  EXPECT_EQ(verifier.verifiedCount(), 1);
}

TEST(AuditChain, APrevHashThatIsNotTheLowercaseHexOfTheLastHashBreaksTheLink) {
  const auto chain = buildChain(1);
  const std::string last = chain.hashes[0];
  std::string upper = last;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto oneDigit = [&](std::size_t at, char digit) {
    return std::string(last).replace(at, 1, 1, digit);
  };
  const std::size_t letter = last.find_first_of("abcdef");
  ASSERT_NE(letter, std::string::npos);
  for (const std::string& prev :
       {upper, oneDigit(letter, static_cast<char>(std::toupper(last[letter]))), oneDigit(0, 'g'),
        oneDigit(63, ' '), oneDigit(31, '/'), oneDigit(31, ':'), oneDigit(31, '`'),
        last.substr(0, 63), last + "0", std::string(64, '0')}) {
    StoredChain linked = chain;
    linked.bytes.push_back(canonicalBytes(entryAt(2, prev, 2)));
    linked.hashes.push_back(entryHash(linked.bytes.back()));
    auto fault = verify(linked);
    ASSERT_TRUE(fault) << prev;
    EXPECT_EQ(fault->seq, 2) << prev;
    EXPECT_EQ(fault->kind, "broken_link") << prev;
  }
  StoredChain linked = chain;
  linked.bytes.push_back(canonicalBytes(entryAt(2, last, 2)));
  linked.hashes.push_back(entryHash(linked.bytes.back()));
  EXPECT_FALSE(verify(linked));
}

TEST(DocumentRecord, RoundTripsAndRefusesGarbage) {
  DocumentVersion v;
  v.document_id = 3;
  v.version = 2;
  v.metadata.title = "关于党费收缴情况的公示";
  v.metadata.doc_number = "连发[2010]37号";
  v.metadata.category = "ZZ";
  v.metadata.org_unit = "branch-1";
  v.metadata.scope = Scope::kInternal;
  v.metadata.mode = Mode::kOnRequest;
  v.metadata.period = Period::kStaged;
  v.metadata.issued_at = parseDate("2023-01-06");
  v.files.push_back({4, "登记表.pdf", "application/pdf", 10, sha256Hex("x")});
  v.files.push_back({5, "附件.txt", "text/plain", 0, sha256Hex("")});
  v.created_by = "a";
  v.updated_by = "b";
  v.created_at = TimePoint(std::chrono::milliseconds(1700000000123));
  v.updated_at = TimePoint(std::chrono::milliseconds(1700000999456));
  v.change = "document.update";
  auto parsed = parseRecord(canonicalRecord(v));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(canonicalRecord(parsed.value()), canonicalRecord(v));
  EXPECT_EQ(parsed.value().metadata, v.metadata);
  EXPECT_FALSE(parsed.value().metadata.summary);
  EXPECT_EQ(parseRecord("{}").error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(parseRecord("not json").error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(disclosureYear(v.metadata, v.created_at), 2023);
  v.metadata.issued_at.reset();
  EXPECT_EQ(disclosureYear(v.metadata, v.created_at), 2023);  // 2023-11-14, from created_at
  EXPECT_FALSE(parseScope("Public"));
  EXPECT_EQ(parseMode("on_request"), Mode::kOnRequest);
  EXPECT_EQ(toString(Period::kImmediate), "immediate");
}

}  // namespace
}  // namespace gongkai::core
