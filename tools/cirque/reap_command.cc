#include "tools/cirque/reap_command.h"

#include <cstdio>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/util/error.h"

namespace cirque::cli {

void AddReapCommand(CLI::App& app) {
  CLI::App* reap = app.add_subcommand(
      "reap", "Remove containers, networks and iptables rules of cirque runs whose process died "
              "(never anything unlabelled, nor a live run's)");
  reap->callback([] {
    docker::DockerClient client;
    home::ReapReport report = home::ReapDeadRuns(client);
    for (const auto& name : report.containers) std::printf("removed container %s\n", name.c_str());
    for (const auto& name : report.networks) std::printf("removed network %s\n", name.c_str());
    std::printf("reaped %zu containers, %zu networks, %d iptables rules\n", report.containers.size(),
                report.networks.size(), report.host_rules);
    if (!report.problems.empty()) {
      std::string text;
      for (const auto& problem : report.problems) text += "\n  " + problem;
      throw Error(ErrorCode::kInternal, "could not remove everything:" + text);
    }
  });
}

}  // namespace cirque::cli
