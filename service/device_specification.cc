#include "service/device_specification.h"

#include <cmath>
#include <functional>
#include <utility>
#include <vector>

#include "cirque_test/home/node_spec_json.h"
#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

using Json = nlohmann::json;
using proto::DeviceSpecification;

// The capabilities a specification can ask for, in the proto's order.
struct CapabilityField {
  const char* capability;  // the registry's name
  const char* field;       // the specification's field
  std::function<bool(const DeviceSpecification&)> is_set;
};

const std::vector<CapabilityField>& CapabilityFields() {
  static const auto* fields = new std::vector<CapabilityField>{
      {"Weave", "weave_capability", [](const auto& d) { return d.has_weave_capability(); }},
      {"Thread", "thread_capability", [](const auto& d) { return d.has_thread_capability(); }},
      {"WiFi", "wifi_capability", [](const auto& d) { return d.has_wifi_capability(); }},
      {"Xvnc", "xvnc_capability", [](const auto& d) { return d.has_xvnc_capability(); }},
      {"Interactive", "interactive_capability", [](const auto& d) { return d.has_interactive_capability(); }},
      {"LanAccess", "lan_access_capability", [](const auto& d) { return d.has_lan_access_capability(); }},
      {"Mount", "mount_capability", [](const auto& d) { return d.has_mount_capability(); }},
      {"TrafficControl", "trafficcontrol_capability", [](const auto& d) { return d.has_trafficcontrol_capability(); }},
  };
  return *fields;
}

// Cirque's JSON key (as the parsers name it in errors) -> the
// specification's field it is written from.
const char* FieldOfKey(const std::string& key) {
  static const auto* fields = new std::vector<std::pair<std::string, const char*>>{
      {"type", "device_type"},
      {"base_image", "base_image"},
      {"docker_network", "lan_access_capability.internal_lan"},
      {"weave_config_file", "weave_capability.weave_certificate_path"},
      {"weave_config_target_path", "weave_capability.target_path"},
      {"thread_petition", "thread_capability.petition_id"},
      {"rcp_mode", "thread_capability.rcp_mode"},
      {"thread_daemon", "thread_capability.daemons"},
      {"traffic_control", "trafficcontrol_capability"},
      {"traffic_control.latencyMs", "trafficcontrol_capability.latency_ms"},
      {"traffic_control.loss", "trafficcontrol_capability.loss_rate"},
      {"mount_pairs", "mount_capability.mount_pairs"},
      {"mount_pairs[]", "mount_capability.mount_pairs"},
      {"xvnc_localhost", "xvnc_capability.localhost"},
      {"display_id", "xvnc_capability.display_id"},
      {"docker_display_id", "xvnc_capability.docker_display_id"},
  };
  for (const auto& [known, field] : *fields) {
    if (known == key) return field;
  }
  return nullptr;
}

// The parsers' messages read "node 'n': <key> <value> <what is wrong>";
// a gRPC client wrote fields, not keys, so the field goes beside the key.
std::string WithField(const std::string& name, const std::string& message) {
  const std::string prefix = "node '" + name + "': ";
  if (message.rfind(prefix, 0) != 0) return message;
  size_t key_end = message.find(' ', prefix.size());
  if (key_end == std::string::npos) return message;
  const char* field = FieldOfKey(message.substr(prefix.size(), key_end - prefix.size()));
  if (field == nullptr) return message;
  return message.substr(0, key_end) + " (specification." + field + ")" + message.substr(key_end);
}

void RequireRegistered(const std::string& name, const DeviceSpecification& device,
                       const home::CapabilityRegistry& registry) {
  for (const auto& each : CapabilityFields()) {
    if (!each.is_set(device) || registry.Has(each.capability)) continue;
    std::string registered;
    for (const auto& known : registry.Names()) registered += (registered.empty() ? "" : ", ") + known;
    throw Error(ErrorCode::kInvalidArgument, "node '" + name + "': specification." + each.field + " asks for " +
                                                 each.capability + ", which this service does not have (it has: " +
                                                 registered + "); fix: leave " + each.field + " unset");
  }
}

void AddThread(const std::string& name, const proto::ThreadCapability& thread, Json& object) {
  object["thread_petition"] = thread.petition_id();
  object["rcp_mode"] = thread.rcp_mode();
  if (thread.daemons_size() > 1) {
    Json daemons = std::vector<std::string>(thread.daemons().begin(), thread.daemons().end());
    throw Error(ErrorCode::kInvalidArgument,
                "node '" + name + "': thread_daemon (specification.thread_capability.daemons) " + daemons.dump() +
                    " names " + std::to_string(thread.daemons_size()) +
                    " host stacks, but a node runs one; fix: give one of ot-daemon, otbr-agent, none, or none "
                    "at all for the mode's default");
  }
  if (thread.daemons_size() == 1) object["thread_daemon"] = thread.daemons(0);
}

// Setting readers for DeviceSpecificationOf: the spec was validated when
// the node was made, so a value of another type only means "unset".
Json SettingOf(const home::NodeSpec& spec, const std::string& key) {
  std::string text = spec.Setting(key);
  if (text.empty()) return Json();
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? Json() : value;
}

std::string StringOr(const Json& value, std::string fallback) {
  return value.is_string() ? value.get<std::string>() : fallback;
}

long long NumberOr(const Json& value, long long fallback) {
  return value.is_number() ? std::llround(value.get<double>()) : fallback;
}

