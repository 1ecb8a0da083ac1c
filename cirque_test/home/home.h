// A virtual home: networks and nodes (containers with capabilities), made
// together, changed while running, and removed without a trace.
//
//   auto home = VirtualHome::Create(options, {NodeSpec::Named("hub"),
//                                             NodeSpec::Named("sensor")});
//   home->node("sensor").Exec({"ping", "-c", "1", home->node("hub").ipv4_address()});
//
// Everything a home makes carries its labels (cirque.home, cirque.run,
// cirque.owner) and is recorded as soon as it exists, so Destroy removes
// exactly what the home made, also after a set-up that failed halfway.
// The home checks every requirement of every node's capabilities against
// the engine (UnmetRequirementError) before it equips any node, and runs
// the reaper for resources of dead runs. Networks and the capabilities'
// home-scoped resources come up while it checks, and so do the nodes'
// containers unless the engine's answers are known already (then a home
// that cannot be made makes nothing).
//
// Thread safety: every method may be called from several threads. Changes
// (AddNodes, RemoveNode, RestartNode, Destroy) run one at a time; Exec,
// Describe and the other node calls run alongside them. Nodes are shared:
// a Node& stays valid while this object lives (node.h), a SharedNode while
// anyone holds it; once removed, a node's calls throw a clear Error.
#ifndef CIRQUE_TEST_HOME_HOME_H_
#define CIRQUE_TEST_HOME_HOME_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/home_context.h"
#include "cirque_test/home/host_agent.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/node.h"
#include "cirque_test/home/node_spec.h"
#include "cirque_test/home/subnet_allocator.h"
#include "cirque_test/home/timeline.h"

namespace cirque::home {

struct HomeOptions {
  std::string name = "home";
  docker::DockerClient* client = nullptr;          // REQUIRED; outlives the home
  const CapabilityRegistry* registry = nullptr;    // REQUIRED; outlives the home
  // Turns a node's image name (base_image or type) into an image reference.
  // Default: the name as given.
  std::function<std::string(const std::string&)> resolve_image;
  // Image with iproute2 and iptables, for the engine probe and host agent.
  std::string helper_image;  // REQUIRED when a node needs either
  // Host interface of the engine's host for IpvLan / MacvLan nodes.
  std::string lan_parent;
  // Remove resources of dead runs before creating anything. Default: true.
  bool reap_dead_runs = true;
  // The exec agent's program (//cirque_test/agent:cirque_exec_agent, its
  // bytes), copied into each node as it starts so that the node's commands
  // run through it (exec_channel.h) rather than one docker exec each. A
  // node where it cannot start runs them through docker exec. Default:
  // none (docker exec only).
  std::shared_ptr<const std::string> exec_agent;
};

// What a LAN network (kIpvlan or kMacvlan) needs of the engine's kernel.
Requirement LanRequirement(HomeNetwork network);

struct HomeDescription {
  std::string id;
  std::string name;
  std::map<std::string, std::string> networks;  // "default" -> "10.200.7.0/24"
  std::vector<NodeDescription> nodes;
};

class VirtualHome : public HomeContext {
 public:
  // Makes the home and its nodes (in parallel). On failure, removes what it
  // made and throws: UnmetRequirementError when the engine lacks something
  // a capability needs, Error otherwise, naming the node and the cause.
  static std::unique_ptr<VirtualHome> Create(HomeOptions options,
                                             const std::vector<NodeSpec>& nodes = {});
  // Create in two steps, for a home made ahead of need (a test suite's next
  // home, made while the current test runs: fixtures/warm_homes.h).
  // Prepare does all Create does but enable the nodes' capabilities: it
  // checks requirements, reaps, makes networks and home-scoped resources,
  // and creates and starts every node's container (addresses known), and
  // equips it (Capability::Equip: radios).
  // Throws as Create. Activate then enables every node's capabilities, in
  // parallel, and from then on the home is as Create makes it, named
  // `name` (containers keep the name given to Prepare in their
  // cirque.home_name label: only adoption reads it). On failure Activate
  // destroys the home and throws as Create. Throws Error
  // (kFailedPrecondition) for a home that is not prepared-only.
  static std::unique_ptr<VirtualHome> Prepare(HomeOptions options, const std::vector<NodeSpec>& nodes);
  void Activate(const std::string& name);
  bool prepared_only() const { return prepared_only_; }
  // Takes over home `home_id`, which an earlier process made and no longer
  // runs (a service started again after a crash or SIGKILL, whose homes
  // are labelled with its lasting owner: service_owner.h): its networks,
  // its nodes (rebuilt from the spec on each container, kSpecLabel; each
  // capability recovers its state through Capability::Adopt), and its host
  // agent and rules. The home then works as one made here: nodes can be
  // queried, exec'd in, restarted, added and removed, and Destroy removes
  // it all. Nothing is restarted or changed in the running nodes.
  // Throws Error (kNotFound) when the engine has nothing of the home;
  // otherwise, when a node cannot be adopted (its container stopped, no
  // spec label from an older cirque, a capability that cannot recover),
  // destroys the home and throws Error naming the node and the cause.
  static std::unique_ptr<VirtualHome> Adopt(HomeOptions options, const std::string& home_id);
  // Destroys the home; never throws.
  ~VirtualHome() override;
  VirtualHome(const VirtualHome&) = delete;
  VirtualHome& operator=(const VirtualHome&) = delete;

