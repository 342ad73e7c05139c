// Extraction in a child process: `extractorBinary extract-text ...` (see gongkai_cli.cpp),
// started as a LimitedChild. The child limits its own memory and CPU; here we bound its
// wall-clock time and its output, and always reap it.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>
#include <vector>

#include "extract_detail.h"
#include "gongkai/indexer/extract.h"
#include "gongkai/indexer/limited_child.h"

namespace gongkai::indexer {
namespace {

using Clock = std::chrono::steady_clock;

// The child checks its own deadline; this grace covers its start-up before we kill it.
constexpr std::chrono::milliseconds kStartupGrace{2000};
constexpr std::size_t kStderrCap = 64 * 1024;
constexpr int kExitExtractFailed = 3;

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Both ends close-on-exec, so children other threads spawn meanwhile inherit neither.
bool makePipe(UniqueFd& readEnd, UniqueFd& writeEnd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  readEnd.reset(fds[0]);
  writeEnd.reset(fds[1]);
  return true;
}

Extraction failure(const std::string& format, const std::string& code, const std::string& message) {
  Extraction result;
  result.format = format;
  result.error_code = code;
  result.message = message;
  return result;
}

std::vector<std::string> childArguments(const std::string& binary, const std::string& path,
                                        std::string_view mediaType, std::string_view fileName,
                                        const ExtractionLimits& limits) {
  return {binary,
          "extract-text",
          "--media-type",
          std::string(mediaType),
          "--name",
          std::string(fileName),
          "--max-input-bytes",
          std::to_string(limits.max_input_bytes),
          "--max-text-bytes",
          std::to_string(limits.max_text_bytes),
          "--max-zip-entries",
          std::to_string(limits.max_zip_entries),
          "--max-expanded-bytes",
          std::to_string(limits.max_expanded_bytes),
          "--max-expansion-ratio",
          std::to_string(limits.max_expansion_ratio),
          "--time-limit-ms",
          std::to_string(limits.time_limit.count()),
          "--max-memory-bytes",
          std::to_string(limits.max_memory_bytes),
          "--",
          path};
}

struct ChildOutput {
  std::string out;
  std::string err;
  bool timedOut = false;
  bool overflow = false;  // more output than the text limit allows
};

// Reads both pipes until the child closes them, the deadline passes or it writes too much.
ChildOutput readChild(UniqueFd& out, UniqueFd& err, std::size_t outCap,
                      Clock::time_point deadline) {
  ChildOutput result;
  char buffer[64 * 1024];
  while (out.get() >= 0 || err.get() >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timedOut = true;
      return result;
    }
    pollfd fds[2] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return result;
    for (int i = 0; i < 2 && ready > 0; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      UniqueFd& fd = i == 0 ? out : err;
      std::string& sink = i == 0 ? result.out : result.err;
      const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n > 0) {
        sink.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fd.reset();
      }
    }
    if (result.out.size() > outCap) {
      result.overflow = true;
      return result;
    }
    if (result.err.size() > kStderrCap) err.reset();
  }
  return result;
}

// The child's last non-empty stderr line: "ok<TAB>format<TAB>truncated|complete" or
// "code<TAB>message".
std::vector<std::string> statusFields(const std::string& err) {
  std::string text = err;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::size_t start = text.rfind('\n');
  const std::string line = start == std::string::npos ? text : text.substr(start + 1);
  std::vector<std::string> fields;
  std::size_t from = 0;
  for (std::size_t tab; (tab = line.find('\t', from)) != std::string::npos && fields.size() < 2;
       from = tab + 1) {
    fields.push_back(line.substr(from, tab - from));
  }
  fields.push_back(line.substr(from));
  return fields;
}

