// The hand-written audit entry codec must produce exactly what RFC 8785 canonicalisation of the
// same JSON object produces, and must accept nothing else.
#include "gongkai/core/audit_entry.h"

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <random>

#include "gongkai/core/json.h"

namespace gongkai::core {
namespace {

std::string viaJsonTree(const AuditEntry& entry) {
  Poco::JSON::Object::Ptr target = new Poco::JSON::Object;
  target->set("type", entry.object_type);
  target->set("id", entry.object_id);
  if (entry.object_version) target->set("version", static_cast<Poco::Int64>(*entry.object_version));
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("v", 1);
  root->set("seq", static_cast<Poco::Int64>(entry.seq));
  root->set("time", formatRfc3339(entry.time));
  root->set("actor", entry.actor);
  root->set("client", entry.client);
  root->set("action", entry.action);
  root->set("object", target);
  root->set("content_sha256", entry.content_sha256);
  root->set("prev_hash", entry.prev_hash);
  return canonicalJson(root);
}

AuditEntry sample() {
  AuditEntry entry;
  entry.seq = 12345;
  entry.time = *parseRfc3339("2026-11-23T05:27:15.434Z");
  entry.actor = "档案员 \"王\" \\ 李";
  entry.client = "2001:db8::1";
  entry.action = "document.update";
  entry.object_type = "document";
  entry.object_id = "42";
  entry.object_version = 3;
  entry.content_sha256 = std::string(64, 'a');
  entry.prev_hash = std::string(kGenesisHash);
  return entry;
}

TEST(AuditEntryCodec, MatchesCanonicalJsonOfTheSameObject) {
  std::vector<AuditEntry> entries;
  entries.push_back(sample());
  auto control = sample();
  control.actor = std::string("tab\there\nnew\x01\x1f\b\f\r end 😀 \xE2\x80\x94");
  entries.push_back(control);
  auto noVersion = sample();
  noVersion.object_version.reset();
  entries.push_back(noVersion);
  auto negative = sample();
  negative.object_version = -7;
  negative.seq = 1;
  entries.push_back(negative);
  auto escapes = sample();
  escapes.object_id = std::string("\x00\x7f/\\\"", 5);
  escapes.seq = 0;
  escapes.object_version = 0;
  entries.push_back(escapes);
  auto empty = sample();
  empty.actor = empty.client = empty.object_id = "";
  entries.push_back(empty);
  for (const auto& entry : entries) {
    const std::string bytes = canonicalBytes(entry);
    EXPECT_EQ(bytes, viaJsonTree(entry));
    auto parsed = parseAuditEntry(bytes);
    ASSERT_TRUE(parsed.ok()) << bytes << ": " << parsed.error().message;
    EXPECT_EQ(parsed.value(), entry);
    EXPECT_EQ(canonicalBytes(parsed.value()), bytes);
  }
}

TEST(AuditEntryCodec, RejectsEverythingButTheCanonicalBytes) {
  const std::string good = canonicalBytes(sample());
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  for (const std::string& bad : {std::string(""),
                                 good + " ",
                                 " " + good,
                                 good.substr(0, good.size() - 1),
                                 replaced("\"seq\":12345", "\"seq\":012345"),
                                 replaced("\"seq\":12345", "\"seq\":1.2345e4"),
                                 replaced("\"seq\":12345", "\"seq\":\"12345\""),
                                 replaced("\"v\":1", "\"v\":2"),
                                 replaced("{\"action\"", "{ \"action\""),
                                 replaced("档案员", "\\u6863案员"),
                                 replaced("档案员", "\xff\xfe"),
                                 replaced("2026-11-23T05:27:15.434Z", "2026-11-23T05:27:15Z"),
                                 replaced("2026-11-23T05:27:15.434Z", "yesterday"),
                                 replaced("\"version\":3", "\"version\":3.0"),
                                 replaced("\"id\":\"42\"", "\"id\":42"),
                                 replaced("document.update", "document\\/update"),
                                 replaced(",\"client\"", ",\"extra\":1,\"client\""),
                                 std::string("null"),
                                 std::string("[]"),
                                 replaced("\"seq\":12345", "\"seq\":-0"),
                                 replaced("\"seq\":12345", "\"seq\":+12345"),
                                 replaced("\"version\":3", "\"version\":03"),
                                 replaced("\"version\":3", "\"version\":-03"),
                                 replaced("档案员", "\\u000a"),
                                 replaced("档案员", "\\u0009"),
                                 replaced("档案员", "\\u001F"),
                                 replaced("档案员", "\\u0020"),
                                 replaced("档案员", "\\q"),
                                 replaced("档案员", "\t"),
                                 replaced("T05:27:15.434Z", "t05:27:15.434Z"),
                                 replaced("T05:27:15.434Z", "T05:27:60.434Z"),
                                 replaced("T05:27:15.434Z", "T05:27:15.434+00:00"),
                                 replaced("T05:27:15.434Z", "T05:27:15.4340Z"),
                                 replaced("2026-11-23", "2026-02-30"),
                                 replaced("\"v\":1", "\"v\":01")}) {
    EXPECT_FALSE(parseAuditEntry(bad).ok()) << bad;
  }
}

// The reader that sees an entry in place must never accept what the full reader refuses, nor
// see other members than it decodes: verification trusts the view whenever there is one.
void expectViewAgrees(const std::string& bytes) {
  const auto view = viewAuditEntry(bytes);
  if (!view) return;
  auto parsed = parseAuditEntry(bytes);
  ASSERT_TRUE(parsed.ok()) << "view accepted what the full reader refuses: " << bytes;
  EXPECT_EQ(static_cast<AuditEntry>(*view), parsed.value()) << bytes;
}

TEST(AuditEntryView, SeesTheSameEntryWhereNoStringIsEscaped) {
  auto plain = sample();
  plain.actor = "档案员 王 李";
  auto noVersion = plain;
  noVersion.object_version.reset();
  auto empty = plain;
  empty.actor = empty.client = empty.object_id = "";
  for (const auto& entry : {plain, noVersion, empty}) {
    const std::string bytes = canonicalBytes(entry);
    const auto view = viewAuditEntry(bytes);
    ASSERT_TRUE(view) << bytes;
    EXPECT_EQ(static_cast<AuditEntry>(*view), entry);
    // Seen in place, not copied.
    EXPECT_GE(view->actor.data(), bytes.data());
    EXPECT_LE(view->prev_hash.data() + view->prev_hash.size(), bytes.data() + bytes.size());
    EXPECT_EQ(static_cast<AuditEntry>(viewOf(entry)), entry);
  }
}

TEST(AuditEntryView, LeavesEscapesToTheFullReader) {
  // sample() has a quote and a backslash in its actor; the full reader decodes them.
  const std::string bytes = canonicalBytes(sample());
  EXPECT_FALSE(viewAuditEntry(bytes)) << bytes;
  EXPECT_TRUE(parseAuditEntry(bytes).ok()) << bytes;
  auto control = sample();
  control.actor = "plain";
  control.object_id = std::string("\x01", 1);
  EXPECT_FALSE(viewAuditEntry(canonicalBytes(control)));
  EXPECT_TRUE(parseAuditEntry(canonicalBytes(control)).ok());
}

TEST(AuditEntryView, RefusesWhatTheFullReaderRefuses) {
  auto plain = sample();
  plain.actor = "档案员 王 李";
  const std::string good = canonicalBytes(plain);
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  for (const std::string& bad :
       {std::string(""), good + " ", good.substr(0, good.size() - 1),
        good.substr(0, good.find("档案员") + 2), replaced("\"seq\":12345", "\"seq\":012345"),
        replaced("\"v\":1", "\"v\":2"), replaced("档案员", "\xff\xfe"), replaced("档案员", "\t"),
        replaced("档案员", "a\"b"), replaced("2026-11-23T05:27:15.434Z", "2026-11-23T05:27:15Z"),
        replaced("T05:27:15.434Z", "T05:27:60.434Z"), replaced("\"version\":3", "\"version\":-0"),
        replaced(",\"client\"", ",\"extra\":1,\"client\""),
        replaced(std::string(kGenesisHash), "\"")}) {
    EXPECT_FALSE(viewAuditEntry(bad)) << bad;
    expectViewAgrees(bad);
  }
}

// Hostile bytes: every canonical entry, cut, with bytes flipped, dropped, doubled and replaced
// by the characters the layout turns on; wherever the view reader accepts, the full reader
// must accept the same entry.
TEST(AuditEntryView, AgreesWithTheFullReaderOnMangledBytes) {
  auto plain = sample();
  plain.actor = "档案员 王 李";
  auto escaped = sample();
  auto noVersion = plain;
  noVersion.object_version.reset();
  std::mt19937 random(23);
  const std::string specials = "\"\\{}:,0-19aTZ.\x01\x7f\xe6";
  int viewed = 0;
  for (const auto& entry : {plain, escaped, noVersion}) {
    const std::string good = canonicalBytes(entry);
    for (std::size_t cut = 0; cut <= good.size(); ++cut) expectViewAgrees(good.substr(0, cut));
    for (int round = 0; round < 20000; ++round) {
      std::string bytes = good;
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int e = 0; e < edits && !bytes.empty(); ++e) {
        const std::size_t at = random() % bytes.size();
        switch (random() % 4) {
          case 0:
            bytes[at] = static_cast<char>(random() % 256);
            break;
          case 1:
            bytes.erase(at, 1);
            break;
          case 2:
            bytes.insert(at, 1, bytes[at]);
            break;
          default:
            bytes[at] = specials[random() % specials.size()];
            break;
        }
      }
      expectViewAgrees(bytes);
      viewed += viewAuditEntry(bytes) ? 1 : 0;
    }
  }
  // Some mangled entries are still canonical (a digit of a hash changed): the test saw both.
  EXPECT_GT(viewed, 0);
}

}  // namespace
}  // namespace gongkai::core
