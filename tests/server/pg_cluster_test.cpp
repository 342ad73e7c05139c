// The temporary PostgreSQL cluster the store's PostgreSQL tests run on: it starts, a database
// made in it takes a connection through Poco's PostgreSQL connector, and it is gone afterwards.
#include "support/pg_cluster.h"

#include <gtest/gtest.h>

#ifdef GONGKAI_WITH_POSTGRESQL
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/URI.h>

#include <filesystem>

namespace gongkai::testing {
namespace {
using namespace Poco::Data::Keywords;

TEST(PgClusterTest, StartsTakesAConnectionAndIsRemovedAfterwards) {
  Poco::Data::PostgreSQL::Connector::registerConnector();
  std::string folder;
  {
    PgCluster cluster;
    folder = cluster.folder();
    const Poco::URI url(cluster.createDatabase("probe"));
    EXPECT_EQ(url.getPort(), cluster.port());
    Poco::Data::Session session(
        "PostgreSQL",
        "host=127.0.0.1 port=" + std::to_string(url.getPort()) + " user=gongkai dbname=probe");
    std::string version;
    session << "SHOW server_version", into(version), now;
    EXPECT_FALSE(version.empty());
    int answer = 0;
    session << "SELECT $1::int + 1", bind(41), into(answer), now;
    EXPECT_EQ(answer, 42);
  }
  EXPECT_FALSE(std::filesystem::exists(folder));
}

}  // namespace
}  // namespace gongkai::testing
#endif
