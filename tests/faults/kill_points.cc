#include "tests/faults/kill_points.h"

#include <signal.h>

#include <atomic>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cirque_test/home/reaper.h"
#include "tests/faults/leftovers.h"

namespace cirque::faults {

KillPointRun RunKillPoint(const KillPoint& point, const std::vector<std::string>& args,
                          std::chrono::milliseconds deadline) {
  KillPointRun run;
  run.point = point;
  EngineProxy proxy;
  std::atomic<pid_t> killed{0};
  proxy.OnAnswer(point.trigger, [&killed](const EngineProxy::Answer& answer) {
    killed = answer.client_pid;
    ::kill(answer.client_pid, SIGKILL);
    return EngineProxy::Verdict::kDrop;
  });
  std::vector<std::string> argv = {"env", "DOCKER_HOST=" + proxy.docker_host()};
  // With the agent, the test's own CIRQUE_EXEC_AGENT (the static build a
  // sanitizer tier passes) reaches the child as it is.
  if (!point.exec_agent) argv.push_back("CIRQUE_EXEC_AGENT=off");
  argv.insert(argv.end(), {"tests/home/home_maker", "kill-point"});
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.deadline = deadline;
  run.result = RunProcess(argv, options);
  run.pid = killed;
  run.requests = proxy.Requests();
  return run;
}

void ExpectNextRunLeavesNothing(const std::vector<KillPointRun>& runs, docker::DockerClient& client,
                                const std::string& helper_image, home::HostAgent& reader) {
  home::ReapReport report = home::ReapDeadRuns(client, helper_image, /*sweep_rules=*/true);
  EXPECT_THAT(report.problems, ::testing::IsEmpty());
  for (const auto& run : runs) {
    if (run.pid == 0) continue;
    SCOPED_TRACE(run.point.name);
    Leftovers left = LeftoversOf(client, run.pid, &reader);
    EXPECT_EQ(left.total(), 0u) << left.ToString();
  }
}

}  // namespace cirque::faults
