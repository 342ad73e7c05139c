// Kept queries (store/kept_statements.h): a statement prepared once per connection whose rows
// are read where they stand. Run against the real database of a store in a temporary folder:
// SQLite's kept sqlite3_stmt, or, under GONGKAI_TEST_STORE=postgresql, Poco::Data's RecordSet.
#include <Poco/Data/DataException.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "gongkai/core/password.h"
#include "gongkai/server/store/account_repository.h"
#include "store_internal.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::server::store {
namespace {

using gongkai::testing::TempDir;

struct ProbeRow {
  std::int64_t id;
  std::string label;
  bool amount_null;
  std::int64_t amount;
};

class KeptQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dataDir = dir_ / "data";
    auto opened = Store::open(dataDir, gongkai::testing::testStoreOptions(dataDir));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    auto database = databaseOf(dataDir, gongkai::testing::testStoreUrl(dataDir));
    ASSERT_TRUE(database.ok()) << database.error().message;
    session_ = openSession(database.value());
    // BLOB: BYTEA with PostgreSQL, read through the RecordSet's BLOB values.
    *session_ << session_->dialect().migrationStatement(
        "CREATE TABLE kept_probe (id BIGINT NOT NULL, label TEXT NOT NULL, "
        "amount BIGINT, bytes BLOB)"),
        Poco::Data::Keywords::now;
    session_->execute("INSERT INTO kept_probe (id, label, amount) VALUES (?, ?, ?)",
                      {KeptValue::integer(1), KeptValue::text("党务公开"),
                       KeptValue::optionalInteger(std::nullopt)});
    session_->execute("INSERT INTO kept_probe (id, label, amount) VALUES (?, ?, ?)",
                      {KeptValue::integer(2), KeptValue::text(""), KeptValue::integer(-7)});
    session_->execute(
        "INSERT INTO kept_probe (id, label, amount) VALUES (?, ?, ?)",
        {KeptValue::integer(3), KeptValue::text("it's \"quoted\""), KeptValue::integer(1LL << 40)});
  }

  std::vector<ProbeRow> probe(std::int64_t fromId) {
    std::vector<ProbeRow> rows;
    session_->query("SELECT id, label, amount FROM kept_probe WHERE id >= ? ORDER BY id",
                    {KeptValue::integer(fromId)}, [&rows](const KeptRow& row) {
                      rows.push_back({row.integer(0), row.text(1), row.isNull(2), row.integer(2)});
                    });
    return rows;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SqlSession> session_;
};

TEST_F(KeptQueryTest, ReadsEveryRowWithItsIntegersTextsAndNulls) {
  for (int run = 0; run < 3; ++run) {  // the first run prepares, the others reuse
    const auto rows = probe(1);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].id, 1);
    EXPECT_EQ(rows[0].label, "党务公开");
    EXPECT_TRUE(rows[0].amount_null);
    EXPECT_EQ(rows[0].amount, 0);  // a NULL reads as 0
    EXPECT_EQ(rows[1].label, "");
    EXPECT_FALSE(rows[1].amount_null);
    EXPECT_EQ(rows[1].amount, -7);
    EXPECT_EQ(rows[2].label, "it's \"quoted\"");
    EXPECT_EQ(rows[2].amount, 1LL << 40);
  }
  // Other parameters on the same kept statement; no rows calls nothing.
  EXPECT_EQ(probe(3).size(), 1u);
  EXPECT_TRUE(probe(4).empty());
}

TEST_F(KeptQueryTest, ReadsBytesWithNulsWholeAndANullBlobAsEmpty) {
  const std::string bytes("\x00\xff\x01 kept\x00", 8);
  session_->execute("INSERT INTO kept_probe (id, label, amount, bytes) VALUES (?, ?, ?, ?)",
                    {KeptValue::integer(4), KeptValue::text("bytes"), KeptValue::integer(0),
                     KeptValue::blob(bytes)});
  std::vector<std::pair<bool, std::string>> read;
  session_->query("SELECT bytes FROM kept_probe WHERE id >= ? ORDER BY id", {KeptValue::integer(3)},
                  [&read](const KeptRow& row) { read.emplace_back(row.isNull(0), row.text(0)); });
  ASSERT_EQ(read.size(), 2u);
  EXPECT_TRUE(read[0].first);  // row 3 has none
  EXPECT_EQ(read[0].second, "");
  EXPECT_FALSE(read[1].first);
  EXPECT_EQ(read[1].second, bytes);
}

