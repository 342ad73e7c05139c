#pragma once

#include <Poco/Data/Session.h>

#include <memory>
#include <string>
#include <vector>

#include "gongkai/server/store/store.h"

namespace gongkai::testing {

// Which database the tests' stores and servers use: SQLite in the data folder unless the
// environment says GONGKAI_TEST_STORE=postgresql. Then each data folder gets its own database
// in one PostgreSQL cluster (PgCluster) that the test process starts on first use and stops when
// it exits (with fsync off, unless GONGKAI_TEST_PG_FSYNC=1).
bool testingPostgresql();

// The gongkai.store.url for `dataDir`: "" for SQLite; for PostgreSQL the same database each time
// the same folder is asked for (a server restarted on it finds its records again).
std::string testStoreUrl(const std::string& dataDir);

// `argv` of an offline tool (`gongkai verify-log`, `backup`, `restore`, `user add`) pointed at the
// database of the folder its --data-dir names: unchanged for SQLite, with --store-url URL added
// for PostgreSQL.
std::vector<std::string> withTestStore(std::vector<std::string> argv);

// Store options with that URL.
server::store::StoreOptions testStoreOptions(const std::string& dataDir);

// A connection of the test's own to the database a store on `dataDir` uses (its store.db, or its
// PostgreSQL database), for tests that damage what the store keeps behind its back. Write
// parameters as $1, $2, ... in order: PostgreSQL's connector takes only those, and SQLite numbers
// such names in the order they appear.
std::unique_ptr<Poco::Data::Session> openTestDatabase(const std::string& dataDir);

// A copy of the database a store on `dataDir` uses, taken while no server runs on it, that
// putBack() restores over whatever was done to it since: a copy of store.db beside the folder,
// or a PostgreSQL database made from it as a template.
class SavedTestDatabase {
 public:
  explicit SavedTestDatabase(std::string dataDir);
  void putBack() const;

 private:
  std::string dataDir_;
  std::string copy_;  // the file, or the database name
};

}  // namespace gongkai::testing
