#pragma once

#include <string>
#include <vector>

namespace gongkai::testing {

// A throwaway PostgreSQL cluster for tests: initdb into a fresh folder under $TMPDIR (or /tmp),
// the server started by pg_ctl on a free port of 127.0.0.1 with trust authentication, stopped
// and the folder removed on destruction. initdb refuses to run as root, so as root (CI) every
// PostgreSQL program runs as Debian's `postgres` system user, which owns the folder. The
// constructor throws std::runtime_error with the programs' output when a step fails.
class PgCluster {
 public:
  enum class Durability { kThrowaway, kFsync };
  // kFsync keeps PostgreSQL's default fsync = on (for measurements); tests need not wait for it.
  explicit PgCluster(Durability durability = Durability::kThrowaway);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  int port() const { return port_; }
  // The folder holding the cluster, its socket and its log; removed on destruction.
  const std::string& folder() const { return dir_; }
  // Creates an empty database `name` (letters, digits, _) and returns its URL, as
  // gongkai.store.url takes it.
  std::string createDatabase(const std::string& name);
  // Makes database `to` a copy of `from` (its template), which nobody may be connected to.
  void copyDatabase(const std::string& from, const std::string& to);
  // Drops database `name`, which nobody may be connected to.
  void dropDatabase(const std::string& name);
  // The server's log so far.
  std::string log() const;

 private:
  std::string run(const std::string& program, const std::vector<std::string>& args);
  // `args` of a client program (createdb, dropdb) after the options that reach this cluster.
  std::vector<std::string> clientArgs(std::vector<std::string> args) const;
  std::string dir_;
  std::string binDir_;
  std::string serverOptions_;
  int port_ = 0;
  bool started_ = false;
};

// The folder holding PostgreSQL's server programs: $GONGKAI_PG_BIN, else the newest
// /usr/lib/postgresql/<version>/bin (Debian's layout); empty when there is none.
std::string postgresBinDir();

}  // namespace gongkai::testing
