// A running node of a virtual home: one container, its capabilities, and
// what a test does with it (exec, background processes, logs, queries).
//
// Ownership: a node is shared between its home and whoever holds it
// (VirtualHome::SharedNode). A Node& from VirtualHome::node stays valid as
// long as the VirtualHome object lives, also after the node was removed or
// the home destroyed; calls that need the container then throw Error
// (kFailedPrecondition) saying the node was removed. A SharedNode that
// outlives its home answers name(), spec(), removed() and those errors
// only; home() and host_rules() must not be called on it then.
//
// Thread safety: every public method may be called from several threads,
// also while the home removes the node.
#ifndef CIRQUE_TEST_HOME_NODE_H_
#define CIRQUE_TEST_HOME_NODE_H_

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/home/capability.h"
#include "cirque_test/home/exec_channel.h"
#include "cirque_test/home/node_spec.h"

namespace cirque::home {

class VirtualHome;

// What a node reports about itself.
struct NodeDescription {
  std::string name;
  std::string type;
  std::string image;
  std::string container_id;
  std::string state;  // "running", "exited", ..., or "removed"
  std::string ipv4_address;
  std::string ipv6_address;
  // How its commands run: "exec agent", or "docker exec" (with the reason
  // when the agent could not start).
  std::string exec_path;
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
  std::string image() const;
  bool removed() const;

  // NodeRuntime.
  const std::string& node_name() const override { return spec_.name; }
  std::string container_id() const override;
  const std::string& home_id() const override;
  int host_pid() const override;
  std::string ipv4_address() const override;
  std::string subnet() const override;
  std::string network_name() const override;
  docker::ExecResult Exec(const std::vector<std::string>& argv,
                          std::chrono::milliseconds deadline = kDefaultExecDeadline) override;
  docker::ExecResult HostExec(const std::vector<std::string>& argv) override;
  HostRules& host_rules() override;
  HomeContext& home() override;

  std::string ipv6_address() const;
  // Waits until the exec agent started at the container's start is
  // running or has failed to (OpenExecChannel); commands need not wait:
  // before, they run through docker exec.
  void AwaitExecChannel();
  // The address of the home network's gateway ("10.200.7.1"), or "".
  std::string gateway() const;

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
  // The capability named `capability_name` as a T. Throws Error
  // (kNotFound) when the node has none, (kInvalidArgument) when it is not
  // a T. Lives as long as the node.
  template <typename T>
  T& CapabilityAs(const std::string& capability_name) {
    Capability* found = FindCapability(capability_name);
    if (found == nullptr) throw NoSuchCapability(capability_name);
    T* typed = dynamic_cast<T*>(found);
    if (typed == nullptr) throw CapabilityOfAnotherType(capability_name);
    return *typed;
  }
  // Runs `action` on the node's capabilities, one thread at a time with
  // Enable, Disable and Describe: for calls into a capability from tests.
  template <typename Action>
  decltype(auto) WithCapabilities(Action&& action) {
    std::lock_guard<std::recursive_mutex> lock(capability_mutex_);
    return action();
  }

 private:
  friend class VirtualHome;

  Error NoSuchCapability(const std::string& capability_name) const;
  Error CapabilityOfAnotherType(const std::string& capability_name) const;
  Error RemovedError() const;
  // The container's id; throws RemovedError when there is none.
  std::string LiveContainer() const;

  // Lifecycle steps, called by the home.
  docker::ContainerSpec ContainerConfiguration(const std::string& image,
                                               const std::string& network_name);
  void Create(const std::string& image, const std::string& network_name);
  void Start();
  // Starts the exec agent in the (running) container when the home has
  // one, in the background: commands go through docker exec until it
  // answers, and for good where it cannot start (Describe's exec_path says
  // why). Never throws.
  void OpenExecChannel();
  // Closes the agent's stream (the agent then ends), before the container
  // stops: commands go through docker exec until OpenExecChannel.
  void CloseExecChannel();
  void EquipCapabilities();
  void EnableCapabilities();
  // Best effort; returns what failed.
  std::vector<std::string> DisableCapabilities();
  // Removes the container; the node is then "removed" for good.
  void Remove();
  void RefreshAddresses(const std::string& network_name);
  // Adoption (VirtualHome::Adopt): takes over the running container
  // `container_id` made from `image`, then lets each capability recover
  // its state; the capabilities count as enabled afterwards.
  void Attach(const std::string& container_id, const std::string& image, const std::string& network_name);
  void AdoptCapabilities();

  VirtualHome& home_;  // used only while the node is in its home
  // Copies: a SharedNode may outlive its home, and its errors still name it.
  const std::string home_id_;
  std::string home_name_;  // changed only by VirtualHome::Activate, before the node is shared
  const NodeSpec spec_;
  std::vector<std::unique_ptr<Capability>> capabilities_;
  // Held around every call into a capability (recursive: an action run
  // through WithCapabilities may call the node's own methods).
  std::recursive_mutex capability_mutex_;
  std::vector<Capability*> enabled_;  // GUARDED_BY(capability_mutex_); enable order

  mutable std::mutex state_mutex_;
  std::string image_;             // GUARDED_BY(state_mutex_)
  std::string container_id_;      // GUARDED_BY(state_mutex_)
  bool removed_ = false;          // GUARDED_BY(state_mutex_)
  std::string ipv4_address_, ipv6_address_, subnet_, gateway_;  // GUARDED_BY(state_mutex_)
  int host_pid_ = 0;  // GUARDED_BY(state_mutex_); in the engine host's pid namespace
  std::shared_ptr<ExecChannel> exec_channel_;  // GUARDED_BY(state_mutex_); null: docker exec
  std::string exec_path_;  // GUARDED_BY(state_mutex_); how commands run, for Describe
  uint64_t exec_generation_ = 0;  // GUARDED_BY(state_mutex_); one per start of the container
  // The agent being started; waited for before the node's container goes
  // (Remove), as it uses the home.
  std::mutex opening_mutex_;
  std::future<void> exec_channel_opening_;  // GUARDED_BY(opening_mutex_)
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_NODE_H_
