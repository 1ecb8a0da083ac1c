// What gives a node its functions. A capability joins a node's life at
// these points (the testcontainers lifecycle hooks, Cirque's capability
// methods):
//
//   Requirements  up front: what the engine's host must offer
//   Prepare       once per node, while the home makes its networks and
//                 checks requirements, before any container exists: start
//                 home-scoped resources the capability will need
//   Configure     before the container is created: add to its configuration
//   Equip         right after it started: give the node what it has as
//                 hardware (a radio). Also runs for a home made ahead of
//                 need (VirtualHome::Prepare), whose Enable comes later,
//                 or never: what Equip makes must go with the container
//                 or with a home-scoped resource, not through Disable
//   Enable        after Equip: run what it needs inside or on the host
//   Disable       before it stops: undo what Enable did
//   Describe      any time: what it reports, for queries and failure messages
//   Adopt         instead of Prepare, Configure and Enable, when a later
//                 process takes over a running node that an earlier one
//                 made and enabled (a service started again after a crash:
//                 VirtualHome::Adopt): recover what Enable kept, from the
//                 node and the home, without changing the node
//
// A node enables its capabilities in the order its spec lists them, and
// disables them in reverse: a capability that uses what another makes (a
// shaped wlan0 needs WiFi first) is listed after it.
//
// The core knows a capability only through this interface and the
// registry (capability_registry.h): its settings, JSON keys and
// requirements are its own.
//
// Thread safety: a node calls its capabilities from one thread at a time
// (Describe and Artifacts included); different nodes' capabilities run in
// parallel, so what they share goes through the home (home_context.h).
#ifndef CIRQUE_TEST_HOME_CAPABILITY_H_
#define CIRQUE_TEST_HOME_CAPABILITY_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cirque_test/docker/container_spec.h"
#include "cirque_test/docker/exec_spec.h"
#include "cirque_test/home/home_context.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/node_spec.h"
#include "cirque_test/home/requirement.h"
#include "cirque_test/util/error.h"

namespace cirque::home {

// What a capability may do with its running node.
class NodeRuntime {
 public:
  virtual ~NodeRuntime() = default;
  virtual const std::string& node_name() const = 0;
  // Throws Error (kFailedPrecondition) once the node was removed.
  virtual std::string container_id() const = 0;
  virtual const std::string& home_id() const = 0;
  // The node's main process, in the engine host's pid namespace (0 before
  // it started): names the node's namespaces to tools on the engine host.
  virtual int host_pid() const = 0;
  // The node's IPv4 address and the subnet ("172.28.3.0/24") of the home
  // network it joined first.
  virtual std::string ipv4_address() const = 0;
  virtual std::string subnet() const = 0;
  // The Docker network of that home network: the node's own home's, never
  // another home's.
  virtual std::string network_name() const = 0;
  // Runs argv in the node. Non-zero exits are results, not errors.
  virtual docker::ExecResult Exec(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds deadline) = 0;
  // Starts argv in the node in the background; returns at once.
  virtual std::string ExecBackground(const std::vector<std::string>& argv) = 0;
  // Writes `content` to `path` in the node (its folder must exist). On
  // failure (a full disk, say) no half-written file is left at `path`.
  virtual void WriteFile(const std::string& path, const std::string& content, int mode) = 0;
  // Runs argv in the engine host's network namespace (for iptables), with
  // NET_ADMIN, through the home's host agent.
  virtual docker::ExecResult HostExec(const std::vector<std::string>& argv) = 0;
  // The home's iptables rules on the engine's host, shared by
  // all its nodes and removed with the home.
  virtual HostRules& host_rules() = 0;
  // The home the node belongs to.
  virtual HomeContext& home() = 0;
};

class Capability {
 public:
  virtual ~Capability() = default;

  // The registry name: "TrafficControl".
  virtual std::string name() const = 0;
  virtual std::vector<Requirement> Requirements() const { return {}; }
  virtual void Prepare(HomeContext& home) { (void)home; }
  virtual void Configure(docker::ContainerSpec& container) { (void)container; }
  // Throws Error naming the node and the tool's output on failure.
  virtual void Equip(NodeRuntime& node) { (void)node; }
  // Throws Error naming the node and the tool's output on failure.
  virtual void Enable(NodeRuntime& node) { (void)node; }
  // Must not throw for a half-enabled node; reports what it could not undo.
  virtual void Disable(NodeRuntime& node) { (void)node; }
  // Throws Error naming the node and what could not be recovered. The
  // default suits a capability that keeps nothing between Enable and
  // Disable that it could not work out again.
  virtual void Adopt(NodeRuntime& node) { (void)node; }
  virtual std::map<std::string, std::string> Describe() const { return {}; }
  // Files in the node worth keeping when a test fails (logs, captures).
  virtual std::vector<std::string> Artifacts() const { return {}; }
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_CAPABILITY_H_
