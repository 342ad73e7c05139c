#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace gongkai::server::service {

// A long-running helper program this server runs beside itself (xapian-replicate-server,
// xapian-replicate). It never outlives the server: stop() and the destructor kill its process
// group, and the kernel kills it (PR_SET_PDEATHSIG) when the thread that started it ends, however
// the server ends, kill -9 included; so start it from a thread that lives as long as it should.
// Its output goes to the server's own stdout and stderr. Not thread-safe.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts `argv` (argv[0] a path, see findProgram) after stopping what runs now; false when the
  // fork failed.
  bool start(const std::vector<std::string>& argv);
  // Kills it (SIGKILL to its process group) and reaps it.
  void stop();
  // Whether it was started and has not exited since (reaping it when it has).
  bool running();
  // How it last ended, as a sentence for the log ("" while it runs or never ran).
  const std::string& lastExit() const { return lastExit_; }

 private:
  pid_t pid_ = -1;
  std::string lastExit_;
};

// The full path of `program` found in PATH, "" when it is not there.
std::string findProgram(const std::string& program);

}  // namespace gongkai::server::service
