#include "capabilities/builtin_capabilities.h"

#include "capabilities/interactive.h"
#include "capabilities/lan_access.h"
#include "capabilities/mount.h"
#include "capabilities/thread/thread_settings.h"
#include "capabilities/traffic_control.h"
#include "capabilities/weave.h"
#include "capabilities/wifi_access_point.h"
#include "capabilities/wifi_settings.h"
#include "capabilities/wifi_station.h"
#include "capabilities/xvnc/xvnc_capability.h"

namespace cirque::capabilities {

void RegisterBuiltinCapabilities(home::CapabilityRegistry& registry, const BuiltinOptions& options) {
  registry.Register("Interactive", [](const home::NodeSpec&) { return std::make_unique<Interactive>(); });
  registry.Register("LanAccess", [](const home::NodeSpec&) { return std::make_unique<LanAccess>(); });
  registry.Register({.name = kMount, .json_keys = {kMountPairsKey}, .make = [](const home::NodeSpec& node) {
                       return std::make_unique<Mount>(MountsOf(node));
                     }});
  registry.Register({.name = kTrafficControl,
                     .json_keys = {kTrafficControlKey},
                     .make = [](const home::NodeSpec& node) {
                       return std::make_unique<TrafficControl>(TrafficShapeOf(node));
                     }});
  registry.Register({.name = kWeave,
                     .json_keys = {"weave_config_file", "weave_config_target_path"},
                     .make = [](const home::NodeSpec& node) {
                       return std::make_unique<Weave>(WeaveSettingsOf(node));
                     }});
  ThreadOptions thread = options.thread;
  registry.Register({.name = kThread,
                     .json_keys = {kThreadPetitionKey, kRcpModeKey, kThreadDaemonKey, kThreadKey},
                     .make = [thread](const home::NodeSpec& node) {
                       return std::make_unique<ThreadCapability>(ThreadSettingsOf(node), thread);
                     }});
  // As in Cirque, "WiFi" on a node of type wifi_ap makes it an access point.
  WifiRadioOptions radio = options.wifi_radio;
  registry.Register({.name = kWifi,
                     .json_keys = {kWifiKey},
                     .make = [radio](const home::NodeSpec& node) -> std::unique_ptr<home::Capability> {
                       if (node.type == kWifiApType) return std::make_unique<WifiAccessPoint>(WifiSettingsOf(node), radio);
                       return std::make_unique<WifiStation>(WifiSettingsOf(node), radio);
                     }});
  XvncOptions xvnc = options.xvnc;
  registry.Register({.name = kXvnc,
                     .json_keys = {kXvncLocalhostKey, kDisplayIdKey, kDockerDisplayIdKey},
                     .make = [xvnc](const home::NodeSpec& node) {
                       return std::make_unique<XvncCapability>(node.name, XvncSettingsOf(node), xvnc);
                     }});
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
