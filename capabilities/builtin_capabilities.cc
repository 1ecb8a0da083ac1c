#include "capabilities/builtin_capabilities.h"

#include "capabilities/interactive.h"
#include "capabilities/lan_access.h"
#include "capabilities/mount.h"
#include "capabilities/traffic_control.h"
#include "capabilities/weave.h"

namespace cirque::capabilities {

void RegisterBuiltinCapabilities(home::CapabilityRegistry& registry) {
  registry.Register("Interactive", [](const home::NodeSpec&) { return std::make_unique<Interactive>(); });
  registry.Register("LanAccess", [](const home::NodeSpec&) { return std::make_unique<LanAccess>(); });
  registry.Register("Mount", [](const home::NodeSpec& node) { return std::make_unique<Mount>(node.mounts); });
  registry.Register("TrafficControl", [](const home::NodeSpec& node) {
    return std::make_unique<TrafficControl>(node.traffic);
  });
  registry.Register("Weave", [](const home::NodeSpec& node) {
    return std::make_unique<Weave>(node.weave_config_file, node.weave_config_target_path);
  });
}

home::CapabilityRegistry& BuiltinCapabilities() {
  static home::CapabilityRegistry* registry = [] {
    auto* made = new home::CapabilityRegistry();
    RegisterBuiltinCapabilities(*made);
    return made;
  }();
  return *registry;
}

}  // namespace cirque::capabilities