void FillCapability(const std::string& capability, const home::NodeSpec& spec, DeviceSpecification& device) {
  if (capability == "Weave") {
    auto* weave = device.mutable_weave_capability();
    weave->set_weave_certificate_path(StringOr(SettingOf(spec, "weave_config_file"), ""));
    weave->set_target_path(StringOr(SettingOf(spec, "weave_config_target_path"), ""));
  } else if (capability == "Thread") {
    auto* thread = device.mutable_thread_capability();
    thread->set_petition_id(static_cast<int>(NumberOr(SettingOf(spec, "thread_petition"), 0)));
    Json rcp = SettingOf(spec, "rcp_mode");
    thread->set_rcp_mode(rcp.is_boolean() ? rcp.get<bool>() : true);
    Json daemon = SettingOf(spec, "thread_daemon");
    if (daemon.is_string()) thread->add_daemons(daemon.get<std::string>());
    if (daemon.is_boolean() && !daemon.get<bool>()) thread->add_daemons("none");
  } else if (capability == "WiFi") {
    device.mutable_wifi_capability();
  } else if (capability == "Xvnc") {
    auto* xvnc = device.mutable_xvnc_capability();
    Json localhost = SettingOf(spec, "xvnc_localhost");
    xvnc->set_localhost(localhost.is_boolean() ? localhost.get<bool>() : true);  // Cirque's default
    xvnc->set_display_id(static_cast<int>(NumberOr(SettingOf(spec, "display_id"), 0)));
    xvnc->set_docker_display_id(static_cast<int>(NumberOr(SettingOf(spec, "docker_display_id"), 0)));
  } else if (capability == "Interactive") {
    device.mutable_interactive_capability();
  } else if (capability == "LanAccess") {
    device.mutable_lan_access_capability()->set_internal_lan(spec.network == home::HomeNetwork::kInternal);
  } else if (capability == "Mount") {
    auto* mount = device.mutable_mount_capability();
    Json pairs = SettingOf(spec, "mount_pairs");
    if (!pairs.is_array()) return;
    for (const auto& pair : pairs) {
      if (!pair.is_array() || pair.size() < 2) continue;
      auto* each = mount->add_mount_pairs();
      each->set_host_path(StringOr(pair[0], ""));
      each->set_target_path(StringOr(pair[1], ""));
      each->set_read_only(pair.size() == 3 && pair[2] == "ro");
    }
  } else if (capability == "TrafficControl") {
    auto* traffic = device.mutable_trafficcontrol_capability();
    Json shape = SettingOf(spec, "traffic_control");
    if (!shape.is_object()) return;
    traffic->set_latency_ms(static_cast<int>(NumberOr(shape.value("latencyMs", Json()), 0)));
    traffic->set_loss_rate(static_cast<int>(NumberOr(shape.value("loss", Json()), 0)));
  }
}

}  // namespace

Json CirqueJsonOf(const std::string& name, const DeviceSpecification& device) {
  Json object = Json::object();
  if (!device.device_type().empty()) object["type"] = device.device_type();
  if (!device.base_image().empty()) object["base_image"] = device.base_image();
  Json capabilities = Json::array();
  for (const auto& each : CapabilityFields()) {
    if (each.is_set(device)) capabilities.push_back(each.capability);
  }
  object["capability"] = capabilities;
  if (device.has_weave_capability()) {
    object["weave_config_file"] = device.weave_capability().weave_certificate_path();
    if (!device.weave_capability().target_path().empty()) {
      object["weave_config_target_path"] = device.weave_capability().target_path();
    }
  }
  if (device.has_thread_capability()) AddThread(name, device.thread_capability(), object);
  if (device.has_xvnc_capability()) {
    object["xvnc_localhost"] = device.xvnc_capability().localhost();
    object["docker_display_id"] = device.xvnc_capability().docker_display_id();
    if (device.xvnc_capability().display_id() != 0) object["display_id"] = device.xvnc_capability().display_id();
  }
  if (device.has_lan_access_capability() && device.lan_access_capability().internal_lan()) {
    object["docker_network"] = home::HomeNetworkName(home::HomeNetwork::kInternal);
  }
  if (device.has_mount_capability()) {
    Json pairs = Json::array();
    for (const auto& pair : device.mount_capability().mount_pairs()) {
      Json each = {pair.host_path(), pair.target_path()};
      if (pair.read_only()) each.push_back("ro");
      pairs.push_back(each);
    }
    object["mount_pairs"] = pairs;
  }
  if (device.has_trafficcontrol_capability()) {
    object["traffic_control"] = {{"latencyMs", device.trafficcontrol_capability().latency_ms()},
                                 {"loss", device.trafficcontrol_capability().loss_rate()}};
  }
  return object;
}

home::NodeSpec NodeSpecFromDevice(const std::string& name, const DeviceSpecification& device,
                                  const home::CapabilityRegistry& registry) {
  RequireRegistered(name, device, registry);
  const std::string json = CirqueJsonOf(name, device).dump();
  try {
    return home::ParseNodeSpecJson(name, json, registry);
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kInvalidArgument) throw;
    throw Error(error.code(), WithField(name, error.what()));
  }
}

DeviceSpecification DeviceSpecificationOf(const home::NodeSpec& spec) {
  DeviceSpecification device;
  device.set_device_type(spec.type);
  device.set_base_image(spec.base_image);
  for (const auto& capability : spec.capabilities) FillCapability(capability, spec, device);
  return device;
}

}  // namespace cirque::service
