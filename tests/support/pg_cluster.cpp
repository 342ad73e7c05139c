#include "support/pg_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace gongkai::testing {
namespace fs = std::filesystem;

namespace {

// The account PostgreSQL runs as when we are root, since initdb will not.
constexpr const char* kSystemUser = "postgres";
// The cluster's superuser, and the user the URLs name.
constexpr const char* kSuperuser = "gongkai";

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free port for PostgreSQL");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string makeClusterFolder() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/gongkai-pg-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam(kSystemUser);
    if (!user || ::chown(pattern.c_str(), user->pw_uid, user->pw_gid) != 0) {
      fs::remove_all(pattern);
      throw std::runtime_error(
          "running as root, PostgreSQL needs the system user 'postgres' (Debian's postgresql "
          "package makes it)");
    }
  }
  return pattern;
}

}  // namespace

std::string postgresBinDir() {
  if (const char* given = std::getenv("GONGKAI_PG_BIN"); given && *given) return given;
  std::string newest;
  int newestVersion = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > newestVersion && fs::exists(entry.path() / "bin" / "initdb")) {
      newestVersion = version;
      newest = (entry.path() / "bin").string();
    }
  }
  return newest;
}

PgCluster::PgCluster(Durability durability)
    : binDir_(postgresBinDir()),
      // A throwaway cluster need not survive a power cut: without fsync its tests and its
      // shutdown checkpoint do not wait for the disk.
      serverOptions_(durability == Durability::kThrowaway ? " -c fsync=off" : "") {
  if (binDir_.empty()) {
    throw std::runtime_error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)");
  }
  dir_ = makeClusterFolder();
  try {
    run("initdb", {"-D", dir_ + "/data", "-U", kSuperuser, "--auth=trust", "--encoding=UTF8",
                   "--locale=C.UTF-8", "--no-sync"});
    // A port taken between freePort() and the start is retried on another.
    for (int attempt = 0; !started_; ++attempt) {
      port_ = freePort();
      try {
        run("pg_ctl",
            {"start", "-w", "-t", "60", "-D", dir_ + "/data", "-l", dir_ + "/server.log", "-o",
             "-p " + std::to_string(port_) + " -k " + dir_ + " -c listen_addresses=127.0.0.1" +
                 serverOptions_});
        started_ = true;
      } catch (const std::runtime_error&) {
        if (attempt == 2) throw;
      }
    }
  } catch (...) {
    fs::remove_all(dir_);
    throw;
  }
}

PgCluster::~PgCluster() {
  if (started_) {
    try {
      run("pg_ctl", {"stop", "-w", "-m", "fast", "-D", dir_ + "/data"});
    } catch (const std::exception&) {
      // Removing the folder below leaves the postmaster nothing to run on; it stops itself.
    }
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::vector<std::string> PgCluster::clientArgs(std::vector<std::string> args) const {
  args.insert(args.begin(), {"-h", "127.0.0.1", "-p", std::to_string(port_), "-U", kSuperuser});
  return args;
}

std::string PgCluster::createDatabase(const std::string& name) {
  run("createdb", clientArgs({name}));
  return "postgresql://" + std::string(kSuperuser) + "@127.0.0.1:" + std::to_string(port_) + "/" +
         name;
}

void PgCluster::copyDatabase(const std::string& from, const std::string& to) {
  run("createdb", clientArgs({"-T", from, to}));
}

void PgCluster::dropDatabase(const std::string& name) { run("dropdb", clientArgs({name})); }

std::string PgCluster::log() const { return readFile(dir_ + "/server.log"); }

std::string PgCluster::run(const std::string& program, const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  if (::geteuid() == 0) argv = {"runuser", "-u", kSystemUser, "--"};
  argv.push_back(binDir_ + "/" + program);
  argv.insert(argv.end(), args.begin(), args.end());
  std::string output;
  if (runCommand(argv, output) != 0) {
    throw std::runtime_error(program + " failed:\n" + output + "\n" + log());
  }
  return output;
}

}  // namespace gongkai::testing
