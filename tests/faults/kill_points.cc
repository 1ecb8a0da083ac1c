#include "tests/faults/kill_points.h"

#include <signal.h>

#include <atomic>

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
  std::vector<std::string> argv = {"env", "DOCKER_HOST=" + proxy.docker_host(), "tests/home/home_maker",
                                   "kill-point"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.deadline = deadline;
  run.result = RunProcess(argv, options);
  run.pid = killed;
  run.requests = proxy.Requests();
  return run;
}

}  // namespace cirque::faults