Extraction interpret(int status, ChildOutput output, const std::string& format,
                     const ExtractionLimits& limits) {
  if (output.timedOut) {
    return failure(format, "timeout",
                   "提取文本超时，已终止 (extractor killed after the time limit)");
  }
  if (output.overflow) {
    return failure(format, "crashed",
                   "提取进程输出超出限制 (extractor wrote more than the text limit)");
  }
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU || sig == SIGALRM) {
      return failure(format, "timeout", "提取文本超时 (extractor ran out of time)");
    }
    return failure(format, "crashed",
                   std::string("提取进程崩溃 (extractor died of signal ") + std::to_string(sig) +
                       ": " + strsignal(sig) + ")");
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const auto fields = statusFields(output.err);
  if (code == 0 && fields.size() == 3 && fields[0] == "ok") {
    Extraction result;
    result.ok = true;
    result.format = fields[1];
    result.text = std::move(output.out);
    result.truncated = fields[2] == "truncated";
    result.truncated |= detail::truncateUtf8(result.text, limits.max_text_bytes);
    return result;
  }
  if (code == kExitExtractFailed && fields.size() >= 2) {
    return failure(format, fields[0],
                   fields.size() == 3 ? fields[1] + "\t" + fields[2] : fields[1]);
  }
  return failure(format, "crashed",
                 "提取进程异常退出 (extractor exited with status " + std::to_string(code) + ")");
}

Extraction runChild(const std::vector<std::string>& args, const std::string& format,
                    const ExtractionLimits& limits) {
  UniqueFd outRead, outWrite, errRead, errWrite;
  if (!makePipe(outRead, outWrite) || !makePipe(errRead, errWrite)) {
    return failure(format, "crashed",
                   std::string("无法启动提取进程 (pipe: ") + strerror(errno) + ")");
  }
  ChildSpec spec;
  spec.argv = args;
  spec.stdout_fd = outWrite.get();
  spec.stderr_fd = errWrite.get();
  // A backstop only: the child caps its own CPU time and memory tighter (limitResources in
  // gongkai_cli.cpp), where it knows whether AddressSanitizer forbids the memory cap.
  spec.limits.cpu = std::chrono::ceil<std::chrono::seconds>(limits.time_limit + kStartupGrace);
  int error = 0;
  auto started = LimitedChild::start(spec, error);
  if (!started) {
    return failure(
        format, "crashed",
        std::string("无法启动提取进程 (cannot start extractor: ") + strerror(error) + ")");
  }
  LimitedChild child = std::move(*started);
  started.reset();
  outWrite.reset();  // the child holds the write ends now; EOF comes when it exits
  errWrite.reset();
  const auto deadline = Clock::now() + limits.time_limit + kStartupGrace;
  ChildOutput output = readChild(outRead, errRead, limits.max_text_bytes + 64 * 1024, deadline);
  if (output.timedOut || output.overflow) child.kill();
  const int status = child.wait(deadline);
  output.timedOut |= child.killedLate() && !WIFEXITED(status);
  return interpret(status, std::move(output), format, limits);
}

std::string readHead(const std::string& path, std::size_t length) {
  std::ifstream in(path, std::ios::binary);
  std::string head(length, '\0');
  in.read(head.data(), static_cast<std::streamsize>(length));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

}  // namespace

Extraction extractIsolated(const std::string& extractorBinary, const std::string& path,
                           std::string_view mediaType, std::string_view fileName,
                           const ExtractionLimits& limits) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error || size > limits.max_input_bytes) {
    return extractFile(path, mediaType, fileName, limits);  // reports it without reading
  }
  const std::string head = readHead(path, 8192);
  const std::string format = detectFormat(head, mediaType, fileName);
  // Plain text (a copy with its encoding checked) needs no isolation; everything that parses
  // markup or containers does, HTML included: a parser's worst case then costs the child's time
  // limit, never the server's CPU or memory. A zip's real format is decided inside.
  const bool zip = head.rfind("PK\x03\x04", 0) == 0;
  if (!zip && (format.empty() || format == "text")) {
    return extractFile(path, mediaType, fileName, limits);
  }
  return runChild(childArguments(extractorBinary, path, mediaType, fileName, limits), format,
                  limits);
}

}  // namespace gongkai::indexer
