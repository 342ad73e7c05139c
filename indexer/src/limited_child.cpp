// fork, not posix_spawn: posix_spawn cannot set resource limits in the child, and setting them
// afterwards (prlimit) leaves a window in which the program runs, and starts helpers, without
// them. Between fork and exec the child makes only async-signal-safe calls on memory prepared
// before the fork, as a multi-threaded parent requires.
#include "gongkai/indexer/limited_child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <thread>
#include <utility>

extern char** environ;

namespace gongkai::indexer {
namespace {

using Clock = std::chrono::steady_clock;

void setLimit(int resource, std::uint64_t soft, std::uint64_t hard) {
  const rlimit limit{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)};
  ::setrlimit(resource, &limit);
}

// Closes every descriptor from 3 up except `keep` (one of them).
void closeDescriptorsExcept(int keep) {
  if (keep > 3) ::close_range(3, static_cast<unsigned>(keep - 1), 0);
  if (::close_range(static_cast<unsigned>(keep + 1), UINT_MAX, 0) == 0) return;
  // Kernels before 5.9 have no close_range.
  rlimit open{};
  ::getrlimit(RLIMIT_NOFILE, &open);
  const int last = open.rlim_cur == RLIM_INFINITY || open.rlim_cur > 65536
                       ? 65536
                       : static_cast<int>(open.rlim_cur);
  for (int fd = 3; fd < last; ++fd) {
    if (fd != keep) ::close(fd);
  }
}

// In the child: never returns. Reports the errno of what failed on `report`, then exits 127.
[[noreturn]] void becomeChild(char* const* argv, char* const* envp, int outFd, int errFd,
                              const char* outputFile, const ChildLimits& limits, int report) {
  int failed = 0;
  ::setpgid(0, 0);
  struct sigaction defaults {};
  defaults.sa_handler = SIG_DFL;
  sigemptyset(&defaults.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &defaults, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  const int devNull = ::open("/dev/null", O_RDWR);
  if (devNull < 0) failed = errno;
  if (outputFile != nullptr) {
    const int file = ::open(outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (file < 0 && failed == 0) failed = errno;
    outFd = errFd = file;
  }
  if (failed == 0 && (::dup2(devNull, 0) < 0 || ::dup2(outFd >= 0 ? outFd : devNull, 1) < 0 ||
                      ::dup2(errFd >= 0 ? errFd : devNull, 2) < 0)) {
    failed = errno;
  }
  if (failed == 0) {
    if (limits.cpu.count() > 0) {
      const auto seconds = static_cast<std::uint64_t>(limits.cpu.count());
      setLimit(RLIMIT_CPU, seconds, seconds + 1);
    }
    if (limits.max_file_bytes > 0) {
      setLimit(RLIMIT_FSIZE, limits.max_file_bytes, limits.max_file_bytes);
    }
    if (limits.max_memory_bytes > 0) {
      setLimit(RLIMIT_AS, limits.max_memory_bytes, limits.max_memory_bytes);
    }
    closeDescriptorsExcept(report);  // `report` is close-on-exec
    ::execve(argv[0], argv, envp);
    failed = errno;
  }
  while (::write(report, &failed, sizeof failed) < 0 && errno == EINTR) {
  }
  ::_exit(127);
}

}  // namespace

std::optional<LimitedChild> LimitedChild::start(const ChildSpec& spec, int& error) {
  error = 0;
  if (spec.argv.empty()) {
    error = EINVAL;
    return std::nullopt;
  }
  std::vector<char*> argv, envp;
  for (const auto& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  if (spec.env) {
    for (const auto& var : *spec.env) envp.push_back(const_cast<char*>(var.c_str()));
    envp.push_back(nullptr);
  }
  char* const* environment = spec.env ? envp.data() : environ;
  const char* outputFile = spec.output_file.empty() || spec.stdout_fd >= 0 || spec.stderr_fd >= 0
                               ? nullptr
                               : spec.output_file.c_str();

  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    error = errno;
    return std::nullopt;
  }
  if (report[1] < 3) {  // the child's 0-2 are about to be replaced
    const int moved = ::fcntl(report[1], F_DUPFD_CLOEXEC, 3);
    ::close(report[1]);
    report[1] = moved;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(report[0]);
    becomeChild(argv.data(), environment, spec.stdout_fd, spec.stderr_fd, outputFile, spec.limits,
                report[1]);
  }
  ::close(report[1]);
  if (pid < 0) {
    error = errno;
    ::close(report[0]);
    return std::nullopt;
  }
  // Also in the parent, so a kill of the group cannot come before the child has made it.
  ::setpgid(pid, pid);
  LimitedChild child(pid);
  int failed = 0;
  ssize_t n;
  while ((n = ::read(report[0], &failed, sizeof failed)) < 0 && errno == EINTR) {
  }
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof failed)) {
    error = failed != 0 ? failed : ENOEXEC;
    child.wait(Clock::now());
    return std::nullopt;
  }
  return child;
}

LimitedChild::LimitedChild(LimitedChild&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), killedLate_(other.killedLate_) {}

LimitedChild::~LimitedChild() {
  if (pid_ > 0) {
    kill();
    wait(Clock::now());
  }
}

void LimitedChild::kill() const {
  if (pid_ > 0) ::kill(-pid_, SIGKILL);
}

int LimitedChild::wait(Clock::time_point deadline) {
  int status = 0;
  if (pid_ <= 0) return status;
  for (;;) {
    const bool late = Clock::now() >= deadline;
    if (late) {
      kill();
      killedLate_ = true;
    }
    const pid_t done = ::waitpid(pid_, &status, late ? 0 : WNOHANG);
    if (done == pid_) break;
    if (done < 0 && errno != EINTR) {
      status = -1;
      break;
    }
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill();
  pid_ = -1;
  return status;
}

std::string describeChildStatus(int status) {
  if (status < 0) return "lost (its status could not be read)";
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (!WIFSIGNALED(status)) return "status " + std::to_string(status);
  const int sig = WTERMSIG(status);
  if (sig == SIGXCPU) return "killed: CPU time limit (SIGXCPU)";
  if (sig == SIGXFSZ) return "killed: file size limit (SIGXFSZ)";
  return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
}

}  // namespace gongkai::indexer
