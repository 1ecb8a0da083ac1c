// The home's Docker networks: made on first use, on a free subnet.
#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

// The suffix of the network's Docker name.
std::string NetworkSuffix(HomeNetwork network) {
  switch (network) {
    case HomeNetwork::kDefault: return "default";
    case HomeNetwork::kInternal: return "internal";
    case HomeNetwork::kIpv6: return "ipv6";
    case HomeNetwork::kIpvlan: return "ipvlan";
    case HomeNetwork::kMacvlan: return "macvlan";
  }
  return "default";
}

}  // namespace

std::string VirtualHome::NetworkName(HomeNetwork network) const {
  return "cirque-" + id_ + "-" + NetworkSuffix(network);
}

const VirtualHome::NetworkRecord& VirtualHome::EnsureNetwork(HomeNetwork network) {
  std::lock_guard<std::mutex> lock(network_mutex_);
  if (auto found = networks_.find(network); found != networks_.end()) return found->second;
  CheckNotDestroyed();
  docker::NetworkSpec spec;
  spec.name = NetworkName(network);
  spec.labels = ResourceLabels("network");
  spec.internal = network == HomeNetwork::kInternal;
  spec.enable_ipv6 = network == HomeNetwork::kIpv6;
  if (network == HomeNetwork::kIpvlan || network == HomeNetwork::kMacvlan) {
    if (options_.lan_parent.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "home '" + options_.name + "': docker_network " + HomeNetworkName(network) +
                      " needs HomeOptions.lan_parent, the engine host's interface to share");
    }
    spec.driver = network == HomeNetwork::kIpvlan ? "ipvlan" : "macvlan";
    spec.options = {{"parent", options_.lan_parent}};
    if (network == HomeNetwork::kMacvlan) spec.options["macvlan_mode"] = "bridge";
  }
  NetworkRecord record;
  {
    Timeline::Scope step(timeline_, "network " + NetworkSuffix(network));
    record.allocated = CreateNetworkOnFreeSubnet(*options_.client, spec);
  }
  record.gateway = record.allocated.ipv4_gateway;
  networks_[network] = record;
  if (network == HomeNetwork::kInternal) {
    // Docker isolates an internal network with rules it briefly removes
    // whenever any network is made; a guard of the home's own holds always.
    const std::string& subnet = record.allocated.ipv4_subnet;
    host_rules().Insert(1, {"-s", subnet, "!", "-d", subnet, "-j", "DROP"});
    host_rules().Insert(1, {"!", "-s", subnet, "-d", subnet, "-j", "DROP"});
  }
  return networks_[network];
}

std::string VirtualHome::NetworkSubnet(HomeNetwork network) {
  std::lock_guard<std::mutex> lock(network_mutex_);
  auto found = networks_.find(network);
  return found == networks_.end() ? "" : found->second.allocated.ipv4_subnet;
}

}  // namespace cirque::home
