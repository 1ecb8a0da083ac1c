#include "cirque_test/home/home.h"

#include <unistd.h>

#include <future>
#include <set>

#include "cirque_test/home/labels.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

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

bool NeedsRadios(const std::vector<std::vector<std::unique_ptr<Capability>>>& capabilities) {
  for (const auto& node_capabilities : capabilities) {
    for (const auto& capability : node_capabilities) {
      for (const auto& requirement : capability->Requirements()) {
        if (requirement.kind == Requirement::Kind::kKernelFeature && requirement.name == "hwsim") return true;
      }
    }
  }
  return false;
}

}  // namespace

VirtualHome::VirtualHome(HomeOptions options) : options_(std::move(options)), id_(NewId()) {}

std::unique_ptr<VirtualHome> VirtualHome::Create(HomeOptions options,
                                                 const std::vector<NodeSpec>& nodes) {
  if (options.client == nullptr || options.registry == nullptr) {
    throw Error(ErrorCode::kInvalidArgument,
                "home '" + options.name + "': HomeOptions.client and .registry are required");
  }
  if (options.reap_dead_runs) ReapDeadRuns(*options.client);
  std::unique_ptr<VirtualHome> home(new VirtualHome(std::move(options)));
  try {
    // AddNodes makes the nodes' networks, alongside the radio medium.
    if (nodes.empty()) home->EnsureNetwork(HomeNetwork::kDefault);
    home->AddNodes(nodes);
  } catch (...) {
    try {
      home->Destroy();
    } catch (const Error&) {
      // The set-up error is the one to report; the reaper gets the rest.
    }
    throw;
  }
  return home;
}

VirtualHome::~VirtualHome() {
  try {
    Destroy();
  } catch (const std::exception&) {
    // A destructor must not throw; leftovers carry labels for the reaper.
  }
}

const EngineFeatures& VirtualHome::features() {
  if (const EngineFeatures* cached = CachedEngineFeatures(*options_.client)) return *cached;
  // A home with radios starts its radio medium anyway: it runs the probe
  // as it starts, instead of a probe container of its own.
  if (wants_radios_) return RecordEngineFeatures(*options_.client, radios().StartupOutput());
  if (options_.helper_image.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "home '" + options_.name + "': HomeOptions.helper_image is needed to probe the engine");
  }
  return ProbeEngineFeatures(*options_.client, options_.helper_image);
}

HostAgent& VirtualHome::agent() {
  std::call_once(agent_started_, [this] {
    if (options_.helper_image.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "home '" + options_.name + "': HomeOptions.helper_image is needed for the host agent");
    }
    agent_ = std::make_unique<HostAgent>(*options_.client, options_.helper_image, id_);
  });
  return *agent_;
}

HostRules& VirtualHome::host_rules() {
  std::call_once(rules_made_, [this] {
    HostAgent& host = agent();
    host_rules_ = std::make_unique<HostRules>(
        [&host](const std::vector<std::string>& argv) { return host.Exec(argv); }, host.Iptables(),
        id_, CurrentOwner().ToString());
  });
  return *host_rules_;
}

RadioMedium& VirtualHome::radios() {
  std::call_once(radios_started_, [this] {
    if (options_.radio_image.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "home '" + options_.name + "': HomeOptions.radio_image is needed for radios");
    }
    std::string tool = options_.hwsim_ctl_path.empty() ? FindHwsimCtl() : options_.hwsim_ctl_path;
    std::string image = options_.resolve_image ? options_.resolve_image(options_.radio_image)
                                               : options_.radio_image;
    Timeline::Scope step(timeline_, "radio medium");
    radios_ = std::make_unique<RadioMedium>(*options_.client, image, id_, tool, EngineProbeScript());
  });
  return *radios_;
}

