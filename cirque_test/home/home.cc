#include "cirque_test/home/home.h"

#include <future>
#include <set>

#include "cirque_test/home/labels.h"
#include "cirque_test/home/parallel_steps.h"
#include "cirque_test/home/reaper.h"
#include "cirque_test/util/error.h"

namespace cirque::home {

VirtualHome::VirtualHome(HomeOptions options, std::string id) : options_(std::move(options)), id_(std::move(id)) {}

std::unique_ptr<VirtualHome> VirtualHome::Create(HomeOptions options,
                                                 const std::vector<NodeSpec>& nodes) {
  return Make(std::move(options), nodes, /*enable=*/true);
}

std::unique_ptr<VirtualHome> VirtualHome::Prepare(HomeOptions options, const std::vector<NodeSpec>& nodes) {
  std::unique_ptr<VirtualHome> home = Make(std::move(options), nodes, /*enable=*/false);
  home->prepared_only_ = true;
  return home;
}

void VirtualHome::Activate(const std::string& name) {
  std::vector<std::shared_ptr<Node>> all;
  {
    std::lock_guard<std::mutex> changing(change_mutex_);
    CheckNotDestroyed();
    if (!prepared_only_) {
      throw Error(ErrorCode::kFailedPrecondition,
                  "home '" + options_.name + "' (" + id_ + ") was not made by Prepare, or is already active");
    }
    prepared_only_ = false;
    options_.name = name;
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [node_name, node] : nodes_) {
      node->home_name_ = name;
      all.push_back(node);
    }
  }
  std::vector<std::future<void>> enabling;
  for (const auto& node : all) {
    Node* each = node.get();
    enabling.push_back(std::async(std::launch::async, [each] { each->EnableCapabilities(); }));
  }
  std::vector<std::exception_ptr> failures = JoinSteps(enabling);
  if (failures.empty()) return;
  try {
    Destroy();
  } catch (const std::exception&) {
    // The capability's error is the one to report; labels let the reaper finish.
  }
  ThrowAll("home '" + name + "': making nodes", std::move(failures));
}

std::unique_ptr<VirtualHome> VirtualHome::Make(HomeOptions options, const std::vector<NodeSpec>& nodes,
                                               bool enable) {
  if (options.client == nullptr || options.registry == nullptr) {
    throw Error(ErrorCode::kInvalidArgument,
                "home '" + options.name + "': HomeOptions.client and .registry are required");
  }
  if (options.reap_dead_runs) ReapDeadRuns(*options.client, options.helper_image);
  std::unique_ptr<VirtualHome> home(new VirtualHome(std::move(options), NewId()));
  try {
    // AddNodes makes the nodes' networks, alongside the resources.
    if (nodes.empty()) home->EnsureNetwork(HomeNetwork::kDefault);
    home->AddNodes(nodes, enable);
  } catch (const Error& error) {
    std::string leftovers;
    try {
      home->Destroy();
    } catch (const std::exception& rollback) {
      leftovers = std::string("; rolling back also failed (the reaper removes the rest): ") + rollback.what();
    }
    if (leftovers.empty()) throw;
    if (const auto* unmet = dynamic_cast<const UnmetRequirementError*>(&error)) {
      throw UnmetRequirementError(unmet->what() + leftovers, unmet->missing());
    }
    throw Error(error.code(), error.what() + leftovers);
  } catch (...) {
    try {
      home->Destroy();
    } catch (const std::exception&) {
      // The set-up error is the one to report; labels let the reaper finish.
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

std::string VirtualHome::ResolveImage(const std::string& image) {
  return options_.resolve_image ? options_.resolve_image(image) : image;
}

docker::Labels VirtualHome::ResourceLabels(const std::string& role) const {
  docker::Labels labels = HomeLabels(id_);
  labels[kRoleLabel] = role;
  return labels;
}

std::string VirtualHome::ResourceName(const std::string& role) const { return "cirque-" + id_ + "." + role; }

void VirtualHome::CheckNotDestroyed() const {
  if (destroyed_) {
    throw Error(ErrorCode::kFailedPrecondition, "home '" + options_.name + "' was destroyed");
  }
}

engine::EngineReport VirtualHome::engine() { return engine::KnownEngineFacts(*options_.client); }

HostAgent& VirtualHome::agent() {
  std::lock_guard<std::mutex> lock(helpers_mutex_);
  if (!agent_) {
    CheckNotDestroyed();
    if (options_.helper_image.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "home '" + options_.name + "': HomeOptions.helper_image is needed for the host agent");
    }
    agent_ = std::make_unique<HostAgent>(*options_.client, options_.helper_image, id_);
  }
  return *agent_;
}

HostRules& VirtualHome::host_rules() {
  HostAgent& host = agent();
  const std::string& iptables = host.Iptables();
  std::lock_guard<std::mutex> lock(helpers_mutex_);
  if (agent_.get() != &host) CheckNotDestroyed();  // Destroy took the agent meanwhile
  if (!host_rules_) {
    HostExecFunction exec = [&host](const std::vector<std::string>& argv) { return host.Exec(argv); };
    // Rules a killed run left with no labelled resource behind: nothing but
    // their comments leads to them, and this agent is already on the host.
    RemoveRulesOfGoneOwners(exec, iptables, OwnerIsGone);
    host_rules_ = std::make_unique<HostRules>(exec, iptables, id_, CurrentOwnerText());
  }
  return *host_rules_;
}

std::vector<VirtualHome::Capabilities> VirtualHome::MakeCapabilities(const std::vector<NodeSpec>& specs) {
  std::set<std::string> names;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [existing, node] : nodes_) names.insert(existing);
  }
  std::vector<Capabilities> capabilities;
  for (const auto& spec : specs) {
    options_.registry->Validate(spec);
    if (!names.insert(spec.name).second) {
      throw Error(ErrorCode::kInvalidArgument, "home '" + options_.name + "': node name '" + spec.name +
                                                   "' is used twice; node names are unique in a home");
    }
    Capabilities node_capabilities;
    for (const auto& name : spec.capabilities) {
      node_capabilities.push_back(options_.registry->Create(name, spec));
    }
    capabilities.push_back(std::move(node_capabilities));
  }
  return capabilities;
}

