// A node's commands through the exec agent (cirque_test/home/exec_channel.h)
// against the real engine: the answers docker exec gives (exit codes,
// streams, missing programs, deadlines), commands of one node overlapping,
// a restarted node, a container stopped behind the node's back, and the
// time a command takes each way; and programs written into a node down an
// exec (program_install.h), as the agent is.
#include <chrono>
#include <future>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/program_install.h"
#include "cirque_test/util/error.h"
#include "fixtures/virtual_home_test.h"

namespace cirque::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class ExecAgentTest : public VirtualHomeTest {
 protected:
  std::vector<NodeSpec> HomeNodes() override { return {NodeSpec::Named("hub")}; }

  // What the tests compare is the agent's way; it starts in the background.
  void SetUp() override {
    VirtualHomeTest::SetUp();
    if (!IsSkipped() && !HasFatalFailure()) node("hub").AwaitExecChannel();
  }

  // The same command straight through docker exec, for comparison.
  docker::ExecResult DockerExec(const std::vector<std::string>& argv) {
    return home().client().Exec(node("hub").container_id(), {.cmd = argv, .deadline = std::chrono::seconds(30)});
  }
};

TEST_F(ExecAgentTest, NodesRunTheirCommandsThroughTheAgent) {
  node("hub").AwaitExecChannel();
  EXPECT_EQ(node("hub").Describe().exec_path, "exec agent");
}

TEST_F(ExecAgentTest, AProgramIsWrittenWholeDownAnExec) {
  // Bigger than a pipe's and a socket's buffers, so it streams.
  const std::string program = "#!/bin/sh\necho \"ran with $1\"\n#" + std::string(3 << 20, 'x') + "\n";
  home::InstallProgram(home().client(), node("hub").container_id(), "/usr/local/bin/cq-hello", program,
                       std::chrono::seconds(60));
  EXPECT_EQ(node("hub").Exec({"cq-hello", "an argument"}).stdout_text, "ran with an argument\n");
  EXPECT_EQ(node("hub").Exec({"wc", "-c", "/usr/local/bin/cq-hello"}).stdout_text,
            std::to_string(program.size()) + " /usr/local/bin/cq-hello\n");
  EXPECT_EQ(node("hub").Exec({"ls", "/usr/local/bin/cq-hello.new"}).exit_code, 2) << "nothing is left beside it";
}

TEST_F(ExecAgentTest, AProgramThatCannotBeWrittenGetsTheShellsWords) {
  // Small: refused after it was all written. Big: refused while it is
  // written, the engine closing the stream on the unsent rest.
  for (size_t size : {size_t{1}, size_t{8} << 20}) {
    try {
      home::InstallProgram(home().client(), node("hub").container_id(), "/no/such/folder/prog",
                           std::string(size, 'x'), std::chrono::seconds(60));
      ADD_FAILURE() << "a program of " << size << " bytes was written where no folder is";
    } catch (const Error& error) {
      EXPECT_THAT(error.what(), HasSubstr("/no/such/folder/prog.new")) << size;
      EXPECT_THAT(error.what(), ::testing::Not(HasSubstr("did the engine stop"))) << size;
    }
  }
}

TEST_F(ExecAgentTest, AnswersAsDockerExecDoes) {
  const std::vector<std::vector<std::string>> commands = {
      {"sh", "-c", "echo out; echo err >&2; exit 3"},
      {"printf", "%s|", "two words", "$HOME", "'quoted'"},
      {"sh", "-c", "echo $HOME $PATH; id -u; pwd"},
      {"cat", "/no/such/file"},
  };
  for (const auto& command : commands) {
    docker::ExecResult through_agent = node("hub").Exec(command, std::chrono::seconds(30));
    docker::ExecResult through_docker = DockerExec(command);
    EXPECT_EQ(through_agent.exit_code, through_docker.exit_code) << command.back();
    EXPECT_EQ(through_agent.stdout_text, through_docker.stdout_text) << command.back();
    EXPECT_EQ(through_agent.stderr_text, through_docker.stderr_text) << command.back();
  }
}

TEST_F(ExecAgentTest, AMissingProgramExits127) {
  docker::ExecResult result = node("hub").Exec({"no-such-program"});
  EXPECT_EQ(result.exit_code, 127) << result.stdout_text << result.stderr_text << node("hub").Describe().exec_path;
  EXPECT_THAT(result.stdout_text + result.stderr_text, HasSubstr("no-such-program"));
}

TEST_F(ExecAgentTest, ACommandPastItsDeadlineIsKilledAndTheNextRuns) {
  const auto start = Clock::now();
  try {
    node("hub").Exec({"sh", "-c", "echo begun; sleep 30"}, std::chrono::milliseconds(700));
    FAIL() << "the sleep outlived its deadline unreported";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kDeadlineExceeded);
    EXPECT_THAT(error.what(), HasSubstr("did not finish within its deadline of 700 ms and was killed"));
    EXPECT_THAT(error.what(), HasSubstr("begun"));
  }
  EXPECT_LT(SecondsSince(start), 10);
  EXPECT_EQ(node("hub").Describe().exec_path, "exec agent") << "the channel is still in use";
  docker::ExecResult left = node("hub").Exec({"sh", "-c", "ps -eo args | grep -c '^sleep 30' || true"});
  EXPECT_EQ(left.stdout_text, "0\n") << "the killed command's sleep lives on";
}

TEST_F(ExecAgentTest, CommandsOfOneNodeOverlap) {
  // One runs through the agent, the others beside it through docker exec.
  const auto start = Clock::now();
  std::vector<std::future<docker::ExecResult>> running;
  for (int i = 0; i < 3; ++i) {
    running.push_back(std::async(std::launch::async, [this] { return node("hub").Exec({"sleep", "2"}); }));
  }
  for (auto& each : running) EXPECT_EQ(each.get().exit_code, 0);
  EXPECT_LT(SecondsSince(start), 5.5) << "three 2 s commands ran one after the other";
}

TEST_F(ExecAgentTest, ARestartedNodeGetsItsAgentBack) {
  home().RestartNode("hub");
  node("hub").AwaitExecChannel();
  EXPECT_EQ(node("hub").Describe().exec_path, "exec agent");
  EXPECT_EQ(node("hub").Exec({"echo", "back"}).stdout_text, "back\n");
}

TEST_F(ExecAgentTest, AContainerStoppedBehindTheNodesBackAnswersAsDockerExecDoes) {
  home().client().StopContainer(node("hub").container_id(), std::chrono::seconds(1));
  try {
    node("hub").Exec({"true"});
    FAIL() << "a command ran in a stopped container";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kConflict) << error.what();
    EXPECT_THAT(error.what(), HasSubstr("is not running"));
  }
}

TEST_F(ExecAgentTest, ACommandThroughTheAgentCostsLessThanADockerExec) {
  constexpr int kCommands = 10;
  auto start = Clock::now();
  for (int i = 0; i < kCommands; ++i) ASSERT_EQ(node("hub").Exec({"true"}).exit_code, 0);
  const double agent = SecondsSince(start) / kCommands;
  start = Clock::now();
  for (int i = 0; i < kCommands; ++i) ASSERT_EQ(DockerExec({"true"}).exit_code, 0);
  const double docker_exec = SecondsSince(start) / kCommands;
  std::printf("a command: %.3f s through the agent, %.3f s through docker exec\n", agent, docker_exec);
  EXPECT_LT(agent, docker_exec);
}

}  // namespace
}  // namespace cirque::testing
