#include "support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::testing {
namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::string& logPath) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // The child goes when the test or bench does, however that ends: an uncaught exception
    // (which skips the destructor that would stop it), a crash or a kill. Without this a failed
    // bench left its server running.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent went before the line above
    const int fd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

int waitFor(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace

ServerProcess::ServerProcess(std::string dataDir, std::vector<std::string> extraArgs)
    : dataDir_(std::move(dataDir)) {
  static std::atomic<int> counter{0};
  logPath_ = (std::filesystem::path(dataDir_).parent_path() /
              ("server-" + std::to_string(counter++) + ".log"))
                 .string();
  std::filesystem::create_directories(dataDir_);
  const std::string portFile = dataDir_ + "/server.port";
  std::error_code ignored;  // a read-only data folder is for the server to refuse, not for us
  std::filesystem::remove(portFile, ignored);
  // Password hashing at OWASP strength costs a third of a second a login; tests use a fast
  // setting (the strength itself is tested in core).
  std::vector<std::string> argv = {GONGKAI_SERVER_BINARY,
                                   "--data-dir",
                                   dataDir_,
                                   "--port",
                                   "0",
                                   "-D",
                                   "gongkai.auth.pbkdf2_iterations=1000"};
  if (const std::string url = testStoreUrl(dataDir_); !url.empty()) {
    argv.insert(argv.end(), {"-D", "gongkai.store.url=" + url});
  }
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  pid_ = spawn(argv, logPath_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = readFile(portFile);
    if (!text.empty() && text.back() == '\n') {
      port_ = std::stoi(text);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("gongkai-server exited at start:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill();
  throw std::runtime_error("gongkai-server did not start in time:\n" + log());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = waitFor(pid_, std::chrono::seconds(60));
  if (code < 0) {
    kill();
    return -1;
  }
  pid_ = -1;
  return code;
}

void ServerProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitFor(pid_, std::chrono::seconds(30));
  pid_ = -1;
}

std::string ServerProcess::log() const { return readFile(logPath_); }

int runCommand(const std::vector<std::string>& argv, std::string& output) {
  TempDir scratch;
  const std::string logPath = scratch / "output.txt";
  const pid_t pid = spawn(argv, logPath);
  const int code = waitFor(pid, std::chrono::seconds(300));
  output = readFile(logPath);
  return code;
}

}  // namespace gongkai::testing
