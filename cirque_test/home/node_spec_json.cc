#include "cirque_test/home/node_spec_json.h"

#include <nlohmann/json.hpp>

#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kNodeKeys = {
    "type", "base_image", "capability", "docker_network", "traffic_control", "mount_pairs",
    "weave_config_file", "weave_config_target_path", "thread_petition", "rcp_mode",
    "thread_daemon", "xvnc_localhost", "display_id", "docker_display_id", "command", "env"};
const std::vector<std::string> kTrafficKeys = {"latencyMs", "jitterMs", "loss", "rateKbit",
                                               "interface"};
const std::vector<std::string> kExtraKeys = {"thread_petition", "rcp_mode", "thread_daemon",
                                             "xvnc_localhost", "display_id", "docker_display_id"};

std::string JoinKeys(const std::vector<std::string>& keys) {
  std::string joined;
  for (const auto& key : keys) joined += (joined.empty() ? "" : ", ") + key;
  return joined;
}

std::string Shown(const Json& value) {
  std::string text = value.dump();
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

[[noreturn]] void Invalid(const std::string& node, const std::string& key, const Json& value,
                          const std::string& allowed) {
  throw Error(ErrorCode::kInvalidArgument,
              "node '" + node + "': " + key + " " + Shown(value) + " " + allowed);
}

void CheckKeys(const std::string& node, const std::string& where, const Json& object,
               const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "node '" + node + "': unknown key '" + where + key + "' (value " + Shown(value) +
                      "); allowed keys: " + JoinKeys(allowed));
    }
  }
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

double NonNegativeNumber(const std::string& node, const std::string& key, const Json& value) {
  if (!value.is_number()) Invalid(node, key, value, "is not a number");
  double number = value.get<double>();
  if (number < 0) Invalid(node, key, value, "is negative");
  return number;
}

int WholeNumber(const std::string& node, const std::string& key, const Json& value) {
  double number = NonNegativeNumber(node, key, value);
  if (number != static_cast<int>(number)) Invalid(node, key, value, "is not a whole number");
  return static_cast<int>(number);
}

HomeNetwork ParseNetwork(const std::string& node, const Json& value) {
  std::string name = String(node, "docker_network", value);
  for (HomeNetwork network : {HomeNetwork::kDefault, HomeNetwork::kInternal, HomeNetwork::kIpv6,
                              HomeNetwork::kIpvlan, HomeNetwork::kMacvlan}) {
    if (name == HomeNetworkName(network)) return network;
  }
  Invalid(node, "docker_network", value, "is not one of default, Internal, Ipv6, IpvLan, MacvLan");
}

}  // namespace

NodeSpec ParseNodeSpecJson(const std::string& name, std::string_view json_object) {
  Json object = Json::parse(json_object, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) {
    throw Error(ErrorCode::kInvalidArgument, "node '" + name + "': spec is not valid JSON");
  }
  if (!object.is_object()) Invalid(name, "spec", object, "is not a JSON object");
  CheckKeys(name, "", object, kNodeKeys);
  NodeSpec spec = NodeSpec::Named(name);
  if (object.contains("type")) spec.type = String(name, "type", object["type"]);
  if (object.contains("base_image")) spec.base_image = String(name, "base_image", object["base_image"]);
  if (object.contains("capability")) spec.capabilities = Strings(name, "capability", object["capability"]);
  if (object.contains("docker_network")) spec.network = ParseNetwork(name, object["docker_network"]);
  if (object.contains("command")) spec.command = Strings(name, "command", object["command"]);
  if (object.contains("env")) spec.env = Strings(name, "env", object["env"]);
  if (object.contains("traffic_control")) {
    const Json& traffic = object["traffic_control"];
    if (!traffic.is_object()) Invalid(name, "traffic_control", traffic, "is not an object");
    CheckKeys(name, "traffic_control.", traffic, kTrafficKeys);
    if (traffic.contains("latencyMs")) spec.traffic.latency_ms = WholeNumber(name, "traffic_control.latencyMs", traffic["latencyMs"]);
    if (traffic.contains("jitterMs")) spec.traffic.jitter_ms = WholeNumber(name, "traffic_control.jitterMs", traffic["jitterMs"]);
    if (traffic.contains("loss")) spec.traffic.loss_percent = NonNegativeNumber(name, "traffic_control.loss", traffic["loss"]);
    if (traffic.contains("rateKbit")) spec.traffic.rate_kbit = WholeNumber(name, "traffic_control.rateKbit", traffic["rateKbit"]);
    if (traffic.contains("interface")) spec.traffic.interface = String(name, "traffic_control.interface", traffic["interface"]);
  }
  if (object.contains("mount_pairs")) {
    const Json& pairs = object["mount_pairs"];
    if (!pairs.is_array()) Invalid(name, "mount_pairs", pairs, "is not a list of [host, target] pairs");
    for (const auto& pair : pairs) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        Invalid(name, "mount_pairs[]", pair, "is not a [host path, container path] pair of strings");
      }
      spec.mounts.push_back({pair[0].get<std::string>(), pair[1].get<std::string>(), false});
    }
  }
  if (object.contains("weave_config_file")) {
    spec.weave_config_file = String(name, "weave_config_file", object["weave_config_file"]);
  }
  if (object.contains("weave_config_target_path")) {
    spec.weave_config_target_path =
        String(name, "weave_config_target_path", object["weave_config_target_path"]);
  }
  for (const auto& key : kExtraKeys) {
    if (!object.contains(key)) continue;
    const Json& value = object[key];
    if (!value.is_string() && !value.is_number() && !value.is_boolean()) {
      Invalid(name, key, value, "is not a string, number or boolean");
    }
    spec.extra[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  ValidateNodeSpec(spec);
  return spec;
}

std::vector<NodeSpec> ParseHomeSpecJson(std::string_view json_text) {
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
  for (const auto& [name, object] : home.items()) nodes.push_back(ParseNodeSpecJson(name, object.dump()));
  return nodes;
}

std::string NodeSpecToJson(const NodeSpec& spec) {
  Json object = {{"type", spec.type}, {"base_image", spec.ImageName()},
                 {"capability", spec.capabilities},
                 {"docker_network", HomeNetworkName(spec.network)}};
  if (!spec.traffic.IsEmpty()) {
    object["traffic_control"] = {{"latencyMs", spec.traffic.latency_ms},
                                 {"jitterMs", spec.traffic.jitter_ms},
                                 {"loss", spec.traffic.loss_percent},
                                 {"rateKbit", spec.traffic.rate_kbit},
                                 {"interface", spec.traffic.interface}};
  }
  if (!spec.mounts.empty()) {
    Json pairs = Json::array();
    for (const auto& mount : spec.mounts) pairs.push_back({mount.host_path, mount.container_path});
    object["mount_pairs"] = pairs;
  }
  if (!spec.weave_config_file.empty()) {
    object["weave_config_file"] = spec.weave_config_file;
    object["weave_config_target_path"] = spec.weave_config_target_path;
  }
  for (const auto& [key, value] : spec.extra) object[key] = value;
  return object.dump();
}

}  // namespace cirque::home
