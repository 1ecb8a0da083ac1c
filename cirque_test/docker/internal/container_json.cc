// Container and exec JSON: POST /containers/create, GET /containers/{id}/json,
// GET /containers/json and POST /containers/{id}/exec.
#include "cirque_test/docker/internal/json_mapping.h"

#include "cirque_test/util/error.h"

namespace cirque::docker::internal {
namespace {

[[noreturn]] void ThrowBadSpec(const std::string& field, const std::string& value,
                               const std::string& fix) {
  throw Error(ErrorCode::kInvalidArgument,
              "container spec: " + field + " '" + value + "' " + fix);
}

std::string StripSlash(std::string name) {
  if (!name.empty() && name[0] == '/') name.erase(0, 1);
  return name;
}

Labels ParseLabels(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return {};
  return As<Labels>(*it, key);
}

const char* MountTypeName(MountSpec::Type type) {
  switch (type) {
    case MountSpec::Type::kBind: return "bind";
    case MountSpec::Type::kVolume: return "volume";
    case MountSpec::Type::kTmpfs: return "tmpfs";
  }
  return "bind";
}

Json HostConfig(const ContainerSpec& spec) {
  Json host = Json::object();
  const SecurityConfig& security = spec.security;
  host["Privileged"] = security.privileged;
  if (!security.cap_add.empty()) host["CapAdd"] = security.cap_add;
  if (!security.cap_drop.empty()) host["CapDrop"] = security.cap_drop;
  if (!security.sysctls.empty()) host["Sysctls"] = security.sysctls;
  if (!security.pid_mode.empty()) host["PidMode"] = security.pid_mode;
  if (!security.devices.empty()) {
    Json devices = Json::array();
    for (const auto& device : security.devices) {
      if (device.host_path.empty()) {
        ThrowBadSpec("security.devices[].host_path", "", "is empty; name a device such as /dev/net/tun");
      }
      devices.push_back({{"PathOnHost", device.host_path},
                         {"PathInContainer", device.container_path.empty()
                                                 ? device.host_path
                                                 : device.container_path},
                         {"CgroupPermissions", device.permissions}});
    }
    host["Devices"] = devices;
  }
  if (spec.process.init) host["Init"] = true;
  if (!spec.process.runtime.empty()) host["Runtime"] = spec.process.runtime;

  const StorageConfig& storage = spec.storage;
  if (!storage.binds.empty()) host["Binds"] = storage.binds;
  if (!storage.tmpfs.empty()) host["Tmpfs"] = storage.tmpfs;
  if (!storage.volumes_from.empty()) host["VolumesFrom"] = storage.volumes_from;
  if (!storage.mounts.empty()) {
    Json mounts = Json::array();
    for (const auto& mount : storage.mounts) {
      if (mount.target.empty() || mount.target[0] != '/') {
        ThrowBadSpec("storage.mounts[].target", mount.target, "is not an absolute path");
      }
      Json entry = {{"Type", MountTypeName(mount.type)},
                    {"Target", mount.target},
                    {"ReadOnly", mount.read_only}};
      if (mount.type != MountSpec::Type::kTmpfs) entry["Source"] = mount.source;
      mounts.push_back(entry);
    }
    host["Mounts"] = mounts;
  }

  const NetworkConfig& network = spec.network;
  if (!network.network_mode.empty()) {
    host["NetworkMode"] = network.network_mode;
  } else if (network.endpoint) {
    host["NetworkMode"] = network.endpoint->network;
  }
  if (!network.ports.empty()) {
    Json bindings = Json::object();
    for (const auto& port : network.ports) {
      if (port.container_port <= 0 || port.container_port > 65535) {
        ThrowBadSpec("network.ports[].container_port", std::to_string(port.container_port),
                     "is not 1..65535");
      }
      std::string key = std::to_string(port.container_port) + "/" + port.protocol;
      bindings[key].push_back(
          {{"HostIp", port.host_ip},
           {"HostPort", port.host_port == 0 ? "" : std::to_string(port.host_port)}});
    }
    host["PortBindings"] = bindings;
  }
  return host;
}

}  // namespace

Json EndpointConfig(const EndpointSpec& endpoint) {
  Json config = Json::object();
  Json ipam = Json::object();
  if (!endpoint.ipv4_address.empty()) ipam["IPv4Address"] = endpoint.ipv4_address;
  if (!endpoint.ipv6_address.empty()) ipam["IPv6Address"] = endpoint.ipv6_address;
  if (!ipam.empty()) config["IPAMConfig"] = ipam;
  if (!endpoint.aliases.empty()) config["Aliases"] = endpoint.aliases;
  return config;
}

Json ContainerCreateBody(const ContainerSpec& spec) {
  if (spec.image.empty()) {
    ThrowBadSpec("image", "", "is empty; name the image to create the container from");
  }
  Json body = Json::object();
  body["Image"] = spec.image;
  const ProcessConfig& process = spec.process;
  if (!process.cmd.empty()) body["Cmd"] = process.cmd;
  if (process.entrypoint) body["Entrypoint"] = *process.entrypoint;
  if (!process.env.empty()) body["Env"] = process.env;
  if (!process.user.empty()) body["User"] = process.user;
  if (!process.working_dir.empty()) body["WorkingDir"] = process.working_dir;
  body["Tty"] = process.tty;
  body["OpenStdin"] = process.stdin_open;
  body["AttachStdin"] = false;
  if (!spec.labels.empty()) body["Labels"] = spec.labels;
  if (!spec.network.hostname.empty()) body["Hostname"] = spec.network.hostname;
  if (!spec.network.ports.empty()) {
    Json exposed = Json::object();
    for (const auto& port : spec.network.ports) {
      exposed[std::to_string(port.container_port) + "/" + port.protocol] = Json::object();
    }
    body["ExposedPorts"] = exposed;
  }
  body["HostConfig"] = HostConfig(spec);
  if (spec.network.disabled) {
    if (!spec.network.network_mode.empty() && spec.network.network_mode != "none") {
      ThrowBadSpec("network.network_mode", spec.network.network_mode,
                   "is not allowed with network.disabled; leave it empty or \"none\"");
    }
    if (spec.network.endpoint || !spec.network.ports.empty()) {
      ThrowBadSpec("network.disabled", "true", "leaves no network for an endpoint or ports; drop them or it");
    }
    body["NetworkDisabled"] = true;
    body["HostConfig"]["NetworkMode"] = "none";
  }
  if (spec.network.endpoint) {
    if (spec.network.endpoint->network.empty()) {
      ThrowBadSpec("network.endpoint.network", "", "is empty; name the network to attach to");
    }
    body["NetworkingConfig"]["EndpointsConfig"][spec.network.endpoint->network] =
        EndpointConfig(*spec.network.endpoint);
  }
  return body;
}

ContainerInfo ParseContainerInfo(const Json& inspect) {
  ContainerInfo info;
  info.id = ValueOr<std::string>(inspect, "Id", "");
  info.name = StripSlash(ValueOr<std::string>(inspect, "Name", ""));
  info.image = ValueOr<std::string>(inspect, "Image", "");
  if (auto config = inspect.find("Config"); config != inspect.end() && config->is_object()) {
    info.labels = ParseLabels(*config, "Labels");
    info.tty = ValueOr<bool>(*config, "Tty", false);
  }
  if (auto state = inspect.find("State"); state != inspect.end() && state->is_object()) {
    info.state.status = ValueOr<std::string>(*state, "Status", "");
    info.state.running = ValueOr<bool>(*state, "Running", false);
    info.state.pid = ValueOr<int>(*state, "Pid", 0);
    info.state.exit_code = ValueOr<int>(*state, "ExitCode", 0);
    info.state.error = ValueOr<std::string>(*state, "Error", "");
  }
  auto settings = inspect.find("NetworkSettings");
  if (settings != inspect.end() && settings->is_object()) {
    auto networks = settings->find("Networks");
    if (networks != settings->end() && networks->is_object()) {
      for (const auto& [name, network] : networks->items()) {
        NetworkAddress address;
        address.network_id = ValueOr<std::string>(network, "NetworkID", "");
        address.ipv4_address = ValueOr<std::string>(network, "IPAddress", "");
        address.ipv4_prefix_length = ValueOr<int>(network, "IPPrefixLen", 0);
        address.ipv6_address = ValueOr<std::string>(network, "GlobalIPv6Address", "");
        address.gateway = ValueOr<std::string>(network, "Gateway", "");
        address.mac_address = ValueOr<std::string>(network, "MacAddress", "");
        info.networks[name] = address;
      }
    }
  }
  return info;
}

ContainerSummary ParseContainerSummary(const Json& row) {
  ContainerSummary summary;
  summary.id = ValueOr<std::string>(row, "Id", "");
  auto names = row.find("Names");
  if (names != row.end() && names->is_array() && !names->empty()) {
    summary.name = StripSlash(As<std::string>((*names)[0], "Names"));
  }
  summary.image = ValueOr<std::string>(row, "Image", "");
  summary.state = ValueOr<std::string>(row, "State", "");
  summary.labels = ParseLabels(row, "Labels");
  return summary;
}

Json ExecCreateBody(const ExecSpec& spec) {
  if (spec.cmd.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "exec spec: cmd is empty; give the argv to run, e.g. {\"ip\", \"addr\"}");
  }
  Json body = {{"AttachStdin", false},
               {"AttachStdout", true},
               {"AttachStderr", true},
               {"Tty", false},
               {"Cmd", spec.cmd}};
  if (!spec.env.empty()) body["Env"] = spec.env;
  if (!spec.user.empty()) body["User"] = spec.user;
  if (!spec.working_dir.empty()) body["WorkingDir"] = spec.working_dir;
  return body;
}

ExecInfo ParseExecInfo(const Json& inspect) {
  ExecInfo info;
  info.running = ValueOr<bool>(inspect, "Running", false);
  info.exit_code = info.running ? -1 : ValueOr<int>(inspect, "ExitCode", -1);
  info.pid = ValueOr<int>(inspect, "Pid", 0);
  return info;
}

}  // namespace cirque::docker::internal
