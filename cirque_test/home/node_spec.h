// What a node is made from: plain data, built in C++ or parsed from
// Cirque's JSON node-spec format (node_spec_json.h).
//
//   NodeSpec sensor = NodeSpec::Named("sensor")
//                         .Type("generic")
//                         .WithCapability("TrafficControl")
//                         .Shaped({.latency_ms = 50, .loss_percent = 1});
#ifndef CIRQUE_TEST_HOME_NODE_SPEC_H_
#define CIRQUE_TEST_HOME_NODE_SPEC_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cirque::home {

// Which of the home's networks a node joins as its first interface (eth0).
enum class HomeNetwork {
  kDefault,   // the home's own bridge, NAT to the outside
  kInternal,  // a bridge with no way out
  kIpv6,      // a bridge with IPv6 addresses as well
  kIpvlan,    // a LAN shared with real devices, on a host interface (ipvlan)
  kMacvlan,   // the same with macvlan, for kernels without ipvlan
};

// "default", "Internal", "Ipv6", "IpvLan", "MacvLan" as in Cirque's specs.
const char* HomeNetworkName(HomeNetwork network);

// Netem and tbf settings for one interface. Zero means "not set".
struct TrafficShape {
  int latency_ms = 0;
  int jitter_ms = 0;
  double loss_percent = 0;
  int rate_kbit = 0;
  std::string interface = "eth0";

  bool NeedsNetem() const { return latency_ms > 0 || jitter_ms > 0 || loss_percent > 0; }
  bool IsEmpty() const { return !NeedsNetem() && rate_kbit == 0; }
};

// A WiFi node's settings. On an access point (type "wifi_ap") they define
// its network; a station uses them only as defaults to connect with.
struct WifiSettings {
  std::string ssid;        // Default on an AP: "cirque-<home id>"
  std::string passphrase;  // Default on an AP with security: random
  std::string security = "wpa2";  // "open", "wpa2" (PSK, CCMP) or "wpa3" (SAE)
  // 2.4 GHz: 1..11; 5 GHz: 36, 40, 44, 48, 149, 153, 157, 161, 165.
  // The band follows from the channel.
  int channel = 6;
  bool hidden = false;
  // "router": the AP has a subnet of its own on wlan0, hands out addresses
  // in it and NATs it out of eth0. "bridge": wlan0 and eth0 share a bridge;
  // stations join the home's wired network and get addresses in its upper
  // half (Docker assigns the lower half to containers).
  std::string mode = "router";
};

struct MountPair {
  std::string host_path;       // on the engine's host
  std::string container_path;  // absolute
  bool read_only = false;
};

struct NodeSpec {
  std::string name;                // REQUIRED: unique in the home; [a-z0-9-]
  std::string type = "generic";    // the role; also the default image
  std::string base_image;          // Default: `type`. A catalogue name or a reference.
  std::vector<std::string> capabilities;  // names in the capability registry
  HomeNetwork network = HomeNetwork::kDefault;
  std::vector<std::string> command;  // Default: keep the node running idle
  std::vector<std::string> env;      // "KEY=value"
  TrafficShape traffic;              // TrafficControl
  std::vector<MountPair> mounts;     // Mount
  WifiSettings wifi;                 // WiFi
  std::string weave_config_file;     // Weave: host path of the certificate
  std::string weave_config_target_path = "/etc/weave/certs";  // Weave
  // Capability-specific settings cirque keeps as given (Thread, Xvnc):
  // "thread_petition", "rcp_mode", "display_id", ...
  std::map<std::string, std::string> extra;

  // Fluent construction.
  static NodeSpec Named(std::string node_name);
  NodeSpec& Type(std::string node_type);
  NodeSpec& Image(std::string image);
  NodeSpec& WithCapability(std::string capability);
  NodeSpec& On(HomeNetwork home_network);
  NodeSpec& Running(std::vector<std::string> argv);
  NodeSpec& Shaped(TrafficShape shape);
  NodeSpec& Mount(std::string host_path, std::string container_path, bool read_only = false);

  bool HasCapability(const std::string& capability) const;
  // base_image, or type when unset.
  const std::string& ImageName() const { return base_image.empty() ? type : base_image; }
};

// Checks what can be checked without an engine. Throws Error
// (kInvalidArgument) naming the node, the field, the value and what is
// allowed, e.g. "node 'ap': traffic_control.loss 150 is not in 0..100".
void ValidateNodeSpec(const NodeSpec& spec);

// The channels the simulated radios serve (see WifiSettings::channel), and
// a channel's centre frequency in MHz (6 -> 2437, 36 -> 5180).
bool IsWifiChannel(int channel);
int WifiChannelFrequency(int channel);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_NODE_SPEC_H_