  // HomeContext.
  const std::string& id() const override { return id_; }
  const std::string& name() const override { return options_.name; }
  docker::DockerClient& client() override { return *options_.client; }
  std::string ResolveImage(const std::string& image) override;
  docker::Labels ResourceLabels(const std::string& role) const override;
  std::string ResourceName(const std::string& role) const override;
  Timeline& timeline() override { return timeline_; }
  const std::shared_ptr<const std::string>& exec_agent() const { return options_.exec_agent; }
  void Require(const std::string& who, const std::vector<Requirement>& requirements) override;

  // Adds nodes, in parallel, also while the home runs. Throws as Create,
  // naming every node that failed; nodes that failed are removed again
  // (their names can be used in a retry), nodes that were made stay.
  void AddNodes(const std::vector<NodeSpec>& nodes);
  Node& AddNode(const NodeSpec& spec);
  // Disables the node's capabilities and removes its container.
  void RemoveNode(const std::string& node_name);
  // Stops and starts the node's container, then enables its capabilities
  // again; addresses are kept.
  void RestartNode(const std::string& node_name);

  // Throws Error (kNotFound) naming the home's nodes when there is none.
  Node& node(const std::string& node_name);
  std::shared_ptr<Node> SharedNode(const std::string& node_name);
  std::vector<std::string> NodeNames() const;
  // The Docker name of the home's network of kind `network` (made on
  // first use by a node on it): "cirque-<id>-default".
  std::string NetworkName(HomeNetwork network) const;
  // The home-scoped resources' artifacts (HomeResource::Artifacts): file
  // name -> content, for a failed test's outputs. Never throws.
  std::map<std::string, std::string> ResourceArtifacts();
  HomeDescription Describe();

  // Leaves the home running and forgets it: its resources and agent are
  // released (HomeResource::Release), later calls fail as after Destroy,
  // and the destructor removes nothing. What it made keeps its labels, so
  // a later process can adopt it (Adopt) or reap it. Idempotent.
  void Release();
  // Removes every node, resource, rule, agent and network of the home.
  // Idempotent: later calls do nothing. Throws Error listing everything
  // that could not be removed, after trying it all.
  void Destroy();
  bool destroyed() const { return destroyed_; }

  // What the engine's host is known to offer so far (probed features).
  engine::EngineReport engine();
  // For capabilities: the host agent (started on first use) and the home's
  // host firewall rules.
  HostAgent& agent();
  HostRules& host_rules();
  // The IPv4 subnet of one of the home's networks, or "".
  std::string NetworkSubnet(HomeNetwork network);

 protected:
  HomeResource& FindOrMakeResource(const std::string& key,
                                   const std::function<std::unique_ptr<HomeResource>()>& make) override;

