// Covers exec against the real engine: output and exit codes, per-exec env,
// user and workdir, streaming, large output, the deadline, detached execs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/util/error.h"
#include "tests/docker/docker_test_env.h"

namespace cirque::docker::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::ElementsAre;

class ExecTest : public ::testing::Test {
 protected:
  ScopedContainer container_{ContainerSpec{}};
};

TEST_F(ExecTest, SeparatesStdoutStderrAndExitCode) {
  ExecResult result = Client().Exec(
      container_.id(), {.cmd = {"sh", "-c", "echo out; echo err >&2; exit 4"}});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.stdout_text, "out\n");
  EXPECT_EQ(result.stderr_text, "err\n");
}

TEST_F(ExecTest, ArgumentsAreNotParsedByAShell) {
  ExecResult result = Client().Exec(container_.id(), {.cmd = {"echo", "$(id); rm -rf /"}});
  EXPECT_EQ(result.stdout_text, "$(id); rm -rf /\n");
}

TEST_F(ExecTest, AppliesEnvUserAndWorkdirPerExec) {
  ExecResult result = Client().Exec(
      container_.id(), {.cmd = {"sh", "-c", "echo $PHASE $(id -u) $(pwd)"},
                        .env = {"PHASE=provisioning"},
                        .user = "nobody",
                        .working_dir = "/tmp"});
  EXPECT_EQ(result.stdout_text, "provisioning 65534 /tmp\n");
}

TEST_F(ExecTest, StreamsOutputToTheCallbackInOrder) {
  std::vector<std::string> pieces;
  ExecSpec spec;
  spec.cmd = {"sh", "-c", "echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three"};
  spec.on_output = [&](OutputStream stream, std::string_view data) {
    pieces.push_back((stream == OutputStream::kStderr ? "err:" : "out:") + std::string(data));
  };
  ExecResult result = Client().Exec(container_.id(), spec);
  EXPECT_THAT(pieces, ElementsAre("out:one\n", "err:two\n", "out:three\n"));
  EXPECT_EQ(result.stdout_text, "one\nthree\n");
}

TEST_F(ExecTest, CarriesLargeOutput) {
  ExecResult result = Client().Exec(
      container_.id(), {.cmd = {"sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x; echo done >&2"}});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text, std::string(3000000, 'x'));
  EXPECT_EQ(result.stderr_text, "done\n");
}

TEST_F(ExecTest, DeadlineKillsTheProcessAndNamesCommandAndDeadline) {
  ExecSpec spec;
  spec.cmd = {"sleep", "4242"};
  spec.deadline = std::chrono::milliseconds(500);
  try {
    Client().Exec(container_.id(), spec);
    FAIL() << "exec outlived its deadline without an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), AllOf(HasSubstr("sleep 4242"), HasSubstr("500 ms"),
                                    HasSubstr("was killed")));
  }
  ExecResult ps = Client().Exec(container_.id(), {.cmd = {"ps", "-o", "args"}});
  EXPECT_THAT(ps.stdout_text, Not(HasSubstr("sleep 4242")));
}

TEST_F(ExecTest, DetachedExecRunsInTheBackground) {
  std::string exec_id = Client().ExecDetached(
      container_.id(), {.cmd = {"sh", "-c", "echo started > /tmp/bg; sleep 1; echo done > /tmp/bg"}});
  ExecInfo info = Client().InspectExec(exec_id);
  EXPECT_TRUE(info.running);
  EXPECT_GT(info.pid, 0);
  // Wait for the background process on its own terms, with a deadline.
  ExecResult waited = Client().Exec(
      container_.id(),
      {.cmd = {"sh", "-c", "until grep -q done /tmp/bg 2>/dev/null; do sleep 0.05; done"},
       .deadline = std::chrono::seconds(20)});
  EXPECT_EQ(waited.exit_code, 0);
  for (int i = 0; i < 200 && Client().InspectExec(exec_id).running; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  info = Client().InspectExec(exec_id);
  EXPECT_FALSE(info.running);
  EXPECT_EQ(info.exit_code, 0);
}

TEST_F(ExecTest, MissingProgramIsANonZeroResult) {
  ExecResult result = Client().Exec(container_.id(), {.cmd = {"/no/such/program"}});
  EXPECT_NE(result.exit_code, 0);
}

TEST(ExecErrorsTest, ExecInAStoppedContainerIsAConflict) {
  ScopedContainer container(ContainerSpec{}, /*start=*/false);
  try {
    Client().Exec(container.id(), {.cmd = {"true"}});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kConflict);
    EXPECT_THAT(error.what(), HasSubstr("not running"));
  }
}

}  // namespace
}  // namespace cirque::docker::testing