std::shared_future<void> VirtualHome::PrepareHome(const std::vector<NodeSpec>& specs,
                                                  const std::vector<Capabilities>& capabilities) {
  // Networks and the capabilities' resources come up while the engine is
  // probed for the requirements. The containers need the first two (a
  // capability's Configure may use what its Prepare made), not the probe:
  // on an emulated engine its container takes seconds, so it goes on
  // beside the nodes' starts and a node is equipped only once it is done.
  // An unmet requirement is the error to report, whatever else failed.
  std::vector<std::pair<std::string, Requirement>> needed = RequirementsOf(specs, capabilities);
  std::shared_future<void> probed;
  if (AnsweredAlready(needed)) {
    // Known from an earlier home of this process: nothing is made for a
    // home that cannot be.
    EnforceRequirements(needed);
    std::promise<void> met;
    met.set_value();
    probed = met.get_future().share();
  } else {
    probed = std::async(std::launch::async, [this, needed = std::move(needed)] { EnforceRequirements(needed); }).share();
  }
  std::vector<std::future<void>> preparing;
  std::set<HomeNetwork> networks;
  for (const auto& spec : specs) networks.insert(spec.network);
  for (HomeNetwork network : networks) {
    preparing.push_back(std::async(std::launch::async, [this, network] { EnsureNetwork(network); }));
  }
  for (const auto& node_capabilities : capabilities) {
    for (const auto& capability : node_capabilities) {
      Capability* each = capability.get();
      preparing.push_back(std::async(std::launch::async, [this, each] { each->Prepare(*this); }));
    }
  }
  std::vector<std::exception_ptr> failures = JoinSteps(preparing);
  if (!failures.empty()) {
    probed.wait();
    probed.get();  // an unmet requirement first
    ThrowAll("home '" + options_.name + "': preparing", std::move(failures));
  }
  return probed;
}

void VirtualHome::StartContainer(Node& node, const std::shared_future<void>& prepared) {
  try {
    const NetworkRecord& network = EnsureNetwork(node.spec().network);
    std::string image = ResolveImage(node.spec().ImageName());
    Timeline::Scope step(timeline_, "container " + node.name());
    node.Create(image, network.allocated.name);
    node.Start();
    node.RefreshAddresses(network.allocated.name);
  } catch (const Error& error) {
    // The engine's message names the container by id at best: say which
    // node it was, keeping the request it came from.
    std::string message = "node '" + node.name() + "': " + error.what();
    if (error.has_request()) throw Error(error.code(), message, error.request());
    throw Error(error.code(), message);
  }
  node.OpenExecChannel();
  prepared.get();  // the requirements met; StartNodes reports an unmet one once
  // Capabilities name the node in their own errors.
  node.EquipCapabilities();
}

void VirtualHome::StartNodes(const std::vector<std::shared_ptr<Node>>& nodes, bool enable,
                             const std::shared_future<void>& prepared) {
  std::vector<std::future<void>> running;
  for (const auto& node : nodes) {
    Node* each = node.get();
    running.push_back(std::async(std::launch::async, [this, each, enable, prepared] {
      StartContainer(*each, prepared);
      // Capabilities name the node in their own errors.
      if (enable) each->EnableCapabilities();
    }));
  }
  std::vector<std::exception_ptr> failures;
  for (size_t i = 0; i < nodes.size(); ++i) {
    try {
      running[i].get();
    } catch (...) {
      failures.push_back(std::current_exception());
      // A failed node leaves the home at once, so a retry may use its name.
      for (auto& problem : TakeDown(nodes[i])) {
        failures.push_back(std::make_exception_ptr(Error(ErrorCode::kInternal, "cleaning up: " + problem)));
      }
    }
  }
  prepared.wait();
  prepared.get();  // the error each node saw, once
  if (!failures.empty()) ThrowAll("home '" + options_.name + "': making nodes", std::move(failures));
}

