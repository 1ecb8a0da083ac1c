#include "tests/faults/kill_points.h"

#include <signal.h>

#include <atomic>
#include <future>
#include <memory>

namespace cirque::faults {

std::vector<KillPointRun> RunKillPoints(const std::vector<KillPoint>& points, const std::vector<std::string>& args,
                                        std::chrono::milliseconds deadline) {
  std::vector<std::future<KillPointRun>> running;
  for (size_t i = 0; i < points.size(); ++i) {
    running.push_back(std::async(std::launch::async, [&points, &args, deadline, i] {
      KillPointRun run;
      run.point = points[i];
      EngineProxy proxy;
      std::atomic<pid_t> killed{0};
      proxy.OnAnswer(run.point.trigger, [&killed](const EngineProxy::Answer& answer) {
        killed = answer.client_pid;
        ::kill(answer.client_pid, SIGKILL);
        return EngineProxy::Verdict::kDrop;
      });
      std::vector<std::string> argv = {"env", "DOCKER_HOST=" + proxy.docker_host(), "tests/home/home_maker",
                                       "kill-" + std::to_string(i)};
      argv.insert(argv.end(), args.begin(), args.end());
      ProcessOptions options;
      options.deadline = deadline;
      run.result = RunProcess(argv, options);
      run.pid = killed;
      run.requests = proxy.Requests();
      return run;
    }));
  }
  std::vector<KillPointRun> runs;
  for (auto& each : running) runs.push_back(each.get());
  return runs;
}

}  // namespace cirque::faults
