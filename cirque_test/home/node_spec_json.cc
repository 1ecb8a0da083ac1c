#include "cirque_test/home/node_spec_json.h"

#include <nlohmann/json.hpp>

#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using Json = nlohmann::json;

std::string Shown(const Json& value) {
  std::string text = value.dump();
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

[[noreturn]] void Invalid(const std::string& node, const std::string& key, const Json& value,
                          const std::string& allowed) {
  throw Error(ErrorCode::kInvalidArgument,
              "node '" + node + "': " + key + " " + Shown(value) + " " + allowed);
}

std::string String(const std::string& node, const std::string& key, const Json& value) {
  if (!value.is_string()) Invalid(node, key, value, "is not a string");
  return value.get<std::string>();
}

std::vector<std::string> Strings(const std::string& node, const std::string& key, const Json& value) {
  if (!value.is_array()) Invalid(node, key, value, "is not a list of strings");
  std::vector<std::string> strings;
  for (const auto& item : value) strings.push_back(String(node, key + "[]", item));
  return strings;
}

HomeNetwork ParseNetwork(const std::string& node, const Json& value) {
  std::string name = String(node, "docker_network", value);
  for (HomeNetwork network : {HomeNetwork::kDefault, HomeNetwork::kInternal, HomeNetwork::kIpv6,
                              HomeNetwork::kIpvlan, HomeNetwork::kMacvlan}) {
    if (name == HomeNetworkName(network)) return network;
  }
  Invalid(node, "docker_network", value, "is not one of default, Internal, Ipv6, IpvLan, MacvLan");
}

void ReadCoreKey(NodeSpec& spec, const std::string& key, const Json& value) {
  const std::string& name = spec.name;
  if (key == "type") spec.type = String(name, key, value);
  if (key == "base_image") spec.base_image = String(name, key, value);
  if (key == "capability") spec.capabilities = Strings(name, key, value);
  if (key == "docker_network") spec.network = ParseNetwork(name, value);
  if (key == "command") spec.command = Strings(name, key, value);
  if (key == "env") spec.env = Strings(name, key, value);
}

}  // namespace

NodeSpec ParseNodeSpecJson(const std::string& name, std::string_view json_object,
                           const CapabilityRegistry& registry) {
  Json object = Json::parse(json_object, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) {
    throw Error(ErrorCode::kInvalidArgument, "node '" + name + "': spec is not valid JSON");
  }
  if (!object.is_object()) Invalid(name, "spec", object, "is not a JSON object");
  NodeSpec spec = NodeSpec::Named(name);
  const auto& core = CoreJsonKeys();
  for (const auto& [key, value] : object.items()) {
    if (std::find(core.begin(), core.end(), key) != core.end()) {
      ReadCoreKey(spec, key, value);
    } else {
      // Validate names the key when no capability reads it.
      spec.settings[key] = value.dump();
    }
  }
  registry.Validate(spec);
  return spec;
}

std::vector<NodeSpec> ParseHomeSpecJson(std::string_view json_text, const CapabilityRegistry& registry) {
  Json home = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (home.is_discarded()) {
    throw Error(ErrorCode::kInvalidArgument,
                "home spec is not valid JSON; expected {\"node-name\": {\"type\": ...}, ...}");
  }
  if (!home.is_object() || home.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "home spec " + Shown(home) +
                    " is not a non-empty object of nodes; expected {\"node-name\": {...}, ...}");
  }
  std::vector<NodeSpec> nodes;
  for (const auto& [name, object] : home.items()) {
    nodes.push_back(ParseNodeSpecJson(name, object.dump(), registry));
  }
  return nodes;
}

std::string NodeSpecToJson(const NodeSpec& spec) {
  Json object = {{"type", spec.type},
                 {"capability", spec.capabilities},
                 {"docker_network", HomeNetworkName(spec.network)}};
  if (!spec.base_image.empty()) object["base_image"] = spec.base_image;
  if (!spec.command.empty()) object["command"] = spec.command;
  if (!spec.env.empty()) object["env"] = spec.env;
  for (const auto& [key, value] : spec.settings) {
    Json parsed = Json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "node '" + spec.name + "': setting " + key + " is not valid JSON: " + value);
    }
    object[key] = parsed;
  }
  return object.dump();
}

}  // namespace cirque::home
