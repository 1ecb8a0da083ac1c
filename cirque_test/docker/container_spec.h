// What to create a container from: the JSON body of POST /containers/create,
// as plain C++ data grouped by concern.
//
// Every field has a default meaning "as Docker's default".
#ifndef CIRQUE_TEST_DOCKER_CONTAINER_SPEC_H_
#define CIRQUE_TEST_DOCKER_CONTAINER_SPEC_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cirque::docker {

using Labels = std::map<std::string, std::string>;

// The main process and how it runs.
struct ProcessConfig {
  std::vector<std::string> cmd;  // Default: the image's CMD.
  // Default: the image's ENTRYPOINT. An empty vector clears it.
  std::optional<std::vector<std::string>> entrypoint;
  std::vector<std::string> env;  // "KEY=value"
  std::string user;              // Default: the image's user.
  std::string working_dir;       // Default: the image's working directory.
  bool tty = false;
  bool stdin_open = false;
  bool init = false;  // Run Docker's init as PID 1 (reaps zombies).
  // The OCI runtime ("runc", "crun"); "" for the engine's default.
  std::string runtime;
};

struct DeviceMapping {
  std::string host_path;       // "/dev/net/tun"
  std::string container_path;  // Default: host_path.
  std::string permissions = "rwm";
};

// Privileges and kernel settings.
struct SecurityConfig {
  bool privileged = false;  // State the need wherever it is set to true.
  std::vector<std::string> cap_add;   // "NET_ADMIN"
  std::vector<std::string> cap_drop;
  std::vector<DeviceMapping> devices;
  std::map<std::string, std::string> sysctls;  // "net.ipv4.ip_forward": "1"
  std::string pid_mode;  // "" (own namespace) or "host"
};

struct MountSpec {
  enum class Type { kBind, kVolume, kTmpfs };
  Type type = Type::kBind;
  std::string source;  // host path (kBind) or volume name (kVolume)
  std::string target;  // path in the container
  bool read_only = false;
};

struct StorageConfig {
  std::vector<std::string> binds;  // "host:container[:ro]"
  std::vector<MountSpec> mounts;
  std::map<std::string, std::string> tmpfs;  // path -> options ("size=64m")
  // Containers (name or id, "[:ro]") whose volumes this one mounts at the
  // same paths: how two containers share a volume the engine made for one
  // of them (an anonymous volume goes when that container is removed).
  std::vector<std::string> volumes_from;
};

// A container's attachment to a network, at create or connect time.
struct EndpointSpec {
  std::string network;       // name or id
  std::string ipv4_address;  // Default: assigned by IPAM.
  std::string ipv6_address;  // Default: assigned by IPAM.
  std::vector<std::string> aliases;
};

struct PortBinding {
  int container_port = 0;
  std::string protocol = "tcp";
  std::string host_ip = "127.0.0.1";  // Never all interfaces by default.
  int host_port = 0;                  // 0: the engine picks a free port.
};

struct NetworkConfig {
  std::string hostname;
  std::string network_mode;  // Default: "bridge"; "none", "host", a name.
  // No networking from the engine at all ("NetworkDisabled"): a network
  // namespace of the container's own with loopback only, as "none" gives,
  // but without the engine's network set-up, which on an emulated engine
  // costs more than the rest of a start (dockerd runs its own binary as a
  // hook). For helpers that need a namespace, not a network. network_mode
  // must then be "" or "none", and there is no endpoint and no port.
  bool disabled = false;
  // Attached at create; further networks are connected later.
  std::optional<EndpointSpec> endpoint;
  std::vector<PortBinding> ports;
};

struct ContainerSpec {
  std::string image;  // REQUIRED
  std::string name;   // Default: the engine picks one.
  Labels labels;
  ProcessConfig process;
  SecurityConfig security;
  StorageConfig storage;
  NetworkConfig network;
};

}  // namespace cirque::docker

#endif  // CIRQUE_TEST_DOCKER_CONTAINER_SPEC_H_
