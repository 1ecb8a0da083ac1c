// SIGKILL at named points of a home's life, for the fault tests: a child
// process (tests/home/home_maker) makes a home, pings across it and
// destroys it, talking to the engine through an EngineProxy; when the
// engine begins to answer the point's request, the proxy SIGKILLs the child
// and drops the answer. So each point is "the engine did it, and the
// process died before it heard": the worst moment for leftovers.
//
//   KillPointRun run = RunKillPoint(point, {"2", "--lan-access"}, deadline);
//   ... ReapDeadRuns ...; then LeftoversOf(client, run.pid, &reader) is empty.
//
// Each child has a proxy of its own. Run points one after the other: a
// child's home reaps the dead runs before it (as every home does), and
// reapers running at once trip over each other's removals.
#ifndef CIRQUE_TESTS_FAULTS_KILL_POINTS_H_
#define CIRQUE_TESTS_FAULTS_KILL_POINTS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/host_agent.h"
#include "cirque_test/util/subprocess.h"
#include "tests/faults/engine_proxy.h"

namespace cirque::faults {

struct KillPoint {
  std::string name;  // "network made"
  EngineProxy::Trigger trigger;
  // Whether the child's nodes run their commands through the exec agent
  // (cirque_test/home/exec_channel.h). Off by default: the points name
  // docker exec requests, which the agent's commands are not (they travel
  // on one held-open exec); the agent's own start is a point of its own.
  bool exec_agent = false;
};

struct KillPointRun {
  KillPoint point;
  pid_t pid = 0;        // the child killed; 0 when the point was never reached
  ProcessResult result;  // exit_code 128 + SIGKILL when it was killed
  std::vector<std::string> requests;  // what went through its proxy
};

// Runs `home_maker kill-point <args...>` with DOCKER_HOST at the point's
// proxy, and waits for it (bounded by `deadline`). Throws Error only when
// the child cannot be started.
KillPointRun RunKillPoint(const KillPoint& point, const std::vector<std::string>& args,
                          std::chrono::milliseconds deadline);

// The next run, then the count: ReapDeadRuns sweeping rules (what `cirque
// reap` does, and every home for its first rule) through `client` with a
// temporary agent of `helper_image`; then, as gtest expectations, no
// problem reported and, for each run that was killed, 0 containers,
// networks and rules of its process (read through `reader`).
void ExpectNextRunLeavesNothing(const std::vector<KillPointRun>& runs, docker::DockerClient& client,
                                const std::string& helper_image, home::HostAgent& reader);

}  // namespace cirque::faults

#endif  // CIRQUE_TESTS_FAULTS_KILL_POINTS_H_
