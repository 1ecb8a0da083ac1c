#include "cirque_test/home/node_spec.h"

#include <algorithm>

#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

[[noreturn]] void Invalid(const NodeSpec& spec, const std::string& field,
                          const std::string& value, const std::string& allowed) {
  throw Error(ErrorCode::kInvalidArgument, "node '" + spec.name + "': " + field + " '" + value +
                                               "' " + allowed);
}

std::string Number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

bool IsWifiChannel(int channel) {
  if (channel >= 1 && channel <= 11) return true;
  for (int five : {36, 40, 44, 48, 149, 153, 157, 161, 165}) {
    if (channel == five) return true;
  }
  return false;
}

int WifiChannelFrequency(int channel) {
  return channel >= 36 ? 5000 + 5 * channel : 2407 + 5 * channel;
}

const char* HomeNetworkName(HomeNetwork network) {
  switch (network) {
    case HomeNetwork::kDefault: return "default";
    case HomeNetwork::kInternal: return "Internal";
    case HomeNetwork::kIpv6: return "Ipv6";
    case HomeNetwork::kIpvlan: return "IpvLan";
    case HomeNetwork::kMacvlan: return "MacvLan";
  }
  return "default";
}

NodeSpec NodeSpec::Named(std::string node_name) {
  NodeSpec spec;
  spec.name = std::move(node_name);
  return spec;
}

NodeSpec& NodeSpec::Type(std::string node_type) {
  type = std::move(node_type);
  return *this;
}

NodeSpec& NodeSpec::Image(std::string image) {
  base_image = std::move(image);
  return *this;
}

NodeSpec& NodeSpec::WithCapability(std::string capability) {
  capabilities.push_back(std::move(capability));
  return *this;
}

NodeSpec& NodeSpec::On(HomeNetwork home_network) {
  network = home_network;
  return *this;
}

NodeSpec& NodeSpec::Running(std::vector<std::string> argv) {
  command = std::move(argv);
  return *this;
}

NodeSpec& NodeSpec::Shaped(TrafficShape shape) {
  traffic = std::move(shape);
  return *this;
}

NodeSpec& NodeSpec::Mount(std::string host_path, std::string container_path, bool read_only) {
  mounts.push_back({std::move(host_path), std::move(container_path), read_only});
  return *this;
}

bool NodeSpec::HasCapability(const std::string& capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

void ValidateNodeSpec(const NodeSpec& spec) {
  if (spec.name.empty() || spec.name.size() > 40 ||
      !std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      }) || spec.name.front() == '-') {
    throw Error(ErrorCode::kInvalidArgument,
                "node name '" + spec.name +
                    "' is not allowed: use 1 to 40 of a-z, 0-9 and '-', not starting with '-'");
  }
  if (spec.type.empty()) Invalid(spec, "type", "", "is empty; name the node's role, e.g. generic");
  for (size_t i = 0; i < spec.capabilities.size(); ++i) {
    for (size_t j = i + 1; j < spec.capabilities.size(); ++j) {
      if (spec.capabilities[i] == spec.capabilities[j]) {
        Invalid(spec, "capability", spec.capabilities[i], "is listed twice");
      }
    }
  }
  const TrafficShape& traffic = spec.traffic;
  if (traffic.latency_ms < 0 || traffic.latency_ms > 60000) {
    Invalid(spec, "traffic_control.latencyMs", std::to_string(traffic.latency_ms), "is not in 0..60000");
  }
  if (traffic.jitter_ms < 0 || traffic.jitter_ms > 60000) {
    Invalid(spec, "traffic_control.jitterMs", std::to_string(traffic.jitter_ms), "is not in 0..60000");
  }
  if (traffic.jitter_ms > 0 && traffic.latency_ms == 0) {
    Invalid(spec, "traffic_control.jitterMs", std::to_string(traffic.jitter_ms),
            "needs a latencyMs to vary around; set latencyMs too");
  }
  if (traffic.loss_percent < 0 || traffic.loss_percent > 100) {
    Invalid(spec, "traffic_control.loss", Number(traffic.loss_percent), "is not in 0..100 (percent)");
  }
  if (traffic.rate_kbit < 0) {
    Invalid(spec, "traffic_control.rateKbit", std::to_string(traffic.rate_kbit), "is negative");
  }
  if (traffic.interface.empty()) {
    Invalid(spec, "traffic_control.interface", "", "is empty; name an interface such as eth0");
  }
  if (!traffic.IsEmpty() && !spec.HasCapability("TrafficControl")) {
    Invalid(spec, "traffic_control", "set", "needs capability TrafficControl on the node");
  }
  for (const auto& mount : spec.mounts) {
    if (mount.host_path.empty() || mount.host_path.front() != '/') {
      Invalid(spec, "mount_pairs host path", mount.host_path, "is not an absolute path");
    }
    if (mount.container_path.empty() || mount.container_path.front() != '/') {
      Invalid(spec, "mount_pairs container path", mount.container_path, "is not an absolute path");
    }
  }
  const WifiSettings& wifi = spec.wifi;
  if (wifi.security != "open" && wifi.security != "wpa2" && wifi.security != "wpa3") {
    Invalid(spec, "wifi.security", wifi.security, "is not one of open, wpa2, wpa3");
  }
  if (!IsWifiChannel(wifi.channel)) {
    Invalid(spec, "wifi.channel", std::to_string(wifi.channel),
            "is not a channel of the simulated radios (2.4 GHz: 1..11; 5 GHz: 36, 40, 44, 48, 149, 153, 157, "
            "161, 165)");
  }
  if (wifi.mode != "router" && wifi.mode != "bridge") {
    Invalid(spec, "wifi.mode", wifi.mode, "is not one of router, bridge");
  }
  if (wifi.ssid.size() > 32) Invalid(spec, "wifi.ssid", wifi.ssid, "is longer than 32 bytes");
  if (!wifi.passphrase.empty() && (wifi.passphrase.size() < 8 || wifi.passphrase.size() > 63)) {
    Invalid(spec, "wifi.passphrase", wifi.passphrase, "must have 8 to 63 characters");
  }
  if (!spec.mounts.empty() && !spec.HasCapability("Mount")) {
    Invalid(spec, "mount_pairs", "set", "needs capability Mount on the node");
  }
  if (spec.HasCapability("Weave")) {
    if (spec.weave_config_file.empty() || spec.weave_config_file.front() != '/') {
      Invalid(spec, "weave_config_file", spec.weave_config_file,
              "must be the absolute host path of the Weave certificate");
    }
    if (spec.weave_config_target_path.empty() || spec.weave_config_target_path.front() != '/') {
      Invalid(spec, "weave_config_target_path", spec.weave_config_target_path,
              "is not an absolute path");
    }
  }
}

}  // namespace cirque::home
