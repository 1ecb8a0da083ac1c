#include "capabilities/builtin_capabilities.h"

#include "capabilities/interactive.h"
#include "capabilities/lan_access.h"
#include "capabilities/mount.h"
#include "capabilities/traffic_control.h"
#include "capabilities/weave.h"
#include "capabilities/wifi_access_point.h"
#include "capabilities/wifi_station.h"

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
  // As in Cirque, "WiFi" on a node of type wifi_ap makes it an access point.
  registry.Register("WiFi", [](const home::NodeSpec& node) -> std::unique_ptr<home::Capability> {
    if (node.type == "wifi_ap") return std::make_unique<WifiAccessPoint>(node.wifi);
    return std::make_unique<WifiStation>(node.wifi);
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
