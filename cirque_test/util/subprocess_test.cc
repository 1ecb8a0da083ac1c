// Covers running host programs: output capture, exit codes, stdin, missing
// programs, the deadline, and the signal state children start with.
#include "cirque_test/util/subprocess.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

// A fresh folder of its own: pids repeat across sandboxes (each has its own
// pid namespace) while /tmp may be shared, so a pid is not unique enough.
std::filesystem::path MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern << ": " << std::strerror(errno);
  return pattern;
}

// The child's own signal state: grep reads /proc/self/status, which is grep's.
const std::vector<std::string> kSignalStateArgv = {"grep", "-E", "^Sig(Ign|Blk):", "/proc/self/status"};

// The mask on the `field` line ("SigIgn:\t0000000000001000") of status text.
uint64_t StatusMask(const std::string& status, const std::string& field) {
  size_t at = status.find(field + ":");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no " << field << " line in:\n" << status;
    return 0;
  }
  return std::stoull(status.substr(at + field.size() + 1), nullptr, 16);
}

// Bit (n - 1) of a /proc signal mask stands for signal n.
bool HasSignal(uint64_t mask, int signal_number) { return (mask >> (signal_number - 1)) & 1; }

// The library ignores SIGPIPE in this process (a child that stops reading
// its input must not kill the test); tests below set it themselves so their
// order does not matter.
void IgnoreSigpipeAsTheLibraryDoes() { signal(SIGPIPE, SIG_IGN); }

TEST(SubprocessTest, CapturesOutputAndExitCode) {
  ProcessResult result = RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.stdout_text, "out\n");
  EXPECT_EQ(result.stderr_text, "err\n");
}

TEST(SubprocessTest, PassesArgumentsWithoutAShell) {
  ProcessResult result = RunProcess({"echo", "a; rm -rf /", "$HOME"});
  EXPECT_EQ(result.stdout_text, "a; rm -rf / $HOME\n");
}

TEST(SubprocessTest, FeedsStdin) {
  ProcessOptions options;
  options.stdin_data = "hello";
  EXPECT_EQ(RunProcess({"cat"}, options).stdout_text, "hello");
}

TEST(SubprocessTest, MissingProgramIsNotFound) {
  try {
    RunProcess({"/nonexistent/tool"});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_THAT(error.what(), HasSubstr("/nonexistent/tool"));
  }
}

TEST(SubprocessTest, KillsAtTheDeadline) {
  ProcessOptions options;
  options.deadline = std::chrono::milliseconds(200);
  try {
    RunProcess({"sleep", "30"}, options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), AllOf(HasSubstr("sleep 30"), HasSubstr("200 ms")));
  }
}

TEST(SubprocessTest, DeadlineHoldsAfterTheChildClosesItsOutput) {
  ProcessOptions options;
  options.deadline = std::chrono::milliseconds(300);
  const auto started = Clock::now();
  try {
    RunProcess({"sh", "-c", "exec >&- 2>&-; exec sleep 30"}, options);
    FAIL() << "returned after the child had run for 30 s";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), AllOf(HasSubstr("sleep 30"), HasSubstr("300 ms")));
  }
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
}

TEST(SubprocessTest, ChildrenStartWithSigpipeAtItsDefault) {
  IgnoreSigpipeAsTheLibraryDoes();
  ProcessResult result = RunProcess(kSignalStateArgv);
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_FALSE(HasSignal(StatusMask(result.stdout_text, "SigIgn"), SIGPIPE)) << result.stdout_text;
}

TEST(SubprocessTest, PipelinesInChildrenEndQuietly) {
  IgnoreSigpipeAsTheLibraryDoes();
  // With SIGPIPE ignored, yes would see EPIPE and complain on stderr.
  ProcessResult result = RunProcess({"sh", "-c", "yes | head -n 1"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text, "y\n");
  EXPECT_EQ(result.stderr_text, "");
}

TEST(SubprocessTest, ChildrenStartWithNoSignalBlocked) {
  sigset_t usr1, previous;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &usr1, &previous), 0);
  ProcessResult result = RunProcess(kSignalStateArgv);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(StatusMask(result.stdout_text, "SigBlk"), 0u) << result.stdout_text;
}

TEST(SubprocessTest, DetachedChildrenStartWithDefaultSignals) {
  IgnoreSigpipeAsTheLibraryDoes();
  sigset_t usr1, previous;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &usr1, &previous), 0);
  const std::filesystem::path dir = MakeTempDir("cirque-subprocess-test-");
  const std::string log = dir / "child.log";
  int pid = SpawnDetached(kSignalStateArgv, log);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  std::stringstream text;
  text << std::ifstream(log).rdbuf();
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(HasSignal(StatusMask(text.str(), "SigIgn"), SIGPIPE)) << text.str();
  EXPECT_EQ(StatusMask(text.str(), "SigBlk"), 0u) << text.str();
}

TEST(SubprocessTest, OrThrowReportsExitAndLastLines) {
  try {
    RunProcessOrThrow({"sh", "-c", "echo first >&2; echo last >&2; exit 2"});
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("exited 2"), HasSubstr("last")));
  }
}

}  // namespace
}  // namespace cirque