const VirtualHome::NetworkRecord& VirtualHome::EnsureNetwork(HomeNetwork network) {
  std::lock_guard<std::mutex> lock(network_mutex_);
  if (auto found = networks_.find(network); found != networks_.end()) return found->second;
  docker::NetworkSpec spec;
  spec.name = "cirque-" + id_ + "-" + NetworkSuffix(network);
  spec.labels = HomeLabels(id_);
  spec.labels[kRoleLabel] = "network";
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

void VirtualHome::CheckRequirements(
    const std::vector<NodeSpec>& specs,
    const std::vector<std::vector<std::unique_ptr<Capability>>>& capabilities) {
  std::string unmet;
  for (size_t i = 0; i < specs.size(); ++i) {
    for (HomeNetwork lan : {HomeNetwork::kIpvlan, HomeNetwork::kMacvlan}) {
      std::string feature = lan == HomeNetwork::kIpvlan ? "ipvlan" : "macvlan";
      if (specs[i].network == lan && !features().Has(feature)) {
        unmet += "\n  node '" + specs[i].name + "': docker_network " + HomeNetworkName(lan) +
                 " needs " + feature + " in the engine host's kernel, which lacks it; fix: " +
                 HowToGetFeature(feature);
      }
    }
    for (const auto& capability : capabilities[i]) {
      for (const auto& requirement : capability->Requirements()) {
        if (requirement.kind == Requirement::Kind::kKernelFeature &&
            !features().Has(requirement.name)) {
          unmet += "\n  node '" + specs[i].name + "': " + capability->name() + " needs " +
                   requirement.name + " (" + requirement.why + ") in the engine host's kernel (" +
                   features().kernel_version + " at " + features().endpoint +
                   "), which lacks it; fix: " + HowToGetFeature(requirement.name);
        }
        if (requirement.kind == Requirement::Kind::kHostFile && options_.client->endpoint().IsLocal() &&
            access(requirement.name.c_str(), F_OK) != 0) {
          unmet += "\n  node '" + specs[i].name + "': " + capability->name() + " needs file " +
                   requirement.name + " (" + requirement.why +
                   ") on the engine's host, which has none; fix: create it or correct the path";
        }
      }
    }
  }
  if (!unmet.empty()) {
    throw UnmetRequirementError("home '" + options_.name + "' cannot be made here:" + unmet);
  }
}

void VirtualHome::AddNodes(const std::vector<NodeSpec>& specs) {
  if (destroyed_) {
    throw Error(ErrorCode::kFailedPrecondition, "home '" + options_.name + "' was destroyed");
  }
  // Everything that can fail without touching the engine, first.
  std::set<std::string> names;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [existing, node] : nodes_) names.insert(existing);
  }
  std::vector<std::vector<std::unique_ptr<Capability>>> capabilities;
  for (const auto& spec : specs) {
    ValidateNodeSpec(spec);
    if (!names.insert(spec.name).second) {
      throw Error(ErrorCode::kInvalidArgument,
                  "home '" + options_.name + "': node name '" + spec.name + "' is used twice");
    }
    std::vector<std::unique_ptr<Capability>> node_capabilities;
    for (const auto& name : spec.capabilities) {
      node_capabilities.push_back(options_.registry->Create(name, spec));
    }
    capabilities.push_back(std::move(node_capabilities));
  }
  // The radio medium and the nodes' networks come up together, while the
  // requirements are checked (through the medium when there is one).
  std::vector<std::future<void>> preparing;
  std::future<void> medium;  // joined last: only radios need it
  if (NeedsRadios(capabilities)) {
    wants_radios_ = true;
    medium = std::async(std::launch::async, [this] { radios(); });
  }
  std::set<HomeNetwork> networks;
  for (const auto& spec : specs) networks.insert(spec.network);
  for (HomeNetwork network : networks) {
    preparing.push_back(std::async(std::launch::async, [this, network] { EnsureNetwork(network); }));
  }
  CheckRequirements(specs, capabilities);
  for (auto& prepared : preparing) prepared.get();

  std::vector<Node*> made;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto node = std::make_unique<Node>(*this, specs[i], std::move(capabilities[i]));
    std::lock_guard<std::mutex> lock(mutex_);
    made.push_back(node.get());
    nodes_[specs[i].name] = std::move(node);
  }
  // Create, start and enable every node at once; report the first failure.
  std::vector<std::future<void>> running;
  for (Node* node : made) {
    running.push_back(std::async(std::launch::async, [this, node] {
      const NetworkRecord& network = EnsureNetwork(node->spec().network);
      std::string image = options_.resolve_image ? options_.resolve_image(node->spec().ImageName())
                                                 : node->spec().ImageName();
      {
        Timeline::Scope step(timeline_, "container " + node->name());
        node->Create(image, network.allocated.name);
        node->Start();
        node->RefreshAddresses(network.allocated.name);
      }
      node->EnableCapabilities();
    }));
  }
  std::exception_ptr first_failure;
  if (medium.valid()) running.push_back(std::move(medium));
  for (auto& result : running) {
    try {
      result.get();
    } catch (...) {
      if (!first_failure) first_failure = std::current_exception();
    }
  }
  if (first_failure) std::rethrow_exception(first_failure);
}