void VirtualHome::AddNodes(const std::vector<NodeSpec>& specs) { AddNodes(specs, /*enable=*/true); }

void VirtualHome::AddNodes(const std::vector<NodeSpec>& specs, bool enable) {
  std::lock_guard<std::mutex> changing(change_mutex_);
  CheckNotDestroyed();
  if (prepared_only_) {
    throw Error(ErrorCode::kFailedPrecondition, "home '" + options_.name + "' is prepared only: Activate it first");
  }
  // Everything that can fail without touching the engine, first.
  std::vector<Capabilities> capabilities = MakeCapabilities(specs);
  std::shared_future<void> prepared = PrepareHome(specs, capabilities);
  std::vector<std::shared_ptr<Node>> made;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto node = std::make_shared<Node>(*this, specs[i], std::move(capabilities[i]));
    std::lock_guard<std::mutex> lock(mutex_);
    nodes_[specs[i].name] = node;
    made.push_back(std::move(node));
  }
  StartNodes(made, enable, prepared);
}

Node& VirtualHome::AddNode(const NodeSpec& spec) {
  AddNodes({spec});
  return node(spec.name);
}

std::shared_ptr<Node> VirtualHome::SharedNode(const std::string& node_name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = nodes_.find(node_name);
  if (found == nodes_.end()) {
    std::string known;
    for (const auto& [name, node] : nodes_) known += (known.empty() ? "" : ", ") + name;
    throw Error(ErrorCode::kNotFound, "home '" + options_.name + "' has no node '" + node_name +
                                          "'; its nodes: " + (known.empty() ? "(none)" : known));
  }
  return found->second;
}

Node& VirtualHome::node(const std::string& node_name) { return *SharedNode(node_name); }

std::vector<std::string> VirtualHome::NodeNames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, node] : nodes_) names.push_back(name);
  return names;
}

std::vector<std::string> VirtualHome::TakeDown(const std::shared_ptr<Node>& node) {
  std::vector<std::string> problems = node->DisableCapabilities();
  try {
    node->Remove();
  } catch (const std::exception& error) {
    problems.push_back(error.what());
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = nodes_.find(node->name());
  if (found != nodes_.end() && found->second == node) nodes_.erase(found);
  retired_.push_back(node);
  return problems;
}

void VirtualHome::RemoveNode(const std::string& node_name) {
  std::lock_guard<std::mutex> changing(change_mutex_);
  CheckNotDestroyed();
  std::vector<std::string> problems = TakeDown(SharedNode(node_name));
  if (!problems.empty()) {
    std::string text;
    for (const auto& problem : problems) text += "\n  " + problem;
    throw Error(ErrorCode::kInternal, "removing node '" + node_name + "':" + text);
  }
}

void VirtualHome::RestartNode(const std::string& node_name) {
  std::lock_guard<std::mutex> changing(change_mutex_);
  CheckNotDestroyed();
  if (prepared_only_) {
    throw Error(ErrorCode::kFailedPrecondition, "home '" + options_.name + "' is prepared only: Activate it first");
  }
  std::shared_ptr<Node> target = SharedNode(node_name);
  std::vector<std::string> problems = target->DisableCapabilities();
  target->CloseExecChannel();
  client().StopContainer(target->container_id(), std::chrono::seconds(5));
  target->Start();
  target->RefreshAddresses(NetworkName(target->spec().network));
  target->OpenExecChannel();
  target->EquipCapabilities();
  target->EnableCapabilities();
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
  std::vector<std::shared_ptr<Node>> nodes;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [name, node] : nodes_) nodes.push_back(node);
  }
  for (const auto& node : nodes) description.nodes.push_back(node->Describe());
  return description;
}

void VirtualHome::Destroy() {
  std::lock_guard<std::mutex> changing(change_mutex_);
  if (destroyed_.exchange(true)) return;
  std::vector<std::string> problems;
  std::vector<std::shared_ptr<Node>> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [name, node] : nodes_) all.push_back(node);
  }
  std::vector<std::future<std::vector<std::string>>> removing;
  for (const auto& node : all) {
    removing.push_back(std::async(std::launch::async, [this, node] { return TakeDown(node); }));
  }
  for (auto& result : removing) {
    for (auto& problem : result.get()) problems.push_back(std::move(problem));
  }
  for (auto& problem : CloseResources()) problems.push_back(std::move(problem));
  {
    std::lock_guard<std::mutex> lock(helpers_mutex_);
    if (host_rules_) {
      try {
        host_rules_->RemoveAll();
      } catch (const std::exception& error) {
        problems.push_back(error.what());
      }
    }
    agent_.reset();
  }
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
  if (!problems.empty()) {
    std::string text;
    for (const auto& problem : problems) text += "\n  " + problem;
    throw Error(ErrorCode::kInternal, "destroying home '" + options_.name + "' (" + id_ + "):" + text);
  }
}

}  // namespace cirque::home
