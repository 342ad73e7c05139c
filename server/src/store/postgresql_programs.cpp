#include "postgresql_programs.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace gongkai::server::store {
namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

std::string findPostgresqlProgram(const std::string& program) {
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const fs::path candidate = fs::path(rest.substr(0, colon)) / program;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    }
  }
  std::string newest;
  int newestVersion = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const int version = std::atoi(entry.path().filename().c_str());
    const fs::path candidate = entry.path() / "bin" / program;
    if (version > newestVersion && ::access(candidate.c_str(), X_OK) == 0) {
      newestVersion = version;
      newest = candidate.string();
    }
  }
  return newest;
}

core::Status runPostgresqlProgram(const std::string& program, const std::vector<std::string>& args,
                                  const Database& database) {
  const std::string path = findPostgresqlProgram(program);
  if (path.empty()) {
    return Error::make(ErrorCode::kUnavailable, "postgresql_program_missing",
                       "找不到 " + program + "，请安装 PostgreSQL 客户端 (" + program +
                           " not found: install Debian's postgresql-client)");
  }
  Poco::Process::Args argv = args;
  // Never a password prompt: a tool run from cron would wait for it forever.
  argv.push_back("--no-password");
  argv.push_back("--dbname=" + database.connection);
  Poco::Process::Env env;
  if (!database.password.empty()) env["PGPASSWORD"] = database.password;
  std::string output;
  int exitCode = -1;
  try {
    // One pipe for both streams: reading them one after the other could stall on the other.
    Poco::Pipe pipe;
    Poco::ProcessHandle child = Poco::Process::launch(path, argv, nullptr, &pipe, &pipe, env);
    Poco::PipeInputStream in(pipe);
    Poco::StreamCopier::copyToString(in, output);
    exitCode = child.wait();
  } catch (const Poco::Exception& e) {
    return Error::make(ErrorCode::kIo, "postgresql_program_failed",
                       "无法运行 (cannot run) " + path + ": " + e.displayText());
  }
  if (exitCode != 0) {
    return Error::make(ErrorCode::kIo, "postgresql_program_failed",
                       program + " 失败 (failed, exit " + std::to_string(exitCode) + ") " +
                           database.name + ": " + output);
  }
  return core::okStatus();
}

}  // namespace gongkai::server::store