Node& VirtualHome::AddNode(const NodeSpec& spec) {
  AddNodes({spec});
  return node(spec.name);
}

Node& VirtualHome::node(const std::string& node_name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = nodes_.find(node_name);
  if (found == nodes_.end()) {
    std::string known;
    for (const auto& [name, node] : nodes_) known += (known.empty() ? "" : ", ") + name;
    throw Error(ErrorCode::kNotFound, "home '" + options_.name + "' has no node '" + node_name +
                                          "'; its nodes: " + (known.empty() ? "(none)" : known));
  }
  return *found->second;
}

std::vector<std::string> VirtualHome::NodeNames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, node] : nodes_) names.push_back(name);
  return names;
}

void VirtualHome::RemoveNode(const std::string& node_name) {
  Node& target = node(node_name);
  std::vector<std::string> problems = target.DisableCapabilities();
  target.Remove();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    nodes_.erase(node_name);
  }
  if (!problems.empty()) {
    std::string text;
    for (const auto& problem : problems) text += "\n  " + problem;
    throw Error(ErrorCode::kInternal, "removing node '" + node_name + "':" + text);
  }
}

void VirtualHome::RestartNode(const std::string& node_name) {
  Node& target = node(node_name);
  std::vector<std::string> problems = target.DisableCapabilities();
  client().StopContainer(target.container_id(), std::chrono::seconds(5));
  target.Start();
  target.RefreshAddresses("cirque-" + id_ + "-" + NetworkSuffix(target.spec().network));
  target.EnableCapabilities();
  if (!problems.empty()) {
    throw Error(ErrorCode::kInternal, "restarting node '" + node_name + "': " + problems.front());
  }
}

HomeDescription VirtualHome::Describe() {
  HomeDescription description;
  description.id = id_;
  description.name = options_.name;
  {
    std::lock_guard<std::mutex> lock(network_mutex_);
    for (const auto& [network, record] : networks_) {
      description.networks[HomeNetworkName(network)] = record.allocated.ipv4_subnet;
    }
  }
  for (const auto& name : NodeNames()) description.nodes.push_back(node(name).Describe());
  return description;
}

void VirtualHome::Destroy() {
  if (destroyed_) return;
  std::vector<std::string> problems;
  std::vector<Node*> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [name, node] : nodes_) all.push_back(node.get());
  }
  std::vector<std::future<std::vector<std::string>>> removing;
  for (Node* node : all) {
    removing.push_back(std::async(std::launch::async, [node] {
      std::vector<std::string> node_problems = node->DisableCapabilities();
      try {
        node->Remove();
      } catch (const std::exception& error) {
        node_problems.push_back(error.what());
      }
      return node_problems;
    }));
  }
  for (auto& result : removing) {
    for (auto& problem : result.get()) problems.push_back(std::move(problem));
  }
  if (host_rules_) {
    try {
      host_rules_->RemoveAll();
    } catch (const std::exception& error) {
      problems.push_back(error.what());
    }
  }
  agent_.reset();
  radios_.reset();
  // Anything labelled as this home's that the records missed (a create
  // whose answer was lost) goes too.
  try {
    for (const auto& container : client().ListContainers({{kHomeLabel, id_}})) {
      client().RemoveContainer(container.id, true);
    }
  } catch (const std::exception& error) {
    problems.push_back(error.what());
  }
  try {
    for (const auto& network : client().ListNetworks({{kHomeLabel, id_}})) {
      client().RemoveNetwork(network.id);
    }
  } catch (const std::exception& error) {
    problems.push_back(error.what());
  }
  {
    std::lock_guard<std::mutex> lock(network_mutex_);
    networks_.clear();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    nodes_.clear();
  }
  destroyed_ = true;
  if (!problems.empty()) {
    std::string text;
    for (const auto& problem : problems) text += "\n  " + problem;
    throw Error(ErrorCode::kInternal, "destroying home '" + options_.name + "' (" + id_ + "):" + text);
  }
}

}  // namespace cirque::home
