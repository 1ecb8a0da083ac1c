// Covers running host programs: output capture, exit codes, stdin, missing
// programs and the deadline.
#include "cirque_test/util/subprocess.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"

namespace cirque {
namespace {

using ::testing::HasSubstr;

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
