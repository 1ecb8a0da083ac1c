// A running node of a virtual home: one container, its capabilities, and
// what a test does with it (exec, background processes, logs, queries).
//
// Owned by its VirtualHome; a Node& stays valid until the node is removed
// or the home destroyed. Thread safety: Exec, Logs and Describe may be
// called concurrently.
#ifndef CIRQUE_TEST_HOME_NODE_H_
#define CIRQUE_TEST_HOME_NODE_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/capability.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::home {

class VirtualHome;

// What a node reports about itself.
struct NodeDescription {
  std::string name;
  std::string type;
  std::string image;
  std::string container_id;
  std::string state;  // "running", "exited", ...
  std::string ipv4_address;
  std::string ipv6_address;
  std::vector<std::string> capabilities;
  // Per capability, what it reports ("TrafficControl" -> {"latency_ms": "50"}).
  std::map<std::string, std::map<std::string, std::string>> capability_details;
};

inline constexpr std::chrono::seconds kDefaultExecDeadline{60};

class Node : public NodeRuntime {
 public:
  Node(VirtualHome& home, NodeSpec spec, std::vector<std::unique_ptr<Capability>> capabilities);
  ~Node() override;

  const std::string& name() const { return spec_.name; }
  const NodeSpec& spec() const { return spec_; }
  const std::string& image() const { return image_; }

  // NodeRuntime.
  const std::string& node_name() const override { return spec_.name; }
  const std::string& container_id() const override { return container_id_; }
  const std::string& home_id() const override;
  std::string ipv4_address() const override { return ipv4_address_; }
  std::string subnet() const override { return subnet_; }
  docker::ExecResult Exec(const std::vector<std::string>& argv,
                          std::chrono::milliseconds deadline = kDefaultExecDeadline) override;
  docker::ExecResult HostExec(const std::vector<std::string>& argv) override;
  HostRules& host_rules() override;
  RadioAttachment AttachRadio(const std::string& interface) override;
  void DetachRadio(const RadioAttachment& radio) override;

  std::string ipv6_address() const { return ipv6_address_; }
  // The address of the home network's gateway ("10.200.7.1"), or "".
  std::string gateway() const { return gateway_; }

  // Runs argv with the full set of options (env, user, workdir, streaming).
  docker::ExecResult Exec(docker::ExecSpec spec);
  // Starts argv in the background and returns at once; see BackgroundState.
  std::string ExecBackground(const std::vector<std::string>& argv) override;
  void WriteFile(const std::string& path, const std::string& content, int mode = 0644) override;
  docker::ExecInfo BackgroundState(const std::string& exec_id);

  // The container's output. tail < 0 (the default) gives all of it.
  docker::ContainerLogs Logs(const docker::LogOptions& options = {});

  NodeDescription Describe();

  // The files the node's capabilities want kept when a test fails, copied
  // out of the container: path in the node -> content. Missing files are
  // left out.
  std::map<std::string, std::string> CollectArtifacts();

  // The capability named `capability_name`, or nullptr.
  Capability* FindCapability(const std::string& capability_name);

 private:
  friend class VirtualHome;

  // Lifecycle steps, called by the home.
  docker::ContainerSpec ContainerConfiguration(const std::string& image,
                                               const std::string& network_name);
  void Create(const std::string& image, const std::string& network_name);
  void Start();
  void EnableCapabilities();
  // Best effort; returns what failed.
  std::vector<std::string> DisableCapabilities();
  void Remove();
  void RefreshAddresses(const std::string& network_name);

  VirtualHome& home_;
  NodeSpec spec_;
  std::vector<std::unique_ptr<Capability>> capabilities_;
  std::vector<Capability*> enabled_;  // in the order they were enabled
  std::string image_;
  std::string container_id_;
  std::string ipv4_address_, ipv6_address_, subnet_, gateway_;
  int host_pid_ = 0;  // the main process, in the engine host's pid namespace
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_NODE_H_
