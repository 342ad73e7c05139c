#include "pdfa_converter.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "child_process.h"

namespace gongkai::server::service {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using Clock = std::chrono::steady_clock;

// PDF/A-2b (SelectPdfVersion 2): PDF 1.7 based, the level LibreOffice reaches for any document.
constexpr const char* kFilter =
    "pdf:writer_pdf_Export:{\"SelectPdfVersion\":{\"type\":\"long\",\"value\":\"2\"}}";

// A private folder removed on every path out.
struct PrivateFolder {
  fs::path path;
  ~PrivateFolder() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

fs::path makePrivateFolder(const std::string& workDir) {
  static std::atomic<unsigned> counter{0};
  const fs::path base = workDir.empty() ? fs::temp_directory_path() : fs::path(workDir);
  std::error_code ec;
  fs::create_directories(base, ec);
  const fs::path folder =
      base / ("pdfa-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)));
  fs::remove_all(folder, ec);
  fs::create_directories(folder / "out", ec);
  fs::create_directories(folder / "home", ec);
  return ec ? fs::path() : folder;
}

// Starts argv in its own process group, stdin /dev/null, stdout and stderr to `log`, with the
// environment `env`.
pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const std::string& log, int& error) {
  std::vector<char*> argv, envp;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& var : env) envp.push_back(const_cast<char*>(var.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGALRM, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  error = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

// Waits for the child until `deadline`, then kills its group; true when it exited by itself
// with status 0. The group is killed in any case: soffice may leave helpers behind.
bool waitFor(pid_t pid, Clock::time_point deadline, bool& timedOut, int& status) {
  timedOut = false;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      status = -1;
      break;
    }
    if (Clock::now() >= deadline) {
      timedOut = true;
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(-pid, SIGKILL);
  return !timedOut && status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string logTail(const fs::path& log) {
  std::ifstream in(log, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  if (all.size() > 400) all = "…" + all.substr(all.size() - 400);
  for (char& c : all) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return all;
}

}  // namespace

std::string PdfaConverter::program() const {
  return options_.program.empty() ? std::string() : findProgram(options_.program);
}

core::Status PdfaConverter::convert(const std::string& input, const std::string& extension,
                                    const std::string& output) const {
  const std::string soffice = program();
  if (soffice.empty()) {
    return Error::make(ErrorCode::kUnavailable, "converter_unavailable",
                       "没有可用的 PDF/A 转换程序 (no PDF/A converter): " +
                           (options_.program.empty() ? std::string("off") : options_.program));
  }
  PrivateFolder folder{makePrivateFolder(options_.work_dir)};
  if (folder.path.empty()) {
    return Error::make(ErrorCode::kIo, "converter_folder",
                       "无法建立转换用的临时目录 (cannot make the conversion folder)");
  }
  const fs::path source = folder.path / ("document." + extension);
  std::error_code ec;
  fs::copy_file(input, source, ec);
  if (ec) {
    return Error::make(ErrorCode::kIo, "converter_input",
                       "无法复制待转换的文件 (cannot copy the file to convert): " + ec.message());
  }
  const fs::path log = folder.path / "soffice.log";
  const std::vector<std::string> args = {
      soffice,         "--headless",
      "--invisible",   "--norestore",
      "--nologo",      "--nodefault",
      "--nolockcheck", "-env:UserInstallation=file://" + (folder.path / "profile").string(),
      "--convert-to",  kFilter,
      "--outdir",      (folder.path / "out").string(),
      source.string()};
  const std::vector<std::string> env = {"HOME=" + (folder.path / "home").string(),
                                        "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                                        "TMPDIR=" + folder.path.string()};
  int error = 0;
  const pid_t pid = spawn(args, env, log.string(), error);
  if (pid < 0) {
    return Error::make(
        ErrorCode::kUnsupported, "conversion_failed",
        std::string("无法启动转换程序 (cannot start the converter): ") + std::strerror(error));
  }
  bool timedOut = false;
  int status = 0;
  const bool exited = waitFor(pid, Clock::now() + options_.timeout, timedOut, status);
  const fs::path made = folder.path / "out" / "document.pdf";
  if (timedOut) {
    return Error::make(ErrorCode::kUnsupported, "conversion_timeout",
                       "转换超时，已终止 (converter killed after " +
                           std::to_string(options_.timeout.count()) + " s): " + logTail(log));
  }
  if (!exited || !fs::is_regular_file(made, ec) || fs::file_size(made, ec) == 0) {
    return Error::make(ErrorCode::kUnsupported, "conversion_failed",
                       "转换失败 (conversion failed): " + logTail(log));
  }
  fs::copy_file(made, output, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    return Error::make(ErrorCode::kIo, "converter_output",
                       "无法保存转换结果 (cannot keep the converted file): " + ec.message());
  }
  return core::okStatus();
}

}  // namespace gongkai::server::service
