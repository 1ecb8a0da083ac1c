// What every user of cirque in a process shares: one engine client (the
// local socket or DOCKER_HOST), the node images (built on first use when
// tools/setup has not), and the registry of built-in capabilities. From a
// name and node specs it makes a ready home.
//
//   auto home = cirque::runtime::Runtime::Default().MakeHome("demo", {NodeSpec::Named("hub")});
//
// Errors: Error, as VirtualHome::Create throws it; image builds throw
// Error naming the image and the failing step.
// Thread safety: every method may be called from any thread.
#ifndef CIRQUE_TEST_RUNTIME_RUNTIME_H_
#define CIRQUE_TEST_RUNTIME_RUNTIME_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cirque_test/docker/docker_client.h"
#include "cirque_test/engine/engine_probe.h"
#include "cirque_test/home/capability_registry.h"
#include "cirque_test/home/home.h"

namespace cirque::runtime {

class Runtime {
 public:
  // The process-wide runtime, made on first use.
  static Runtime& Default();

  Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  docker::DockerClient& client() { return *client_; }
  // The built-in capabilities; a caller may register its own here too.
  home::CapabilityRegistry& registry() { return registry_; }

  // A catalogue image name ("generic", "wifi-ap", or Cirque's type
  // "wifi_ap") becomes its current reference, building it when missing;
  // any other name is returned as is.
  std::string ResolveImage(const std::string& name);

  // Options for a home named `name` with everything above filled in.
  home::HomeOptions HomeOptionsFor(const std::string& name);
  // Whether the engine's host offers `requirement` (an engine feature),
  // probed once per process. Throws Error when the probe cannot run.
  bool EngineHas(const home::Requirement& requirement);
  // What is known of the engine's host so far, probing `requirements` first.
  engine::EngineReport ProbeEngine(const std::vector<home::Requirement>& requirements);

  std::unique_ptr<home::VirtualHome> MakeHome(const std::string& name, const std::vector<home::NodeSpec>& nodes);
  // VirtualHome::Adopt of home `home_id` with this runtime's options.
  std::unique_ptr<home::VirtualHome> AdoptHome(const std::string& home_id);

 private:
  std::unique_ptr<docker::DockerClient> client_;
  home::CapabilityRegistry registry_;
  std::shared_ptr<const std::string> exec_agent_;  // null: docker exec only
  std::mutex mutex_;
  std::map<std::string, std::string> resolved_;  // GUARDED_BY(mutex_)
};

// Every engine feature cirque's built-in capabilities and networks may
// need: what `cirque features` reports.
std::vector<home::Requirement> BuiltinEngineRequirements();

}  // namespace cirque::runtime

#endif  // CIRQUE_TEST_RUNTIME_RUNTIME_H_
