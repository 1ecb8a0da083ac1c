// What gives a node its functions. A capability joins a node's life at four
// points (the testcontainers lifecycle hooks, Cirque's capability methods):
//
//   Configure  before the container is created: add to its configuration
//   Enable     after it started: run what it needs inside or on the host
//   Disable    before it stops: undo what Enable did
//   Describe   any time: what it reports, for queries and failure messages
//
// and declares up front what the engine's host must offer. The home checks
// every requirement of every node before it creates anything.
//
// Thread safety: a home calls a capability from one thread at a time.
#ifndef CIRQUE_TEST_HOME_CAPABILITY_H_
#define CIRQUE_TEST_HOME_CAPABILITY_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cirque_test/docker/container_spec.h"
#include "cirque_test/docker/exec_spec.h"
#include "cirque_test/home/engine_features.h"
#include "cirque_test/home/host_rules.h"
#include "cirque_test/home/node_spec.h"
#include "cirque_test/home/radio_medium.h"
#include "cirque_test/util/error.h"

namespace cirque::home {

// Something the engine's host must offer for a capability to work.
struct Requirement {
  enum class Kind {
    kKernelFeature,  // name: one of EngineFeatures' names ("netem", "hwsim", ...)
    kHostFile,       // name: an absolute path that must exist on the engine's host
  };
  Kind kind;
  std::string name;
  std::string why;  // "for latency and loss"
};

// What a capability may do with its running node.
class NodeRuntime {
 public:
  virtual ~NodeRuntime() = default;
  virtual const std::string& node_name() const = 0;
  virtual const std::string& container_id() const = 0;
  virtual const std::string& home_id() const = 0;
  // The node's IPv4 address and the subnet ("172.28.3.0/24") of the home
  // network it joined first.
  virtual std::string ipv4_address() const = 0;
  virtual std::string subnet() const = 0;
  // Runs argv in the node. Non-zero exits are results, not errors.
  virtual docker::ExecResult Exec(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds deadline) = 0;
  // Starts argv in the node in the background; returns at once.
  virtual std::string ExecBackground(const std::vector<std::string>& argv) = 0;
  // Writes `content` to `path` in the node (its folder must exist).
  virtual void WriteFile(const std::string& path, const std::string& content, int mode) = 0;
  // Runs argv in the engine host's network namespace (for iptables), with
  // NET_ADMIN, through the home's host agent.
  virtual docker::ExecResult HostExec(const std::vector<std::string>& argv) = 0;
  // The home's iptables rules on the engine's host, shared by
  // all its nodes and removed with the home.
  virtual HostRules& host_rules() = 0;
  // Gives the node a simulated radio of the home's medium, its interface
  // named `interface`; DetachRadio deletes it.
  virtual RadioAttachment AttachRadio(const std::string& interface) = 0;
  virtual void DetachRadio(const RadioAttachment& radio) = 0;
};

class Capability {
 public:
  virtual ~Capability() = default;

  // The registry name: "TrafficControl".
  virtual std::string name() const = 0;
  virtual std::vector<Requirement> Requirements() const { return {}; }
  virtual void Configure(docker::ContainerSpec& container) { (void)container; }
  // Throws Error naming the node and the tool's output on failure.
  virtual void Enable(NodeRuntime& node) { (void)node; }
  // Must not throw for a half-enabled node; reports what it could not undo.
  virtual void Disable(NodeRuntime& node) { (void)node; }
  virtual std::map<std::string, std::string> Describe() const { return {}; }
  // Files in the node worth keeping when a test fails (logs, captures).
  virtual std::vector<std::string> Artifacts() const { return {}; }
};

// Thrown by a home whose nodes need what the engine's host lacks. A fixture
// turns it into GTEST_SKIP with the message, which names the missing piece
// and the fix.
class UnmetRequirementError : public Error {
 public:
  explicit UnmetRequirementError(const std::string& message)
      : Error(ErrorCode::kFailedPrecondition, message) {}
};

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_CAPABILITY_H_
