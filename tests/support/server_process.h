#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace gongkai::testing {

// The real gongkai-server binary, started on a free port against `dataDir`. Its output goes to
// `dataDir`/../server-N.log, which failures print. Stops it with SIGTERM on destruction, or when
// the thread that started it ends (PR_SET_PDEATHSIG), so start it from one that lives as long.
class ServerProcess {
 public:
  explicit ServerProcess(std::string dataDir, std::vector<std::string> extraArgs = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // SIGTERM and wait; returns the exit status (or -1 when it had to be killed).
  int stop();
  // SIGKILL and reap, as a crash would.
  void kill();
  std::string log() const;

 private:
  std::string dataDir_;
  std::string logPath_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Runs a command to completion; returns its exit code and fills `output` with stdout+stderr.
int runCommand(const std::vector<std::string>& argv, std::string& output);

}  // namespace gongkai::testing
