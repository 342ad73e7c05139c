#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gongkai::indexer {

// What a child program may use: each a resource limit set in the child before it runs the
// program, so everything it starts inherits them; 0 leaves that one unlimited.
struct ChildLimits {
  std::chrono::seconds cpu{0};         // RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL one later
  std::uint64_t max_file_bytes = 0;    // RLIMIT_FSIZE: a write past it gets SIGXFSZ
  std::uint64_t max_memory_bytes = 0;  // RLIMIT_AS
};

// How to start a child program.
struct ChildSpec {
  std::vector<std::string> argv;  // argv[0] a path: nothing is looked up in PATH
  // The whole environment; nullopt passes on this process's.
  std::optional<std::vector<std::string>> env;
  // Where its stdout and stderr go: a descriptor of this process (dup'ed into the child), or a
  // file (created or truncated, mode 0600), or /dev/null when neither is given. stdin is always
  // /dev/null.
  int stdout_fd = -1;
  int stderr_fd = -1;
  std::string output_file;  // stdout and stderr both, when the descriptors are -1
  ChildLimits limits;
};

// A program run as a child process in a box this server can always take down: its own process
// group (killed as a whole, so helpers it starts go with it), the limits above, stdin /dev/null,
// every descriptor above 2 closed, signals at their defaults and none blocked, whatever this
// process blocks or ignores. Killed with its group and reaped on every path out (destructor).
// Started with fork and only async-signal-safe calls before exec, so it is safe from any thread
// of a multi-threaded server. Used for the text extractor and the PDF/A converter. Not
// thread-safe itself: one owner.
class LimitedChild {
 public:
  // Starts it; on failure (fork, or the program could not be executed) returns nullopt and sets
  // `error` to the errno.
  static std::optional<LimitedChild> start(const ChildSpec& spec, int& error);

  LimitedChild(LimitedChild&& other) noexcept;
  LimitedChild& operator=(LimitedChild&&) = delete;
  LimitedChild(const LimitedChild&) = delete;
  LimitedChild& operator=(const LimitedChild&) = delete;
  ~LimitedChild();

  pid_t pid() const { return pid_; }
  // SIGKILL to its process group.
  void kill() const;
  // Waits for it to exit, killing its group once `deadline` passes, and returns the waitpid
  // status. The group is killed in any case once it has exited: a program may leave helpers
  // behind.
  int wait(std::chrono::steady_clock::time_point deadline);
  // True when wait() had to kill it at the deadline.
  bool killedLate() const { return killedLate_; }

 private:
  explicit LimitedChild(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  bool killedLate_ = false;
};

// How a child ended, as a phrase for a message: "exit status 1", "killed: CPU time limit
// (SIGXCPU)", "killed: file size limit (SIGXFSZ)", "killed by signal 9 (Killed)".
std::string describeChildStatus(int status);

}  // namespace gongkai::indexer
