#include "gongkai/indexer/limited_child.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

namespace gongkai::indexer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ChildSpec shell(const std::string& script, const fs::path& output) {
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.output_file = output.string();
  return spec;
}

TEST(LimitedChild, AWriteBeyondTheFileSizeLimitKillsIt) {
  testing::TempDir temp;
  ChildSpec spec = shell("exec head -c 4194304 /dev/zero > '" + (temp / "big") + "'", temp / "log");
  spec.limits.max_file_bytes = 1 << 20;
  int error = 0;
  auto child = LimitedChild::start(spec, error);
  ASSERT_TRUE(child) << std::strerror(error);
  const int status = child->wait(Clock::now() + std::chrono::seconds(30));
  ASSERT_TRUE(WIFSIGNALED(status)) << describeChildStatus(status);
  EXPECT_EQ(WTERMSIG(status), SIGXFSZ);
  EXPECT_EQ(describeChildStatus(status), "killed: file size limit (SIGXFSZ)");
  EXPECT_EQ(fs::file_size(temp / "big"), 1u << 20);
}

TEST(LimitedChild, CpuBeyondItsLimitKillsIt) {
  testing::TempDir temp;
  ChildSpec spec = shell("while :; do :; done", temp / "log");
  spec.limits.cpu = std::chrono::seconds(1);
  int error = 0;
  auto child = LimitedChild::start(spec, error);
  ASSERT_TRUE(child) << std::strerror(error);
  const int status = child->wait(Clock::now() + std::chrono::seconds(30));
  EXPECT_FALSE(child->killedLate());
  ASSERT_TRUE(WIFSIGNALED(status)) << describeChildStatus(status);
  EXPECT_EQ(WTERMSIG(status), SIGXCPU);
}

TEST(LimitedChild, AtTheDeadlineItsWholeProcessGroupIsKilled) {
  testing::TempDir temp;
  // A helper in the background that would outlive a child killed alone.
  ChildSpec spec =
      shell("sleep 60 & echo $! > '" + (temp / "helper") + "'; sleep 60", temp / "log");
  int error = 0;
  auto child = LimitedChild::start(spec, error);
  ASSERT_TRUE(child) << std::strerror(error);
  const auto started = Clock::now();
  const int status = child->wait(Clock::now() + std::chrono::milliseconds(500));
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
  EXPECT_TRUE(child->killedLate());
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  // The helper, a child of the shell, was in its group: dead too (a zombie until whoever
  // inherited it reaps it, so its state is read rather than signalling the group).
  const std::string helper = readAll(temp / "helper");
  ASSERT_FALSE(helper.empty());
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    const std::string stat = readAll("/proc/" + std::to_string(std::stoi(helper)) + "/stat");
    const auto state = stat.rfind(") ");
    gone = stat.empty() || (state != std::string::npos && stat[state + 2] == 'Z');
    if (!gone) ::usleep(10'000);
  }
  EXPECT_TRUE(gone) << "helper " << readAll(temp / "helper");
}

TEST(LimitedChild, ItInheritsNoDescriptorButItsOwnThreeAndTheGivenEnvironment) {
  testing::TempDir temp;
  const int leaked = ::open("/dev/null", O_RDONLY);  // not close-on-exec
  ASSERT_GE(leaked, 3);
  ChildSpec spec = shell("ls /proc/self/fd; echo \"env:$GONGKAI_MARK:$HOME\"", temp / "log");
  spec.env = std::vector<std::string>{"GONGKAI_MARK=here", "PATH=/usr/bin:/bin"};
  int error = 0;
  auto child = LimitedChild::start(spec, error);
  ASSERT_TRUE(child) << std::strerror(error);
  const int status = child->wait(Clock::now() + std::chrono::seconds(30));
  ::close(leaked);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << describeChildStatus(status);
  const std::string output = readAll(temp / "log");
  // 0, 1, 2 and the one ls opens to read the folder; never `leaked`.
  std::istringstream lines(output);
  std::string line;
  int descriptors = 0;
  while (std::getline(lines, line) && line.rfind("env:", 0) != 0) ++descriptors;
  EXPECT_EQ(descriptors, 4) << output;
  EXPECT_NE(output.find("env:here:\n"), std::string::npos) << output;
}

TEST(LimitedChild, AProgramThatCannotRunIsReportedWithItsErrno) {
  int error = 0;
  ChildSpec spec;
  spec.argv = {"/nonexistent/program"};
  EXPECT_FALSE(LimitedChild::start(spec, error));
  EXPECT_EQ(error, ENOENT);
}

}  // namespace
}  // namespace gongkai::indexer