 private:
  VirtualHome(HomeOptions options, std::string id);
  // Adopt's steps (home_adoption.cc).
  void AdoptNetworks(const std::vector<docker::NetworkInfo>& networks);
  void AdoptNodes(const std::vector<docker::ContainerSummary>& containers);

  struct NetworkRecord {
    AllocatedNetwork allocated;
    std::string gateway;
  };
  using Capabilities = std::vector<std::unique_ptr<Capability>>;

  // Home networks (home_networks.cc).
  const NetworkRecord& EnsureNetwork(HomeNetwork network);
  // Requirements (home_requirements.cc): each with who needs it ("node
  // 'ap': WiFi"); Enforce throws UnmetRequirementError listing every unmet one.
  static std::vector<std::pair<std::string, Requirement>> RequirementsOf(const std::vector<NodeSpec>& specs,
                                                                         const std::vector<Capabilities>& capabilities);
  void EnforceRequirements(const std::vector<std::pair<std::string, Requirement>>& needed);
  // True when the engine's answers to every probe of `needed` are known.
  bool AnsweredAlready(const std::vector<std::pair<std::string, Requirement>>& needed);
  // AddNodes' steps.
  std::vector<Capabilities> MakeCapabilities(const std::vector<NodeSpec>& specs);
  // Makes the nodes' networks and the capabilities' resources while the
  // engine is probed for the requirements; returns the probe, which goes
  // on beside the nodes' container starts (ready with an
  // UnmetRequirementError when one is unmet).
  std::shared_future<void> PrepareHome(const std::vector<NodeSpec>& specs, const std::vector<Capabilities>& capabilities);
  // Make the homes' nodes; their capabilities are enabled when `enable`.
  void AddNodes(const std::vector<NodeSpec>& specs, bool enable);
  // Each node is equipped once `prepared` is ready; returns (or throws
  // prepared's error, before any node's own) only once it is.
  void StartNodes(const std::vector<std::shared_ptr<Node>>& nodes, bool enable, const std::shared_future<void>& prepared);
  void StartContainer(Node& node, const std::shared_future<void>& prepared);
  // Create's and Prepare's common path: on failure, destroys and throws.
  static std::unique_ptr<VirtualHome> Make(HomeOptions options, const std::vector<NodeSpec>& nodes, bool enable);
  // Removes a node's container and moves it out of the home's nodes.
  std::vector<std::string> TakeDown(const std::shared_ptr<Node>& node);
  std::vector<std::string> CloseResources();
  void CheckNotDestroyed() const;

  // Not const for one field: Activate renames a prepared home (name and
  // nodes' copies) before anyone else can see it.
  HomeOptions options_;
  const std::string id_;
  std::atomic<bool> prepared_only_{false};  // set by Prepare, cleared by Activate
  Timeline timeline_;
  std::atomic<bool> destroyed_{false};
  std::mutex change_mutex_;  // held by AddNodes, RemoveNode, RestartNode, Destroy

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Node>> nodes_;  // GUARDED_BY(mutex_)
  // Removed nodes, kept so that a Node& handed out stays valid.
  std::vector<std::shared_ptr<Node>> retired_;          // GUARDED_BY(mutex_)

  std::mutex network_mutex_;
  std::map<HomeNetwork, NetworkRecord> networks_;  // GUARDED_BY(network_mutex_)

  std::mutex resource_mutex_;
  std::condition_variable resource_made_;
  std::vector<std::pair<std::string, std::unique_ptr<HomeResource>>> resources_;  // GUARDED_BY(resource_mutex_)
  std::set<std::string> resources_in_making_;  // GUARDED_BY(resource_mutex_)
  bool resources_closed_ = false;              // GUARDED_BY(resource_mutex_)

  std::mutex helpers_mutex_;  // held while the agent or the rules are made
  std::unique_ptr<HostAgent> agent_;       // GUARDED_BY(helpers_mutex_)
  std::unique_ptr<HostRules> host_rules_;  // GUARDED_BY(helpers_mutex_)
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_HOME_H_
