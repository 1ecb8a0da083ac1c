#include "cirque_test/home/reaper.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

bool BelongsToDeadRun(const docker::Labels& labels, const OwnerIsGoneFunction& is_gone) {
  auto owner = labels.find(kOwnerLabel);
  return owner != labels.end() && is_gone(owner->second);
}

// Removes the rules of `homes` through the agent container `agent_id`. The
// first iptables flavour holding Docker's chain is the one in use; asking
// the other would create its tables on the host.
// With `sweep_rules`, the rules of every gone owner go too.
int RemoveRulesThrough(docker::DockerClient& client, const std::string& agent_id,
                       const std::set<std::string>& homes, bool sweep_rules = false,
                       const OwnerIsGoneFunction& is_gone = OwnerIsGone) {
  HostExecFunction exec = [&](const std::vector<std::string>& argv) {
    return client.Exec(agent_id, {.cmd = argv, .deadline = std::chrono::seconds(30)});
  };
  for (const char* iptables : {"iptables-nft", "iptables-legacy"}) {
    if (exec({iptables, "-w", "-S", "DOCKER-USER"}).exit_code != 0) continue;
    int removed = 0;
    for (const auto& home : homes) removed += RemoveHomeRules(exec, iptables, home);
    if (sweep_rules) removed += RemoveRulesOfGoneOwners(exec, iptables, is_gone);
    return removed;
  }
  return 0;
}

// One agent for homes whose own is gone, removed again at once.
int RemoveRulesThroughTemporaryAgent(docker::DockerClient& client, const std::string& image,
                                     const std::set<std::string>& homes, bool sweep_rules,
                                     const OwnerIsGoneFunction& is_gone) {
  docker::ContainerSpec spec;
  spec.image = image;
  spec.labels = HomeLabels("reaper-" + NewId());
  spec.labels[kRoleLabel] = "reaper-agent";
  spec.process.entrypoint = std::vector<std::string>{"sleep"};
  spec.process.cmd = {"300"};
  spec.network.network_mode = "host";
  spec.security.cap_add = {"NET_ADMIN", "NET_RAW"};
  std::string id = client.CreateContainer(spec);
  int removed = 0;
  try {
    client.StartContainer(id);
    removed = RemoveRulesThrough(client, id, homes, sweep_rules, is_gone);
  } catch (...) {
    try {
      client.RemoveContainer(id, true);
    } catch (const std::exception&) {
      // Labelled with this live run: a later reaper removes it.
    }
    throw;
  }
  client.RemoveContainer(id, true);
  return removed;
}

// A reaper in another process (every home creation runs one) may be
// removing the same container: the engine then answers 409 "removal of
// container ... is already in progress". Its removal does as well as ours
// once it is done, and the networks after it can only go once it is.
bool IsRemovalInProgress(const Error& error) {
  return error.code() == ErrorCode::kConflict &&
         std::string(error.what()).find("already in progress") != std::string::npos;
}

constexpr std::chrono::seconds kOtherRemovalDeadline{60};
constexpr std::chrono::milliseconds kOtherRemovalPoll{100};

// Throws Error (kDeadlineExceeded) when the container outlives the deadline.
void AwaitRemovalByAnother(docker::DockerClient& client, const std::string& id) {
  const auto until = std::chrono::steady_clock::now() + kOtherRemovalDeadline;
  while (true) {
    try {
      client.InspectContainer(id);
    } catch (const Error& error) {
      if (error.code() == ErrorCode::kNotFound) return;
      throw;
    }
    if (std::chrono::steady_clock::now() >= until) {
      throw Error(ErrorCode::kDeadlineExceeded,
                  "container " + id + " is still there " + std::to_string(kOtherRemovalDeadline.count()) +
                      " s after another process began removing it");
    }
    std::this_thread::sleep_for(kOtherRemovalPoll);
  }
}

}  // namespace

ReapPlan PlanReaping(const std::vector<docker::ContainerSummary>& containers,
                     const std::vector<docker::NetworkInfo>& networks, const OwnerIsGoneFunction& is_gone) {
  ReapPlan plan;
  std::set<std::string> dead_homes, homes_with_agent;
  for (const auto& container : containers) {
    if (!BelongsToDeadRun(container.labels, is_gone)) continue;
    plan.containers.push_back(container);
    std::string home = LabelValue(container.labels, kHomeLabel);
    if (!home.empty()) dead_homes.insert(home);
    if (LabelValue(container.labels, kRoleLabel) == "agent") {
      plan.agents.push_back(container);
      homes_with_agent.insert(home);
    }
  }
  // Agents first, while they can still clean up after their home.
  std::stable_partition(plan.containers.begin(), plan.containers.end(), [](const auto& container) {
    return LabelValue(container.labels, kRoleLabel) == "agent";
  });
  for (const auto& network : networks) {
    if (!BelongsToDeadRun(network.labels, is_gone)) continue;
    plan.networks.push_back(network);
    std::string home = LabelValue(network.labels, kHomeLabel);
    if (!home.empty()) dead_homes.insert(home);
  }
  for (const auto& home : dead_homes) {
    if (IsHelperHomeId(home)) continue;  // no rules
    if (homes_with_agent.count(home) == 0) plan.homes_without_agent.insert(home);
  }
  return plan;
}

ReapReport ReapDeadRuns(docker::DockerClient& client, const std::string& helper_image, bool sweep_rules,
                        const OwnerIsGoneFunction& is_gone) {
  ReapReport report;
  ReapPlan plan =
      PlanReaping(client.ListContainers({{kOwnerLabel, ""}}), client.ListNetworks({{kOwnerLabel, ""}}), is_gone);
  // An agent goes only once its home has no rule left: a reaper in another
  // process may still be using it, and the agent is the way to the rules.
  std::set<std::string> agents_to_keep;
  for (const auto& agent : plan.agents) {
    try {
      // An engine restart stops the agent; its home's rules stay on the host.
      if (agent.state != "running") client.StartContainer(agent.id);
      report.host_rules += RemoveRulesThrough(client, agent.id, {LabelValue(agent.labels, kHomeLabel)});
    } catch (const std::exception& error) {
      agents_to_keep.insert(agent.id);
      report.problems.push_back("rules of home " + LabelValue(agent.labels, kHomeLabel) + ": " + error.what());
    }
  }
  if ((sweep_rules || !plan.homes_without_agent.empty()) && !helper_image.empty()) {
    try {
      report.host_rules +=
          RemoveRulesThroughTemporaryAgent(client, helper_image, plan.homes_without_agent, sweep_rules, is_gone);
    } catch (const std::exception& error) {
      report.problems.push_back(std::string("rules of homes without an agent: ") + error.what());
    }
  }
  for (const auto& container : plan.containers) {
    if (agents_to_keep.count(container.id) != 0) continue;
    try {
      try {
        client.RemoveContainer(container.id, true);
        report.containers.push_back(container.name);
      } catch (const Error& error) {
        if (!IsRemovalInProgress(error)) throw;
        AwaitRemovalByAnother(client, container.id);
      }
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) report.problems.push_back(error.what());
    }
  }
  for (const auto& network : plan.networks) {
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
