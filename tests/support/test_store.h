#pragma once

#include <Poco/Data/Session.h>

#include <memory>
#include <string>

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

// Store options with that URL.
server::store::StoreOptions testStoreOptions(const std::string& dataDir);

// A connection of the test's own to the database a store on `dataDir` uses (its store.db, or its
// PostgreSQL database), for tests that damage what the store keeps behind its back.
std::unique_ptr<Poco::Data::Session> openTestDatabase(const std::string& dataDir);

}  // namespace gongkai::testing
