// SIGKILL at named points of a home's life, for the fault tests: a child
// process (tests/home/home_maker) makes a home, pings across it and
// destroys it, talking to the engine through an EngineProxy; when the
// engine begins to answer the point's request, the proxy SIGKILLs the child
// and drops the answer. So each point is "the engine did it, and the
// process died before it heard": the worst moment for leftovers.
//
//   auto runs = RunKillPoints(kHostPoints, {"2", "--lan-access"});
//   ... ReapDeadRuns ...; then LeftoversOf(client, run.pid, &reader) is empty.
//
// Points run in parallel, each child with a proxy of its own.
#ifndef CIRQUE_TESTS_FAULTS_KILL_POINTS_H_
#define CIRQUE_TESTS_FAULTS_KILL_POINTS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "cirque_test/util/subprocess.h"
#include "tests/faults/engine_proxy.h"

namespace cirque::faults {

struct KillPoint {
  std::string name;  // "network made"
  EngineProxy::Trigger trigger;
};

struct KillPointRun {
  KillPoint point;
  pid_t pid = 0;        // the child killed; 0 when the point was never reached
  ProcessResult result;  // exit_code 128 + SIGKILL when it was killed
  std::vector<std::string> requests;  // what went through its proxy
};

// Runs home_maker once per point: `home_maker kill-<index> <args...>`,
// with DOCKER_HOST at the point's proxy. Waits for every child (each
// bounded by `deadline`). Throws Error only when a child cannot be started.
std::vector<KillPointRun> RunKillPoints(const std::vector<KillPoint>& points, const std::vector<std::string>& args,
                                        std::chrono::milliseconds deadline);

}  // namespace cirque::faults

#endif  // CIRQUE_TESTS_FAULTS_KILL_POINTS_H_
