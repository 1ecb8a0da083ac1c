#include "cirque_test/home/node_spec.h"

#include <algorithm>

#include "cirque_test/util/error.h"

namespace cirque::home {

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
  if (!HasCapability(capability)) capabilities.push_back(std::move(capability));
  return *this;
}

NodeSpec& NodeSpec::OnNetwork(HomeNetwork home_network) {
  network = home_network;
  return *this;
}

NodeSpec& NodeSpec::Running(std::vector<std::string> argv) {
  command = std::move(argv);
  return *this;
}

NodeSpec& NodeSpec::WithSetting(std::string key, std::string json) {
  settings[std::move(key)] = std::move(json);
  return *this;
}

bool NodeSpec::HasCapability(const std::string& capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

std::string NodeSpec::Setting(const std::string& key) const {
  auto found = settings.find(key);
  return found == settings.end() ? "" : found->second;
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
  if (spec.type.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + spec.name + "': type '' is empty; name the node's role, e.g. generic");
  }
  for (size_t i = 0; i < spec.capabilities.size(); ++i) {
    for (size_t j = i + 1; j < spec.capabilities.size(); ++j) {
      if (spec.capabilities[i] == spec.capabilities[j]) {
        throw Error(ErrorCode::kInvalidArgument, "node '" + spec.name + "': capability '" +
                                                     spec.capabilities[i] + "' is listed twice");
      }
    }
  }
}

}  // namespace cirque::home
