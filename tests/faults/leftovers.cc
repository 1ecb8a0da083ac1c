#include "tests/faults/leftovers.h"

#include <sstream>

#include "cirque_test/home/labels.h"

namespace cirque::faults {
namespace {

bool OwnedBy(const docker::Labels& labels, pid_t pid) {
  auto owner = home::OwnerIdentity::Parse(home::LabelValue(labels, home::kOwnerLabel));
  return owner && owner->host == home::CurrentOwner().host && owner->pid == pid;
}

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined;
}

}  // namespace

std::string Leftovers::ToString() const {
  return std::to_string(containers.size()) + " containers (" + Join(containers) + "), " +
         std::to_string(networks.size()) + " networks (" + Join(networks) + "), " +
         std::to_string(rules.size()) + " rules (" + Join(rules) + ")";
}

Leftovers LeftoversOf(docker::DockerClient& client, pid_t pid, home::HostAgent* reader) {
  Leftovers found;
  for (const auto& container : client.ListContainers({{home::kOwnerLabel, ""}})) {
    if (OwnedBy(container.labels, pid)) found.containers.push_back(container.name);
  }
  for (const auto& network : client.ListNetworks({{home::kOwnerLabel, ""}})) {
    if (OwnedBy(network.labels, pid)) found.networks.push_back(network.name);
  }
  if (reader != nullptr) {
    const std::string owner = home::CurrentOwner().host + ":" + std::to_string(pid) + ":";
    std::istringstream rules(
        reader->Exec({reader->Iptables(), "-w", "-t", "mangle", "-S", "FORWARD"}).stdout_text);
    for (std::string line; std::getline(rules, line);) {
      if (line.find("cirque home=") != std::string::npos && line.find("owner=" + owner) != std::string::npos) {
        found.rules.push_back(line);
      }
    }
  }
  return found;
}

}  // namespace cirque::faults
