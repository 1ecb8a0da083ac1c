#include "service/earlier_homes.h"

#include <chrono>
#include <cstdio>
#include <set>

#include "cirque_test/home/labels.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/util/error.h"

namespace cirque::service {

std::vector<std::string> EarlierHomeIds(docker::DockerClient& client, const std::string& owner_text) {
  std::set<std::string> ids;
  for (const auto& container : client.ListContainers({{home::kOwnerLabel, owner_text}})) {
    ids.insert(home::LabelValue(container.labels, home::kHomeLabel));
  }
  for (const auto& network : client.ListNetworks({{home::kOwnerLabel, owner_text}})) {
    ids.insert(home::LabelValue(network.labels, home::kHomeLabel));
  }
  std::vector<std::string> homes;
  for (const auto& id : ids) {
    if (!id.empty() && !home::IsHelperHomeId(id)) homes.push_back(id);
  }
  return homes;
}

EarlierHomesReport TakeOverEarlierHomes(docker::DockerClient& client, HomeRegistry& registry,
                                        const HomeAdopter& adopt, const std::string& owner_text, bool reap,
                                        const std::string& helper_image) {
  EarlierHomesReport report;
  std::vector<std::string> ids = EarlierHomeIds(client, owner_text);
  if (reap) {
    // Everything the earlier run owned goes: homes, helpers, host rules.
    home::ReapReport reaped = home::ReapDeadRuns(client, helper_image, /*sweep_rules=*/true,
                                                 [&owner_text](const std::string& owner) { return owner == owner_text; });
    report.removed = ids;
    report.problems = reaped.problems;
    return report;
  }
  for (const auto& id : ids) {
    try {
      const auto start = std::chrono::steady_clock::now();
      std::shared_ptr<home::VirtualHome> adopted = adopt(id);
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.1f s",
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      report.adopted.push_back(id + " (" + adopted->name() + ", " + std::to_string(adopted->NodeNames().size()) +
                               " nodes, in " + seconds + ")");
      registry.Add(std::move(adopted));
    } catch (const std::exception& error) {
      // Adopt removed what it could not take over.
      report.removed.push_back(id);
      report.problems.push_back(error.what());
    }
  }
  // The earlier run's one-off helpers (an exec's killer caught mid-kill).
  for (const auto& container : client.ListContainers({{home::kOwnerLabel, owner_text}})) {
    if (!home::IsHelperHomeId(home::LabelValue(container.labels, home::kHomeLabel))) continue;
    if (home::LabelValue(container.labels, home::kRunLabel) == home::CurrentRunId()) continue;  // this run's own
    try {
      client.RemoveContainer(container.id, true);
    } catch (const std::exception& error) {
      report.problems.push_back(error.what());
    }
  }
  return report;
}

}  // namespace cirque::service
