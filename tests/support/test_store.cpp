#include "support/test_store.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "support/pg_cluster.h"
#ifdef GONGKAI_WITH_POSTGRESQL
#include <Poco/Data/PostgreSQL/Connector.h>
#endif

namespace gongkai::testing {

bool testingPostgresql() {
  const char* store = std::getenv("GONGKAI_TEST_STORE");
  return store && std::string(store) == "postgresql";
}

std::string testStoreUrl(const std::string& dataDir) {
  if (!testingPostgresql()) return "";
  static std::mutex mutex;
  static std::unique_ptr<PgCluster> cluster;
  static std::map<std::string, std::string> urls;
  std::lock_guard lock(mutex);
  const std::string key = std::filesystem::weakly_canonical(dataDir).string();
  if (const auto found = urls.find(key); found != urls.end()) return found->second;
  if (!cluster) {
    // Measurements (tests/bench) ask for PostgreSQL's default durability; tests do without.
    const char* fsync = std::getenv("GONGKAI_TEST_PG_FSYNC");
    cluster = std::make_unique<PgCluster>(fsync && std::string(fsync) == "1"
                                              ? PgCluster::Durability::kFsync
                                              : PgCluster::Durability::kThrowaway);
  }
  const std::string url = cluster->createDatabase("test_" + std::to_string(urls.size() + 1));
  urls[key] = url;
  return url;
}

std::unique_ptr<Poco::Data::Session> openTestDatabase(const std::string& dataDir) {
  const std::string url = testStoreUrl(dataDir);
  if (url.empty()) {
    Poco::Data::SQLite::Connector::registerConnector();
    return std::make_unique<Poco::Data::Session>("SQLite", dataDir + "/store.db");
  }
#ifdef GONGKAI_WITH_POSTGRESQL
  Poco::Data::PostgreSQL::Connector::registerConnector();
  const Poco::URI uri(url);  // as PgCluster makes them: postgresql://user@host:port/dbname
  return std::make_unique<Poco::Data::Session>(
      "PostgreSQL", "host=" + uri.getHost() + " port=" + std::to_string(uri.getPort()) +
                        " user=" + uri.getUserInfo() + " dbname=" + uri.getPath().substr(1));
#else
  throw std::runtime_error("this build has no PostgreSQL backend");
#endif
}

server::store::StoreOptions testStoreOptions(const std::string& dataDir) {
  server::store::StoreOptions options;
  options.url = testStoreUrl(dataDir);
  return options;
}

}  // namespace gongkai::testing
