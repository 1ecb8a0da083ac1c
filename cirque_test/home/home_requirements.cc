// What a home checks before it makes a node: every requirement of every
// node's capabilities and networks, against the engine's host.
#include <unistd.h>

#include <algorithm>

#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
// A LAN network needs its driver in the engine host's kernel. The probe
// makes the device on a veth of its own and deletes both again.
Requirement LanRequirement(HomeNetwork network) {
  const bool ipvlan = network == HomeNetwork::kIpvlan;
  const std::string driver = ipvlan ? "ipvlan" : "macvlan";
  Requirement requirement;
  requirement.kind = Requirement::Kind::kEngineFeature;
  requirement.name = driver;
  requirement.why = std::string("for docker_network ") + HomeNetworkName(network);
  requirement.probe = "ip link add cqlan-p type veth peer name cqlan-q || exit 1\n"
                      "ip link add cqlan0 link cqlan-p type " + driver +
                      (ipvlan ? " mode l2" : " mode bridge") + "\nfound=$?\nip link del cqlan-p\nexit $found";
  requirement.fix = ipvlan ? "use docker_network MacvLan instead, or an engine host kernel with ipvlan"
                           : "use an engine host kernel with macvlan";
  return requirement;
}

std::vector<std::pair<std::string, Requirement>> VirtualHome::RequirementsOf(
    const std::vector<NodeSpec>& specs, const std::vector<Capabilities>& capabilities) {
  std::vector<std::pair<std::string, Requirement>> needed;
  for (size_t i = 0; i < specs.size(); ++i) {
    const std::string node = "node '" + specs[i].name + "'";
    if (specs[i].network == HomeNetwork::kIpvlan || specs[i].network == HomeNetwork::kMacvlan) {
      needed.emplace_back(node, LanRequirement(specs[i].network));
    }
    for (const auto& capability : capabilities[i]) {
      for (const auto& requirement : capability->Requirements()) {
        needed.emplace_back(node + ": " + capability->name(), requirement);
      }
    }
  }
  return needed;
}

bool VirtualHome::AnsweredAlready(const std::vector<std::pair<std::string, Requirement>>& needed) {
  const engine::EngineReport known = engine::KnownEngineFacts(*options_.client);
  return std::all_of(needed.begin(), needed.end(), [&known](const auto& each) {
    return each.second.kind != Requirement::Kind::kEngineFeature || known.features.count(each.second.name) != 0;
  });
}

void VirtualHome::Require(const std::string& who, const std::vector<Requirement>& requirements) {
  std::vector<std::pair<std::string, Requirement>> needed;
  for (const auto& requirement : requirements) needed.emplace_back(who, requirement);
  EnforceRequirements(needed);
}

void VirtualHome::EnforceRequirements(const std::vector<std::pair<std::string, Requirement>>& needed) {
  std::vector<engine::FeatureProbe> probes;
  for (const auto& [who, requirement] : needed) {
    if (requirement.kind == Requirement::Kind::kEngineFeature) probes.push_back({requirement.name, requirement.probe});
  }
  engine::EngineReport report = engine();
  if (!probes.empty()) {
    Timeline::Scope step(timeline_, "engine probe");
    report = engine::ProbeEngine(*options_.client, options_.helper_image, probes, ResourceLabels("probe"));
  }
  std::string unmet;
  std::vector<std::string> missing;
  for (const auto& [who, requirement] : needed) {
    if (requirement.kind == Requirement::Kind::kEngineFeature && !report.Has(requirement.name)) {
      unmet += "\n  " + who + " needs " + requirement.name + " (" + requirement.why +
               ") in the engine host's kernel (" + report.kernel_version + " at " + report.endpoint +
               "), which lacks it; fix: " + requirement.fix;
      missing.push_back(requirement.name);
    }
    // A host file can be checked only where the engine's host is this one.
    if (requirement.kind == Requirement::Kind::kHostFile && options_.client->endpoint().IsLocal() &&
        access(requirement.name.c_str(), F_OK) != 0) {
      unmet += "\n  " + who + " needs file " + requirement.name + " (" + requirement.why +
               ") on the engine's host, which has none; fix: " +
               (requirement.fix.empty() ? "create it or correct the path" : requirement.fix);
      missing.push_back(requirement.name);
    }
  }
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  if (!unmet.empty()) {
    throw UnmetRequirementError("home '" + options_.name + "' cannot be made here:" + unmet, missing);
  }
}

}  // namespace cirque::home