TEST_F(KeptQueryTest, ACallbackThatThrowsLeavesTheStatementReadyForTheNextRun) {
  const std::string sql = "SELECT id, label, amount FROM kept_probe WHERE id >= ? ORDER BY id";
  int seen = 0;
  EXPECT_THROW(session_->query(sql, {KeptValue::integer(1)},
                               [&seen](const KeptRow&) {
                                 ++seen;
                                 throw std::runtime_error("stop at the first row");
                               }),
               std::runtime_error);
  EXPECT_EQ(seen, 1);
  // Left in the middle of its rows, the statement would refuse new parameters (SQLite's
  // SQLITE_MISUSE) or give the rest of the old run.
  EXPECT_EQ(probe(2).size(), 2u);
  EXPECT_EQ(probe(1).size(), 3u);
}

TEST_F(KeptQueryTest, ABadQueryThrowsAsPocoDataDoes) {
  const auto none = [](const KeptRow&) { FAIL() << "no row expected"; };
  EXPECT_THROW(
      session_->query("SELECT id FROM no_such_table WHERE id = ?", {KeptValue::integer(1)}, none),
      Poco::Data::DataException);
  EXPECT_THROW(session_->query("SELEC id FROM kept_probe", {}, none), Poco::Data::DataException);
  EXPECT_EQ(probe(1).size(), 3u);  // the connection is still good
}

// The session check's reads (a token by its digest, its user, the user's roles) as kept queries,
// on a reader's connection and inside a unit of work, before and after a change.
TEST_F(KeptQueryTest, AccountReadsGiveBackWhatWasWritten) {
  const std::string digest = core::tokenDigest(core::newToken());
  std::int64_t tokenId = 0, userId = 0;
  ASSERT_TRUE(store_
                  ->write([&](Transaction& tx) -> core::Status {
                    UserRecord user{0,
                                    "wang.fang",
                                    "王芳",
                                    "hash",
                                    false,
                                    2,
                                    "",
                                    "2026-12-06T01:00:00Z",
                                    {{"reviewer", ""}, {"archivist", ""}}};
                    userId = AccountRepository::insertUser(tx, user);
                    tokenId = AccountRepository::insertToken(
                        tx, digest,
                        TokenRecord{0, userId, "session", "浏览器", "2026-12-06T01:00:00Z",
                                    "2026-12-07T01:00:00Z", ""});
                    // Inside the unit of work, on the writer's connection.
                    EXPECT_EQ(AccountRepository::tokenById(tx, tokenId)->name, "浏览器");
                    EXPECT_EQ(AccountRepository::userByName(tx, "wang.fang")->id, userId);
                    return core::okStatus();
                  })
                  .ok());
  for (int run = 0; run < 2; ++run) {
    auto rs = store_->read();
    const auto token = AccountRepository::tokenByDigest(*rs, digest);
    ASSERT_TRUE(token);
    EXPECT_EQ(token->id, tokenId);
    EXPECT_EQ(token->user_id, userId);
    EXPECT_EQ(token->kind, "session");
    EXPECT_EQ(token->expires_at, "2026-12-07T01:00:00Z");
    EXPECT_EQ(token->revoked_at, "");
    const auto user = AccountRepository::userById(*rs, userId);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->username, "wang.fang");
    EXPECT_EQ(user->display_name, "王芳");
    EXPECT_FALSE(user->disabled);
    EXPECT_EQ(user->failed_logins, 2);
    // Roles come sorted.
    ASSERT_EQ(user->roles.size(), 2u);
    EXPECT_EQ(user->roles[0].role, "archivist");
    EXPECT_EQ(user->roles[1].role, "reviewer");
    EXPECT_FALSE(AccountRepository::tokenByDigest(*rs, core::tokenDigest(core::newToken())));
    EXPECT_FALSE(AccountRepository::userById(*rs, userId + 1000));
  }
  ASSERT_TRUE(store_
                  ->write([&](Transaction& tx) -> core::Status {
                    AccountRepository::revokeToken(tx, tokenId, "2026-12-06T02:00:00Z");
                    auto user = AccountRepository::userById(tx, userId);
                    user->disabled = true;
                    user->roles = {{"inspector", ""}};
                    AccountRepository::updateUser(tx, *user);
                    return core::okStatus();
                  })
                  .ok());
  auto rs = store_->read();
  EXPECT_EQ(AccountRepository::tokenByDigest(*rs, digest)->revoked_at, "2026-12-06T02:00:00Z");
  const auto user = AccountRepository::userById(*rs, userId);
  EXPECT_TRUE(user->disabled);
  ASSERT_EQ(user->roles.size(), 1u);
  EXPECT_EQ(user->roles[0].role, "inspector");
  EXPECT_EQ(AccountRepository::tokensOf(*rs, userId).size(), 1u);
}

}  // namespace
}  // namespace gongkai::server::store
