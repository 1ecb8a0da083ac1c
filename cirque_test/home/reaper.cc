#include "cirque_test/home/reaper.h"

#include <map>
#include <set>

#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

bool BelongsToDeadRun(const docker::Labels& labels) {
  auto owner = labels.find(kOwnerLabel);
  if (owner == labels.end()) return false;
  std::optional<OwnerIdentity> identity = OwnerIdentity::Parse(owner->second);
  return identity && !OwnerIsAlive(*identity);
}

// A dead home's host agent still runs (it sleeps forever): use it to remove
// the home's iptables rules before removing it.
int RemoveRulesThroughAgent(docker::DockerClient& client, const std::string& agent_id,
                            const std::string& home_id) {
  HostExecFunction exec = [&](const std::vector<std::string>& argv) {
    return client.Exec(agent_id, {.cmd = argv, .deadline = std::chrono::seconds(30)});
  };
  // The first flavour holding Docker's chain is the one in use; asking the
  // other would create its tables on the host.
  for (const char* iptables : {"iptables-nft", "iptables-legacy"}) {
    if (exec({iptables, "-w", "-S", "DOCKER-USER"}).exit_code != 0) continue;
    return RemoveHomeRules(exec, iptables, home_id);
  }
  return 0;
}

}  // namespace

ReapReport ReapDeadRuns(docker::DockerClient& client) {
  ReapReport report;
  std::vector<docker::ContainerSummary> containers = client.ListContainers({{kOwnerLabel, ""}});
  // Agents first, while they can still clean up after their home.
  std::stable_partition(containers.begin(), containers.end(), [](const auto& container) {
    auto role = container.labels.find(kRoleLabel);
    return role != container.labels.end() && role->second == "agent";
  });
  for (const auto& container : containers) {
    if (!BelongsToDeadRun(container.labels)) continue;
    try {
      auto role = container.labels.find(kRoleLabel);
      if (role != container.labels.end() && role->second == "agent" && container.state == "running") {
        report.host_rules +=
            RemoveRulesThroughAgent(client, container.id, container.labels.at(kHomeLabel));
      }
      // A node's radios go with it: the kernel deletes them when its
      // network namespace goes (see radio_medium.h).
      client.RemoveContainer(container.id, true);
      report.containers.push_back(container.name);
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) report.problems.push_back(error.what());
    }
  }
  for (const auto& network : client.ListNetworks({{kOwnerLabel, ""}})) {
    if (!BelongsToDeadRun(network.labels)) continue;
    try {
      client.RemoveNetwork(network.id);
      report.networks.push_back(network.name);
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) report.problems.push_back(error.what());
    }
  }
  return report;
}

}  // namespace cirque::home
