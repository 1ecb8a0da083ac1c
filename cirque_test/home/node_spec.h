// What a node is made from: plain data, built in C++ or parsed from
// Cirque's JSON node-spec format (node_spec_json.h).
//
//   NodeSpec sensor = NodeSpec::Named("sensor")
//                         .Type("generic")
//                         .With(capabilities::TrafficShape{.latency_ms = 50});
//
// The core knows capabilities only by name. What a capability needs from a
// node's spec lives in `settings`, under the capability's own keys of
// Cirque's JSON format ("traffic_control", "mount_pairs", ...), as JSON
// text; the capability parses and validates it (capability_registry.h).
// Typed helpers beside each capability write and read those entries, and
// `With(settings)` finds the helper for a typed value by argument-dependent
// lookup: `ApplyTo(NodeSpec&, const Settings&)` in the settings' namespace.
#ifndef CIRQUE_TEST_HOME_NODE_SPEC_H_
#define CIRQUE_TEST_HOME_NODE_SPEC_H_

#include <map>
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

struct NodeSpec {
  std::string name;                // REQUIRED: unique in the home; [a-z0-9-]
  // The role; also the default image. Cirque's types use '_' ("wifi_ap")
  // where catalogue image names use '-' ("wifi-ap"); the runtime maps them.
  std::string type = "generic";
  std::string base_image;          // Default: `type`. A catalogue name or a reference.
  std::vector<std::string> capabilities;  // names in the capability registry
  HomeNetwork network = HomeNetwork::kDefault;
  std::vector<std::string> command;  // Default: keep the node running idle
  std::vector<std::string> env;      // "KEY=value"
  // Capability settings: JSON key -> its value as JSON text. Each key
  // belongs to one registered capability, which the node must list.
  std::map<std::string, std::string> settings;

  static NodeSpec Named(std::string node_name);
  NodeSpec& Type(std::string node_type);
  NodeSpec& Image(std::string image);
  NodeSpec& WithCapability(std::string capability);  // no-op when listed already
  NodeSpec& OnNetwork(HomeNetwork home_network);
  NodeSpec& Running(std::vector<std::string> argv);
  // Sets one settings entry: `json` is the key's value as JSON text.
  NodeSpec& WithSetting(std::string key, std::string json);
  // Typed settings, through the capability's ApplyTo (see above).
  template <typename Settings>
  NodeSpec& With(const Settings& typed_settings) {
    ApplyTo(*this, typed_settings);
    return *this;
  }

  bool HasCapability(const std::string& capability) const;
  // The settings entry for `key`, or "" when unset.
  std::string Setting(const std::string& key) const;
  // The image to make the node from: base_image, or type when unset.
  const std::string& ImageName() const { return base_image.empty() ? type : base_image; }

  friend bool operator==(const NodeSpec&, const NodeSpec&) = default;
};

// Checks what the core can check without an engine or a registry: the
// name, the type, capabilities listed twice. Throws Error
// (kInvalidArgument) naming the node, the field, the value and the fix.
// CapabilityRegistry::Validate checks the capabilities' settings.
void ValidateNodeSpec(const NodeSpec& spec);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_NODE_SPEC_H_
