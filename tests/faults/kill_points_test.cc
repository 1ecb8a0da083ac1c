// Covers a test process SIGKILLed at eleven named points of a home's set-up,
// run and teardown (kill_points.h: the engine has just done the point's
// request, and the process dies before it hears). After each, the next run
// (the reaper, as `cirque reap` and every new home run it) leaves 0
// containers, 0 networks and 0 iptables rules of the killed process. The
// home: node n0 with LanAccess (host agent and rules) and n1.
#include <signal.h>

#include <iostream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/host_agent.h"
#include "cirque_test/home/labels.h"
#include "fixtures/cirque_environment.h"
#include "tests/faults/kill_points.h"
#include "tests/faults/leftovers.h"

namespace cirque::faults {
namespace {

using testing::CirqueEnvironment;

// Request lines as the engine sees them: "POST /v1.45/containers/create".
constexpr const char* kV = "^[A-Z]+ /v[0-9.]+";

std::vector<KillPoint> HostPoints() {
  const std::string v = kV;
  // Teardown points count from the run's ping: before it, the child's own
  // reaper removes what the previous point's child left.
  const std::string after_ping = "\"ping\"";
  return {
      // Set-up: the network, the engine probe's container, n0 and n1, the
      // host agent and its iptables execs for LanAccess.
      {"network made", {v + "/networks/create", 1}},
      {"first container (the engine probe) created", {v + "/containers/create", 1}},
      {"node containers started", {v + "/containers/[^/]+/start", 3}},
      {"host agent made, its first exec", {v + "/exec/[^/]+/start", 1, "\"cirque\\.role\":\"agent\""}},
      {"LanAccess enabled, its last rule added", {v + "/exec/[^/]+/start", 7}},
      // Run.
      {"exec in flight (ping)", {v + "/exec/[^/]+/start", 1, after_ping}},
      // Teardown: the nodes, the agent's rules, the agent, the network.
      {"first node removed", {"^DELETE /v[0-9.]+/containers/", 1, after_ping}},
      {"nodes removed, agent left", {"^DELETE /v[0-9.]+/containers/", 2, after_ping}},
      // After the ping: LanAccess's own disable, then one exec per rule.
      {"host rules half removed", {v + "/exec/[^/]+/start", 4, after_ping}},
      {"network being removed", {"^DELETE /v[0-9.]+/networks/", 1, after_ping}},
      // With the exec agent: killed as the engine starts a node's agent.
      // (its exec: `sh -c <install script> cirque-install <size> /.cirque_exec_agent run`).
      {"exec agent started", {v + "/exec/[^/]+/start", 1, "\\.cirque_exec_agent\",\"run\"\\]"}, /*exec_agent=*/true},
  };
}

TEST(KillPointsTest, NextRunLeavesNothingOfAProcessKilledAtAnyOfElevenPoints) {
  const std::vector<KillPoint> points = HostPoints();
  ASSERT_EQ(points.size(), 11u);
  runtime::Runtime& environment = CirqueEnvironment::Get();
  docker::DockerClient& client = environment.client();
  const std::string helper = environment.ResolveImage("generic");
  home::HostAgent reader(client, helper, "rules-reader-" + home::NewId());

  // One after the other: each child's home reaps the runs killed before it.
  std::vector<KillPointRun> runs;
  for (const auto& point : points) {
    KillPointRun run = RunKillPoint(point, {"2", "--lan-access"}, std::chrono::minutes(1));
    SCOPED_TRACE(run.point.name);
    EXPECT_NE(run.pid, 0) << "never reached; requests seen:\n" << ::testing::PrintToString(run.requests)
                          << "\n" << run.result.stderr_text;
    EXPECT_EQ(run.result.exit_code, 128 + SIGKILL) << run.result.stderr_text;
    if (run.pid != 0) {
      std::cout << "killed at '" << point.name << "' (pid " << run.pid
                << "): left " << LeftoversOf(client, run.pid, &reader).ToString() << "\n";
    }
    runs.push_back(std::move(run));
  }

  // The next run: what every new home and `cirque reap` do.
  ExpectNextRunLeavesNothing(runs, client, helper, reader);
}

}  // namespace
}  // namespace cirque::faults
