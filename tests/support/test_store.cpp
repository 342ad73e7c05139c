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

namespace {

std::mutex clusterMutex;

// The one cluster of this process, started on first use; call with clusterMutex held.
PgCluster& cluster() {
  static std::unique_ptr<PgCluster> started;
  if (!started) {
    // Measurements (tests/bench) ask for PostgreSQL's default durability; tests do without.
    const char* fsync = std::getenv("GONGKAI_TEST_PG_FSYNC");
    started = std::make_unique<PgCluster>(fsync && std::string(fsync) == "1"
                                              ? PgCluster::Durability::kFsync
                                              : PgCluster::Durability::kThrowaway);
  }
  return *started;
}

std::string databaseName(const std::string& url) { return Poco::URI(url).getPath().substr(1); }

}  // namespace

std::string testStoreUrl(const std::string& dataDir) {
  if (!testingPostgresql()) return "";
  static std::map<std::string, std::string> urls;
  std::lock_guard lock(clusterMutex);
  const std::string key = std::filesystem::weakly_canonical(dataDir).string();
  if (const auto found = urls.find(key); found != urls.end()) return found->second;
  const std::string url = cluster().createDatabase("test_" + std::to_string(urls.size() + 1));
  urls[key] = url;
  return url;
}

std::vector<std::string> withTestStore(std::vector<std::string> argv) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] != "--data-dir") continue;
    const std::string url = testStoreUrl(argv[i + 1]);
    if (!url.empty()) argv.insert(argv.end(), {"--store-url", url});
    break;
  }
  return argv;
}

SavedTestDatabase::SavedTestDatabase(std::string dataDir) : dataDir_(std::move(dataDir)) {
  const std::string url = testStoreUrl(dataDir_);
  if (url.empty()) {
    copy_ = dataDir_ + ".saved-store.db";
    std::filesystem::copy_file(dataDir_ + "/store.db", copy_,
                               std::filesystem::copy_options::overwrite_existing);
    return;
  }
  copy_ = databaseName(url) + "_saved";
  std::lock_guard lock(clusterMutex);
  cluster().copyDatabase(databaseName(url), copy_);
}

void SavedTestDatabase::putBack() const {
  const std::string url = testStoreUrl(dataDir_);
  if (url.empty()) {
    std::filesystem::copy_file(copy_, dataDir_ + "/store.db",
                               std::filesystem::copy_options::overwrite_existing);
    return;
  }
  std::lock_guard lock(clusterMutex);
  cluster().dropDatabase(databaseName(url));
  cluster().copyDatabase(copy_, databaseName(url));
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
                        " user=" + uri.getUserInfo() + " dbname=" + databaseName(url));
#else
  throw std::runtime_error("this build has no PostgreSQL backend");
#endif
}

std::vector<std::string> testStoreArgs(const std::string& dataDir) {
  const std::string url = testStoreUrl(dataDir);
  if (url.empty()) return {};
  return {"--store-url", url};
}

server::store::StoreOptions testStoreOptions(const std::string& dataDir) {
  server::store::StoreOptions options;
  options.url = testStoreUrl(dataDir);
  return options;
}

}  // namespace gongkai::testing
