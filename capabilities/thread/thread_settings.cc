#include "capabilities/thread/thread_settings.h"

#include "capabilities/settings_json.h"

namespace cirque::capabilities {
namespace {

bool IsDevicePath(const std::string& path) {
  if (path.rfind("/dev/", 0) != 0 || path.size() <= 5 || path.back() == '/') return false;
  for (char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                 c == '_' || c == '-' || c == '.';
    if (!plain) return false;
  }
  return path.find("/../") == std::string::npos && path.find("/./") == std::string::npos;
}

void Validate(const home::NodeSpec& node, const ThreadSettings& thread) {
  if (thread.petition < 0 || thread.petition > kMaxThreadPetition) {
    InvalidSetting(node, kThreadPetitionKey, thread.petition,
                   "is out of range: petitions are 0.." + std::to_string(kMaxThreadPetition));
  }
  if (!thread.daemon.empty() && thread.daemon != "ot-daemon" && thread.daemon != "otbr-agent" &&
      thread.daemon != "none") {
    InvalidSetting(node, kThreadDaemonKey, thread.daemon, "is not one of ot-daemon, otbr-agent, none");
  }
  if (!thread.rcp_mode && thread.HostStack() != "none") {
    InvalidSetting(node, kThreadDaemonKey, thread.daemon,
                   "needs an RCP: an NCP (rcp_mode false) runs the Thread stack itself; use \"none\"");
  }
  if (!IsDevicePath(thread.device)) {
    InvalidSetting(node, "thread.device", thread.device,
                   "is not a device path: an absolute path under /dev/ of letters, digits, '_', '-', '.'");
  }
  if (node.network == home::HomeNetwork::kIpvlan || node.network == home::HomeNetwork::kMacvlan) {
    // The radios' multicast would go out on the engine host's LAN, where
    // other homes' radios hear it.
    InvalidSetting(node, "docker_network", home::HomeNetworkName(node.network),
                   "shares the engine host's LAN, so its Thread radio would hear other homes'; give Thread nodes "
                   "a home network of their own (default, Internal or Ipv6)");
  }
  if (thread.time_speed < 1 || thread.time_speed > kMaxThreadTimeSpeed) {
    InvalidSetting(node, "thread.time_speed", thread.time_speed,
                   "is out of range: 1 (real time) to " + std::to_string(kMaxThreadTimeSpeed));
  }
}

}  // namespace

std::string ThreadSettings::HostStack() const {
  if (!daemon.empty()) return daemon;
  return rcp_mode ? "ot-daemon" : "none";
}

void ApplyTo(home::NodeSpec& node, const ThreadSettings& settings) {
  node.WithCapability(kThread);
  node.WithSetting(kThreadPetitionKey, Json(settings.petition).dump());
  node.WithSetting(kRcpModeKey, Json(settings.rcp_mode).dump());
  if (!settings.daemon.empty()) node.WithSetting(kThreadDaemonKey, Json(settings.daemon).dump());
  node.WithSetting(kThreadKey, Json{{"device", settings.device}, {"time_speed", settings.time_speed}}.dump());
}

ThreadSettings ThreadSettingsOf(const home::NodeSpec& node) {
  ThreadSettings thread;
  if (Json petition = SettingOf(node, kThreadPetitionKey); !petition.is_null()) {
    thread.petition = WholeNumber(node, kThreadPetitionKey, petition);
  }
  if (Json rcp = SettingOf(node, kRcpModeKey); !rcp.is_null()) thread.rcp_mode = BoolField(node, kRcpModeKey, rcp);
  if (Json daemon = SettingOf(node, kThreadDaemonKey); !daemon.is_null()) {
    // Cirque's specs may say true/false: the default host stack, or none.
    if (daemon.is_boolean()) {
      thread.daemon = daemon.get<bool>() ? "" : "none";
    } else {
      thread.daemon = StringField(node, kThreadDaemonKey, daemon);
    }
  }
  if (Json extra = SettingOf(node, kThreadKey); !extra.is_null()) {
    if (!extra.is_object()) InvalidSetting(node, kThreadKey, extra, "is not an object");
    CheckKeys(node, "thread.", extra, {"device", "time_speed"});
    if (extra.contains("device")) thread.device = StringField(node, "thread.device", extra["device"]);
    if (extra.contains("time_speed")) thread.time_speed = WholeNumber(node, "thread.time_speed", extra["time_speed"]);
  }
  Validate(node, thread);
  return thread;
}

}  // namespace cirque::capabilities
