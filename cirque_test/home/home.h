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
// Before creating any node, the home checks every requirement of every
// node's capabilities against the engine (UnmetRequirementError), and runs
// the reaper for resources of dead runs. Networks and the radio medium come
// up while it checks.
//
// Thread safety: all methods may be called from several threads; nodes are
// created and removed in parallel internally.
#ifndef CIRQUE_TEST_HOME_HOME_H_
#define CIRQUE_TEST_HOME_HOME_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/engine_features.h"
#include "cirque_test/home/host_agent.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/node.h"
#include "cirque_test/home/node_spec.h"
#include "cirque_test/home/radio_medium.h"
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
  std::string helper_image;  // REQUIRED when a node needs the host agent
  // Image (name, through resolve_image) with iw and iproute2 for the radio
  // medium's helper, and the
  // hwsim_ctl tool to copy into it. Needed when a node has a radio.
  std::string radio_image;
  std::string hwsim_ctl_path;
  // Host interface of the engine's host for IpvLan / MacvLan nodes.
  std::string lan_parent;
  // Remove resources of dead runs before creating anything. Default: true.
  bool reap_dead_runs = true;
};

struct HomeDescription {
  std::string id;
  std::string name;
  std::map<std::string, std::string> networks;  // "default" -> "10.200.7.0/24"
  std::vector<NodeDescription> nodes;
};

class VirtualHome {
 public:
  // Makes the home and its nodes (in parallel). On failure, removes what it
  // made and throws: UnmetRequirementError when the engine lacks something
  // a capability needs, Error otherwise, naming the node and the cause.
  static std::unique_ptr<VirtualHome> Create(HomeOptions options,
                                             const std::vector<NodeSpec>& nodes = {});
  // Destroys the home; never throws.
  ~VirtualHome();
  VirtualHome(const VirtualHome&) = delete;
  VirtualHome& operator=(const VirtualHome&) = delete;

  const std::string& id() const { return id_; }
  const std::string& name() const { return options_.name; }

  // Adds nodes, in parallel, also while the home runs. Throws as Create;
  // nodes that were made before a failure stay in the home.
  void AddNodes(const std::vector<NodeSpec>& nodes);
  Node& AddNode(const NodeSpec& spec);
  // Disables the node's capabilities and removes its container.
  void RemoveNode(const std::string& node_name);
  // Stops and starts the node's container, then enables its capabilities
  // again; addresses are kept.
  void RestartNode(const std::string& node_name);

  // Throws Error (kNotFound) naming the home's nodes when there is none.
  Node& node(const std::string& node_name);
  std::vector<std::string> NodeNames() const;
  HomeDescription Describe();

  // Removes every node, rule, agent and network of the home. Idempotent.
  // Throws Error listing what could not be removed, after trying it all.
  void Destroy();
  bool destroyed() const { return destroyed_; }

  // For capabilities: the engine's features, the host agent (started on
  // first use) and the home's host firewall rules.
  const EngineFeatures& features();
  HostAgent& agent();
  HostRules& host_rules();
  // The home's radio medium, started on first use.
  RadioMedium& radios();
  docker::DockerClient& client() { return *options_.client; }
  // When each set-up step began and ended.
  Timeline& timeline() { return timeline_; }

 private:
  explicit VirtualHome(HomeOptions options);

  struct NetworkRecord {
    AllocatedNetwork allocated;
    std::string gateway;
  };
  // Creates the network on first use and returns its record.
  const NetworkRecord& EnsureNetwork(HomeNetwork network);
  void CheckRequirements(const std::vector<NodeSpec>& specs,
                         const std::vector<std::vector<std::unique_ptr<Capability>>>& capabilities);
  friend class Node;
  // The IPv4 subnet of one of the home's networks, or "".
  std::string NetworkSubnet(HomeNetwork network);

  HomeOptions options_;
  std::string id_;
  Timeline timeline_;
  bool destroyed_ = false;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Node>> nodes_;      // GUARDED_BY(mutex_)
  std::map<HomeNetwork, NetworkRecord> networks_;           // GUARDED_BY(network_mutex_)
  std::mutex network_mutex_;
  std::once_flag agent_started_;
  std::unique_ptr<HostAgent> agent_;
  std::once_flag rules_made_;
  std::unique_ptr<HostRules> host_rules_;
  std::atomic<bool> wants_radios_{false};  // a node needs a radio
  std::once_flag radios_started_;
  std::unique_ptr<RadioMedium> radios_;
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_HOME_H_
