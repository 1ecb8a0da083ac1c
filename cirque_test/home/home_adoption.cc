// VirtualHome::Adopt: a home rebuilt from what the engine holds of it.
#include <future>

#include "cirque_test/home/home.h"
#include "cirque_test/home/labels.h"
#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/home/parallel_steps.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

// The home network a Docker network named "cirque-<id>-<suffix>" is.
std::optional<HomeNetwork> NetworkOfName(const std::string& home_id, const std::string& name) {
  const std::string head = "cirque-" + home_id + "-";
  if (name.rfind(head, 0) != 0) return std::nullopt;
  const std::string suffix = name.substr(head.size());
  for (HomeNetwork network : {HomeNetwork::kDefault, HomeNetwork::kInternal, HomeNetwork::kIpv6,
                              HomeNetwork::kIpvlan, HomeNetwork::kMacvlan}) {
    std::string known = HomeNetworkName(network);
    for (auto& c : known) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (known == suffix) return network;
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<VirtualHome> VirtualHome::Adopt(HomeOptions options, const std::string& home_id) {
  if (options.client == nullptr || options.registry == nullptr) {
    throw Error(ErrorCode::kInvalidArgument, "adopting home " + home_id + ": HomeOptions.client and .registry are required");
  }
  std::vector<docker::ContainerSummary> containers = options.client->ListContainers({{kHomeLabel, home_id}});
  std::vector<docker::NetworkInfo> networks = options.client->ListNetworks({{kHomeLabel, home_id}});
  if (containers.empty() && networks.empty()) {
    throw Error(ErrorCode::kNotFound, "adopting home " + home_id + ": the engine holds nothing labelled " +
                                          kHomeLabel + "=" + home_id);
  }
  for (const auto& container : containers) {
    std::string name = LabelValue(container.labels, kHomeNameLabel);
    if (!name.empty()) options.name = name;
  }
  std::unique_ptr<VirtualHome> home(new VirtualHome(std::move(options), home_id));
  try {
    home->AdoptNetworks(networks);
    home->AdoptNodes(containers);
  } catch (const std::exception& error) {
    std::string cleanup;
    try {
      home->Destroy();
      cleanup = "; the home was removed";
    } catch (const std::exception& problem) {
      cleanup = std::string("; removing the home also failed (the reaper removes the rest): ") + problem.what();
    }
    ErrorCode code = ErrorCode::kFailedPrecondition;
    if (const auto* ours = dynamic_cast<const Error*>(&error)) code = ours->code();
    throw Error(code, "adopting home '" + home->name() + "' (" + home_id + "): " + error.what() + cleanup);
  }
  return home;
}

void VirtualHome::AdoptNetworks(const std::vector<docker::NetworkInfo>& networks) {
  std::lock_guard<std::mutex> lock(network_mutex_);
  for (const auto& info : networks) {
    std::optional<HomeNetwork> network = NetworkOfName(id_, info.name);
    if (!network) continue;  // not one of the home's own: Destroy still removes it by its label
    NetworkRecord record;
    record.allocated.id = info.id;
    record.allocated.name = info.name;
    for (const auto& pool : info.pools) {
      if (pool.subnet.find(':') != std::string::npos) {
        record.allocated.ipv6_subnet = pool.subnet;
      } else if (record.allocated.ipv4_subnet.empty()) {
        record.allocated.ipv4_subnet = pool.subnet;
        record.allocated.ipv4_gateway = pool.gateway;
      }
    }
    record.gateway = record.allocated.ipv4_gateway;
    networks_[*network] = record;
  }
}

void VirtualHome::AdoptNodes(const std::vector<docker::ContainerSummary>& containers) {
  std::vector<NodeSpec> specs;
  std::vector<const docker::ContainerSummary*> node_containers;
  for (const auto& container : containers) {
    std::string role = LabelValue(container.labels, kRoleLabel);
    if (role == "agent") {
      // Its rules stay the home's: Destroy removes them through it.
      std::lock_guard<std::mutex> lock(helpers_mutex_);
      agent_ = std::make_unique<HostAgent>(*options_.client, container.id);
      continue;
    }
    if (role != "node") continue;  // resources' helpers: their capability adopts them, or Destroy removes them
    std::string node_name = LabelValue(container.labels, kNodeLabel);
    if (container.state != "running") {
      throw Error(ErrorCode::kFailedPrecondition,
                  "node '" + node_name + "': its container " + container.name + " is " + container.state +
                      ", not running; a stopped node cannot be adopted");
    }
    std::string spec_json = LabelValue(container.labels, kSpecLabel);
    if (spec_json.empty()) {
      throw Error(ErrorCode::kFailedPrecondition, "node '" + node_name + "': its container " + container.name +
                                                      " carries no " + kSpecLabel +
                                                      " label (made by an older cirque); reap the home instead");
    }
    specs.push_back(ParseNodeSpecJson(node_name, spec_json, *options_.registry));
    node_containers.push_back(&container);
  }
  if (agent_) host_rules();  // so Destroy removes the rules the earlier process put on the host
  std::lock_guard<std::mutex> changing(change_mutex_);
  std::vector<Capabilities> capabilities = MakeCapabilities(specs);
  std::vector<std::shared_ptr<Node>> nodes;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto node = std::make_shared<Node>(*this, specs[i], std::move(capabilities[i]));
    std::lock_guard<std::mutex> lock(mutex_);
    nodes_[specs[i].name] = node;
    nodes.push_back(std::move(node));
  }
  std::vector<std::future<void>> adopting;
  for (size_t i = 0; i < nodes.size(); ++i) {
    adopting.push_back(std::async(std::launch::async, [this, node = nodes[i].get(), container = node_containers[i]] {
      node->Attach(container->id, container->image, NetworkName(node->spec().network));
      node->OpenExecChannel();
      node->AdoptCapabilities();
    }));
  }
  std::vector<std::exception_ptr> failures = JoinSteps(adopting);
  if (!failures.empty()) ThrowAll("adopting nodes", std::move(failures));
}

}  // namespace cirque::home
