#include "pdfa_converter.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "child_process.h"
#include "gongkai/indexer/limited_child.h"

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

std::string logTail(const fs::path& log) {
  std::ifstream in(log, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  if (all.size() > 400) {
    std::size_t from = all.size() - 400;
    while (from < all.size() && (static_cast<unsigned char>(all[from]) & 0xC0) == 0x80) ++from;
    all = "…" + all.substr(from);
  }
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
  indexer::ChildSpec spec;
  spec.argv = args;
  spec.env = env;
  spec.output_file = log.string();
  // CPU time as much as the wall clock allows one process; files written (the PDF, the profile)
  // each no larger than max_output_bytes. No system call filter (seccomp) as the extractor could
  // have: LibreOffice needs threads, shared memory, sockets between its processes, fork and exec
  // of its own helpers and the fonts' and profile's files, which leaves nothing worth filtering.
  spec.limits.cpu = options_.timeout;
  spec.limits.max_file_bytes = options_.max_output_bytes;
  int error = 0;
  auto child = indexer::LimitedChild::start(spec, error);
  if (!child) {
    return Error::make(
        ErrorCode::kUnsupported, "conversion_failed",
        std::string("无法启动转换程序 (cannot start the converter): ") + std::strerror(error));
  }
  const int status = child->wait(Clock::now() + options_.timeout);
  const bool timedOut = child->killedLate();
  const bool exited = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  const fs::path made = folder.path / "out" / "document.pdf";
  if (timedOut) {
    return Error::make(ErrorCode::kUnsupported, "conversion_timeout",
                       "转换超时，已终止 (converter killed after " +
                           std::to_string(options_.timeout.count()) + " s): " + logTail(log));
  }
  if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGXFSZ)) {
    return Error::make(ErrorCode::kUnsupported, "conversion_limit",
                       "转换程序超出资源限制，已终止 (converter " +
                           indexer::describeChildStatus(status) + "): " + logTail(log));
  }
  if (!exited || !fs::is_regular_file(made, ec) || fs::file_size(made, ec) == 0) {
    return Error::make(ErrorCode::kUnsupported, "conversion_failed",
                       "转换失败 (conversion failed, " + indexer::describeChildStatus(status) +
                           "): " + logTail(log));
  }
  fs::copy_file(made, output, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    return Error::make(ErrorCode::kIo, "converter_output",
                       "无法保存转换结果 (cannot keep the converted file): " + ec.message());
  }
  return core::okStatus();
}

}  // namespace gongkai::server::service
