#include "cirque_test/home/node_spec.h"

#include <algorithm>
#include <string>

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

namespace {

// A value as an error message shows it: control characters as \xNN, so
// a terminal shows what was given; cut after 60 characters.
std::string Shown(const std::string& value) {
  static const char* digits = "0123456789abcdef";
  std::string shown;
  for (unsigned char c : value.substr(0, 60)) {
    if (c < 0x20 || c == 0x7f) {
      shown += "\\x";
      shown += digits[c >> 4];
      shown += digits[c & 0xf];
    } else {
      shown += static_cast<char>(c);
    }
  }
  return value.size() > 60 ? shown + "... (" + std::to_string(value.size()) + " characters)" : shown;
}

bool HasControl(const std::string& value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool HasControlOrSpace(const std::string& value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
}

[[noreturn]] void InvalidField(const NodeSpec& spec, const std::string& field, const std::string& value,
                               const std::string& why) {
  throw Error(ErrorCode::kInvalidArgument,
              "node '" + Shown(spec.name) + "': " + field + " '" + Shown(value) + "' " + why);
}

bool IsEnvName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

void ValidateNodeSpec(const NodeSpec& spec) {
  if (spec.name.empty() || spec.name.size() > 40 ||
      !std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      }) || spec.name.front() == '-') {
    throw Error(ErrorCode::kInvalidArgument,
                "node name '" + Shown(spec.name) +
                    "' is not allowed: use 1 to 40 of a-z, 0-9 and '-', not starting with '-'");
  }
  if (spec.type.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + spec.name + "': type '' is empty; name the node's role, e.g. generic");
  }
  // Cirque's device types may hold spaces ("Generic Node"), not control
  // characters.
  if (spec.type.size() > 64 || HasControl(spec.type)) {
    InvalidField(spec, "type", spec.type,
                 "is not a role name: use up to 64 printable characters, e.g. generic");
  }
  // Docker's references are at most 255 characters, none of them blank.
  if (spec.base_image.size() > 255 || HasControlOrSpace(spec.base_image)) {
    InvalidField(spec, "base_image", spec.base_image,
                 "is not an image name: use a catalogue name (generic, thread, wifi-ap, ...) or a reference "
                 "like repo/name:tag, up to 255 characters without spaces");
  }
  for (const auto& variable : spec.env) {
    const auto equals = variable.find('=');
    if (equals == std::string::npos || !IsEnvName(variable.substr(0, equals))) {
      InvalidField(spec, "env entry", variable, "is not KEY=value with KEY of A-Z, a-z, 0-9 and '_'");
    }
    if (variable.find('\0') != std::string::npos) {
      InvalidField(spec, "env entry", variable, "holds a NUL character, which no process environment can");
    }
  }
  for (const auto& argument : spec.command) {
    if (argument.find('\0') != std::string::npos) {
      InvalidField(spec, "command argument", argument, "holds a NUL character, which no argument can");
    }
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
