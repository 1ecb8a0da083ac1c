#include "cirque_test/docker/testing/fake_docker_client.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <set>
#include <utility>

#include "cirque_test/docker/internal/json_mapping.h"
#include "cirque_test/util/sha256.h"
#include "cirque_test/util/tar_archive.h"

namespace cirque::docker::testing {
namespace {

// Above the kernel's PID_MAX_LIMIT (4194304): a fake pid never names a process
// on this machine, whatever code it is handed to.
constexpr int kFirstFakePid = 5000000;

// How many addresses of a pool are tried before it counts as full; bounds the
// search in a large IPv6 subnet.
constexpr uint64_t kMaxAddressesScanned = uint64_t{1} << 20;

// The names FailCall and CallCount accept: DockerClient's API methods.
constexpr const char* kOperations[] = {
    "Ping", "Version", "Info", "ImportImage", "BuildImage", "InspectImage", "ListImages",
    "TagImage", "SaveImages", "LoadImages", "RemoveImage", "CreateContainer", "StartContainer",
    "StopContainer", "KillContainer", "WaitContainer", "RemoveContainer", "InspectContainer",
    "ListContainers", "Logs", "CopyToContainer", "CopyFromContainer", "Exec", "ExecDetached", "OpenExecStream",
    "InspectExec", "CreateNetwork", "InspectNetwork", "ConnectNetwork", "DisconnectNetwork",
    "RemoveNetwork", "ListNetworks"};

void CheckOperation(const std::string& operation) {
  for (const char* known : kOperations) {
    if (operation == known) return;
  }
  throw Error(ErrorCode::kInvalidArgument,
              "FakeDockerClient: '" + operation +
                  "' is no DockerClient method; name one, such as \"CreateContainer\"");
}

// The request the real client would have sent for a call: what an engine
// error names. Fail throws what DockerClient::Send throws for that answer.
struct Request {
  std::string method;
  std::string path;

  [[noreturn]] void Fail(int status, const std::string& message) const {
    throw Error(ErrorCodeForHttpStatus(status),
                "docker: " + method + " " + path + ": " + std::to_string(status) + ": " + message,
                RequestContext{method, path, status, message});
  }
};

// --- Addresses ---------------------------------------------------------------

using AddressBytes = std::array<unsigned char, 16>;  // IPv4 in the first 4

std::optional<AddressBytes> ParseAddress(const std::string& text, int& family) {
  AddressBytes bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    family = AF_INET;
    return bytes;
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) {
    family = AF_INET6;
    return bytes;
  }
  return std::nullopt;
}

std::string FormatAddress(int family, const AddressBytes& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, bytes.data(), text, sizeof text);
  return text;
}

bool SamePrefix(const AddressBytes& a, const AddressBytes& b, int bits) {
  for (int i = 0; i < bits; ++i) {
    int shift = 7 - i % 8;
    if (((a[i / 8] >> shift) & 1) != ((b[i / 8] >> shift) & 1)) return false;
  }
  return true;
}

// A subnet, IPv4 or IPv6: "10.200.5.0/24", "fd00:c1::/64".
struct Cidr {
  int family = AF_INET;
  AddressBytes network{};  // host bits cleared
  int prefix = 0;

  int bits() const { return family == AF_INET ? 32 : 128; }

  static std::optional<Cidr> Parse(const std::string& text) {
    size_t slash = text.find('/');
    if (slash == std::string::npos || slash + 1 == text.size()) return std::nullopt;
    Cidr cidr;
    std::optional<AddressBytes> address = ParseAddress(text.substr(0, slash), cidr.family);
    if (!address) return std::nullopt;
    const std::string length = text.substr(slash + 1);
    if (length.size() > 3 || length.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    cidr.prefix = std::stoi(length);
    if (cidr.prefix > cidr.bits()) return std::nullopt;
    for (int i = cidr.prefix; i < cidr.bits(); ++i) (*address)[i / 8] &= ~(1u << (7 - i % 8));
    cidr.network = *address;
    return cidr;
  }

  std::string ToString() const {
    return FormatAddress(family, network) + "/" + std::to_string(prefix);
  }

  bool Contains(const AddressBytes& address) const { return SamePrefix(network, address, prefix); }

  bool Overlaps(const Cidr& other) const {
    return family == other.family &&
           SamePrefix(network, other.network, std::min(prefix, other.prefix));
  }

  // How many addresses it holds; saturates for huge IPv6 subnets.
  uint64_t Size() const {
    int host_bits = bits() - prefix;
    return host_bits >= 63 ? uint64_t{1} << 63 : uint64_t{1} << host_bits;
  }

  // The address `offset` past the network address.
  AddressBytes At(uint64_t offset) const {
    AddressBytes address = network;
    for (int i = bits() / 8 - 1; i >= 0 && offset != 0; --i) {
      uint64_t sum = address[i] + (offset & 0xff);
      address[i] = static_cast<unsigned char>(sum);
      offset = (offset >> 8) + (sum >> 8);
    }
    return address;
  }

  std::string AddressAt(uint64_t offset) const { return FormatAddress(family, At(offset)); }
};

// Docker's default address pools for networks made without a subnet, after
// 172.17.0.0/16, which the default bridge has.
std::vector<Cidr> DefaultPools() {
  std::vector<Cidr> pools;
  for (int second = 18; second <= 31; ++second) {
    pools.push_back(*Cidr::Parse("172." + std::to_string(second) + ".0.0/16"));
  }
  for (int third = 0; third < 256; third += 16) {
    pools.push_back(*Cidr::Parse("192.168." + std::to_string(third) + ".0/20"));
  }
  return pools;
}

// Docker 20.10 derives a container's MAC address from its IPv4 address.
std::string MacFor(const std::string& ipv4) {
  int family = 0;
  std::optional<AddressBytes> bytes = ParseAddress(ipv4, family);
  if (!bytes || family != AF_INET) return "";
  char text[18];
  std::snprintf(text, sizeof text, "02:42:%02x:%02x:%02x:%02x", (*bytes)[0], (*bytes)[1],
                (*bytes)[2], (*bytes)[3]);
  return text;
}

// --- Names, labels, paths, signals -------------------------------------------

bool MatchesLabels(const Labels& labels, const LabelFilter& filter) {
  for (const auto& [key, value] : filter) {
    auto it = labels.find(key);
    if (it == labels.end() || (!value.empty() && it->second != value)) return false;
  }
  return true;
}

// "busybox" -> "busybox:latest"; "docker.io/library/x:1" -> "x:1".
std::string NormalizeReference(std::string reference) {
  for (const char* prefix : {"docker.io/library/", "docker.io/"}) {
    if (reference.rfind(prefix, 0) == 0) reference.erase(0, std::string(prefix).size());
  }
  if (reference.find('@') != std::string::npos) return reference;
  size_t slash = reference.rfind('/');
  size_t colon = reference.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) {
    reference += ":latest";
  }
  return reference;
}

bool IsHex(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The engine's rule for container names: [a-zA-Z0-9][a-zA-Z0-9_.-]+.
bool ValidContainerName(const std::string& name) {
  auto alphanumeric = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (name.size() < 2 || !alphanumeric(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) {
    return alphanumeric(c) || c == '_' || c == '.' || c == '-';
  });
}

// "/a//b/./c/" -> "/a/b/c"; ".." goes up, never above the root.
std::string NormalizePath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string normalized;
  for (const auto& part : parts) normalized += "/" + part;
  return normalized.empty() ? "/" : normalized;
}

// "SIGTERM", "TERM" or "15" -> 15; 0 for a signal the engine would not know.
int SignalNumber(std::string signal) {
  static const std::map<std::string, int> kSignals = {
      {"HUP", 1},   {"INT", 2},   {"QUIT", 3},  {"ABRT", 6},  {"KILL", 9},
      {"USR1", 10}, {"USR2", 12}, {"PIPE", 13}, {"ALRM", 14}, {"TERM", 15},
      {"CHLD", 17}, {"CONT", 18}, {"STOP", 19}, {"URG", 23},  {"WINCH", 28}};
  if (!signal.empty() && signal.find_first_not_of("0123456789") == std::string::npos &&
      signal.size() <= 2) {
    int number = std::stoi(signal);
    return number >= 1 && number <= 31 ? number : 0;
  }
  if (signal.rfind("SIG", 0) == 0) signal.erase(0, 3);
  auto it = kSignals.find(signal);
  return it == kSignals.end() ? 0 : it->second;
}

// True for signals whose default action ends a process that has no handler,
// which is what the fake's processes are.
bool SignalEndsProcess(int signal) {
  return signal != 17 && signal != 18 && signal != 19 && signal != 23 && signal != 28;
}

VersionInfo DefaultVersion() {
  return VersionInfo{"20.10.24", "1.41", "1.12", "linux", "amd64", "5.10.0-fake"};
}

SystemInfo DefaultInfo() {
  return SystemInfo{"fake-docker", "5.10.0-fake", "FakeDockerClient (in memory)",
                    "systemd", "2", "overlay2", "/var/lib/docker", 2, 4LL << 30};
}

// Reads a caller's tar stream to its end, as the engine does.
void Drain(const TarSource& source) {
  char buffer[65536];
  while (source(buffer, sizeof buffer) > 0) {
  }
}

std::atomic<int> fakes_made{0};

ClientOptions BaseOptions(const FakeDockerOptions& options) {
  DockerEndpoint endpoint;
  if (options.endpoint) {
    endpoint = *options.endpoint;
  } else {
    endpoint.kind = DockerEndpoint::Kind::kUnixSocket;
    endpoint.socket_path = "/fake/docker-" + std::to_string(++fakes_made) + ".sock";
  }
  // Designated, so the default endpoint (read from DOCKER_HOST, which may
  // be malformed) is never evaluated.
  return ClientOptions{.endpoint = endpoint};
}

// --- The engine's objects ----------------------------------------------------

struct FileEntry {
  TarEntryType type = TarEntryType::kFile;
  std::string content;
  int mode = 0644;
  std::string link_target;
};

// A container's place on one network. It has addresses while the container
// runs, as the engine makes endpoints at start and deletes them at stop.
struct Attachment {
  std::string network_id;
  std::string network_name;
  EndpointSpec requested;
  NetworkAddress address;
};

struct Container {
  std::string id;
  std::string name;
  std::string image_id;
  ContainerSpec spec;
  std::string network_mode;  // resolved: "bridge", "none", "host", a name, "container:x"
  std::string status = "created";
  bool running = false;
  bool removed = false;
  int pid = 0;
  int exit_code = 0;
  std::vector<Attachment> attachments;
  std::vector<std::pair<OutputStream, std::string>> log;  // line by line
  std::map<std::string, FileEntry> files;                 // by normalized path
};

struct Network {
  std::string id;
  NetworkSpec spec;           // pools with their gateways filled in
  std::vector<Cidr> subnets;  // one per pool
  bool predefined = false;
  bool configured_subnet = false;  // the creator gave the pools
};

struct Image {
  std::string id;
  std::vector<std::string> tags;
  Labels labels;
};

struct ExecRecord {
  std::string container_id;
  ExecInfo info;
};

void AppendLog(Container& container, OutputStream stream, const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t end = newline == std::string::npos ? text.size() : newline + 1;
    container.log.emplace_back(stream, text.substr(start, end - start));
    start = end;
  }
}

void PutFileEntry(Container& container, const std::string& path, FileEntry entry) {
  container.files[NormalizePath(path)] = std::move(entry);
}

ContainerInfo Describe(const Container& container) {
  ContainerInfo info;
  info.id = container.id;
  info.name = container.name;
  info.image = container.image_id;  // inspect shows the image id, not the reference
  info.labels = container.spec.labels;
  info.tty = container.spec.process.tty;
  info.state.status = container.status;
  info.state.running = container.running;
  info.state.pid = container.pid;
  info.state.exit_code = container.exit_code;
  for (const auto& attachment : container.attachments) {
    info.networks[attachment.network_name] = attachment.address;
  }
  return info;
}

}  // namespace

// --- State -------------------------------------------------------------------

struct FakeDockerClient::State {
  mutable std::mutex mutex;
  // Notified whenever a container stops or goes away, for WaitContainer.
  std::condition_variable stopped;

  std::string endpoint;  // makes ids distinct per fake
  VersionInfo version;
  SystemInfo info;
  uint64_t serial = 0;
  int next_pid = kFirstFakePid;
  int next_name = 1;

  std::map<std::string, int> call_counts;
  std::map<std::string, std::map<int, Error>> failures;  // operation -> nth -> error
  std::vector<CallHook> hooks;
  std::vector<StartHandler> start_handlers;
  std::vector<ExecHandler> exec_handlers;

  std::vector<std::shared_ptr<Container>> containers;  // live, oldest first
  std::vector<CreatedContainer> created;
  std::vector<Network> networks;  // predefined first, then oldest first
  std::vector<Image> images;
  std::map<std::string, ExecRecord> execs;
  std::vector<ExecCall> exec_calls;
  std::vector<CopyCall> copies;

  // 64 hex digits, as the engine's ids, but reproducible run to run.
  std::string NewId(const std::string& kind) {
    return Sha256Hex(endpoint + "/" + kind + "/" + std::to_string(++serial));
  }

  void AddPredefinedNetworks() {
    Network bridge;
    bridge.spec.name = "bridge";
    bridge.spec.driver = "bridge";
    bridge.spec.pools = {{"172.17.0.0/16", "172.17.0.1", ""}};
    bridge.spec.options = {{"com.docker.network.bridge.default_bridge", "true"},
                           {"com.docker.network.bridge.name", "docker0"}};
    bridge.subnets = {*Cidr::Parse("172.17.0.0/16")};
    Network host;
    host.spec.name = "host";
    host.spec.driver = "host";
    Network none;
    none.spec.name = "none";
    none.spec.driver = "null";
    for (Network* network : {&bridge, &host, &none}) {
      network->id = NewId("network");
      network->predefined = true;
      networks.push_back(*network);
    }
  }

  // Containers, networks and images are found as the engine finds them: by
  // full id, then by name, then by a unique id prefix.
  std::shared_ptr<Container> FindContainer(const std::string& name_or_id) const {
    if (name_or_id.empty()) return nullptr;
    const std::string name = name_or_id[0] == '/' ? name_or_id.substr(1) : name_or_id;
    for (const auto& container : containers) {
      if (container->id == name_or_id) return container;
    }
    for (const auto& container : containers) {
      if (container->name == name) return container;
    }
    std::shared_ptr<Container> match;
    for (const auto& container : containers) {
      if (container->id.rfind(name_or_id, 0) != 0) continue;
      if (match) return nullptr;  // ambiguous
      match = container;
    }
    return match;
  }

  std::shared_ptr<Container> RequireContainer(const std::string& name_or_id,
                                              const Request& request) const {
    std::shared_ptr<Container> container = FindContainer(name_or_id);
    if (!container) request.Fail(404, "No such container: " + name_or_id);
    return container;
  }

  Network* FindNetwork(const std::string& name_or_id) {
    if (name_or_id.empty()) return nullptr;
    for (auto& network : networks) {
      if (network.id == name_or_id) return &network;
    }
    for (auto& network : networks) {
      if (network.spec.name == name_or_id) return &network;
    }
    Network* match = nullptr;
    for (auto& network : networks) {
      if (network.id.rfind(name_or_id, 0) != 0) continue;
      if (match) return nullptr;
      match = &network;
    }
    return match;
  }

  Network& RequireNetwork(const std::string& name_or_id, const Request& request) {
    Network* network = FindNetwork(name_or_id);
    if (network == nullptr) request.Fail(404, "network " + name_or_id + " not found");
    return *network;
  }

  Image* FindImage(const std::string& name_or_id) {
    if (name_or_id.empty()) return nullptr;
    const std::string reference = NormalizeReference(name_or_id);
    for (auto& image : images) {
      if (std::count(image.tags.begin(), image.tags.end(), reference) != 0) return &image;
    }
    std::string id = name_or_id.rfind("sha256:", 0) == 0 ? name_or_id : "sha256:" + name_or_id;
    if (!IsHex(id.substr(7))) return nullptr;
    Image* match = nullptr;
    for (auto& image : images) {
      if (image.id.rfind(id, 0) != 0) continue;
      if (match) return nullptr;
      match = &image;
    }
    return match;
  }

  Image& RequireImage(const std::string& name_or_id, const Request& request) {
    Image* image = FindImage(name_or_id);
    if (image == nullptr) request.Fail(404, "No such image: " + name_or_id);
    return *image;
  }

  // The live container using image `id`, a running one if any.
  std::shared_ptr<Container> ContainerUsingImage(const std::string& id) const {
    std::shared_ptr<Container> user;
    for (const auto& container : containers) {
      if (container->image_id != id) continue;
      if (container->running) return container;
      user = container;
    }
    return user;
  }

  // Points `tag` at image `id`, taking it from any other image, as tagging
  // does. An image left without tags stays, untagged, as with the engine.
  void MoveTag(const std::string& tag, const std::string& id) {
    for (auto& image : images) {
      auto& tags = image.tags;
      tags.erase(std::remove(tags.begin(), tags.end(), tag), tags.end());
      if (image.id == id) tags.push_back(tag);
    }
  }

  std::string NewImage(const std::vector<std::string>& tags, const Labels& labels) {
    Image image;
    image.id = "sha256:" + NewId("image");
    image.labels = labels;
    images.push_back(image);
    for (const auto& tag : tags) MoveTag(NormalizeReference(tag), image.id);
    return image.id;
  }

  // The addresses in use on network `id`: those of running containers.
  std::set<std::string> UsedAddresses(const std::string& network_id) const {
    std::set<std::string> used;
    for (const auto& container : containers) {
      if (!container->running) continue;
      for (const auto& attachment : container->attachments) {
        if (attachment.network_id != network_id) continue;
        used.insert(attachment.address.ipv4_address);
        used.insert(attachment.address.ipv6_address);
      }
    }
    used.erase("");
    return used;
  }

  // An endpoint's addresses, as the engine's IPAM gives them at start or at
  // connect: for each address family, the requested address (checked when
  // the container was created or connected), else the lowest free one.
  NetworkAddress AddressOn(const Network& network, const EndpointSpec& requested,
                           const Request& request) const {
    NetworkAddress address;
    address.network_id = network.id;
    const std::set<std::string> used = UsedAddresses(network.id);
    for (int family : {AF_INET, AF_INET6}) {
      if (family == AF_INET6 && !network.spec.enable_ipv6) continue;
      const std::string& wanted =
          family == AF_INET ? requested.ipv4_address : requested.ipv6_address;
      int wanted_family = 0;
      std::optional<AddressBytes> wanted_bytes = ParseAddress(wanted, wanted_family);
      std::optional<size_t> pool;
      for (size_t i = 0; i < network.subnets.size() && !pool; ++i) {
        const Cidr& subnet = network.subnets[i];
        if (subnet.family != family) continue;
        if (wanted.empty() || (wanted_bytes && subnet.Contains(*wanted_bytes))) pool = i;
      }
      if (!pool) continue;
      std::string chosen;
      if (!wanted.empty()) {
        chosen = FormatAddress(family, *wanted_bytes);
        if (used.count(chosen) != 0) request.Fail(403, "Address already in use");
      } else {
        chosen = FreeAddress(network.subnets[*pool], network.spec.pools[*pool], used);
        if (chosen.empty()) {
          request.Fail(403, std::string("no available ") + (family == AF_INET ? "IPv4" : "IPv6") +
                                " addresses on this network's address pools: " +
                                network.spec.name + " (" + network.id + ")");
        }
      }
      if (family == AF_INET) {
        address.ipv4_address = chosen;
        address.ipv4_prefix_length = network.subnets[*pool].prefix;
        address.gateway = network.spec.pools[*pool].gateway;
        address.mac_address = MacFor(chosen);
      } else {
        address.ipv6_address = chosen;
      }
    }
    return address;
  }

  // The lowest address of the pool's range (its subnet when it has none)
  // that is not the subnet's own address, its broadcast, the gateway or in
  // use. "" when there is none.
  static std::string FreeAddress(const Cidr& subnet, const IpamPool& pool,
                                 const std::set<std::string>& used) {
    Cidr range = subnet;
    if (!pool.ip_range.empty()) range = *Cidr::Parse(pool.ip_range);
    const std::string first = subnet.AddressAt(0);
    const std::string broadcast =
        subnet.family == AF_INET ? subnet.AddressAt(subnet.Size() - 1) : "";
    const uint64_t count = std::min(range.Size(), kMaxAddressesScanned);
    for (uint64_t offset = 0; offset < count; ++offset) {
      std::string candidate = range.AddressAt(offset);
      if (candidate == first || candidate == broadcast || candidate == pool.gateway ||
          used.count(candidate) != 0) {
        continue;
      }
      return candidate;
    }
    return "";
  }

  // Refuses fixed addresses the engine refuses when a container is created
  // or connected.
  static void CheckRequestedAddresses(const Network& network, const EndpointSpec& endpoint,
                                      const Request& request) {
    for (const std::string* wanted : {&endpoint.ipv4_address, &endpoint.ipv6_address}) {
      if (wanted->empty()) continue;
      if (!network.configured_subnet) {
        request.Fail(400,
                     "user specified IP address is supported only when connecting to networks "
                     "with user configured subnets");
      }
      int family = 0;
      std::optional<AddressBytes> bytes = ParseAddress(*wanted, family);
      bool inside = false;
      for (const auto& subnet : network.subnets) {
        inside = inside || (bytes && subnet.family == family && subnet.Contains(*bytes));
      }
      if (!inside) {
        request.Fail(400, "Invalid address " + *wanted +
                              ": It does not belong to any of this network's subnets");
      }
    }
  }

  bool OverlapsAnyNetwork(const Cidr& subnet) const {
    for (const auto& network : networks) {
      for (const auto& used : network.subnets) {
        if (used.Overlaps(subnet)) return true;
      }
    }
    return false;
  }

  NetworkInfo DescribeNetwork(const Network& network, bool with_containers) const {
    NetworkInfo info;
    info.id = network.id;
    info.name = network.spec.name;
    info.driver = network.spec.driver;
    info.internal = network.spec.internal;
    info.enable_ipv6 = network.spec.enable_ipv6;
    info.pools = network.spec.pools;
    info.options = network.spec.options;
    info.labels = network.spec.labels;
    if (!with_containers) return info;
    for (const auto& container : containers) {
      if (!container->running) continue;
      for (const auto& attachment : container->attachments) {
        if (attachment.network_id != network.id) continue;
        const NetworkAddress& address = attachment.address;
        info.containers[container->id] =
            address.ipv4_address.empty()
                ? ""
                : address.ipv4_address + "/" + std::to_string(address.ipv4_prefix_length);
      }
    }
    return info;
  }

  // The main process ended: the container is "exited", its endpoints are
  // gone, and so are the processes exec'd in it.
  void Exit(Container& container, int exit_code) {
    container.running = false;
    container.status = "exited";
    container.pid = 0;
    container.exit_code = exit_code;
    for (auto& attachment : container.attachments) {
      attachment.address = NetworkAddress{};
      attachment.address.network_id = attachment.network_id;
    }
    for (auto& [id, exec] : execs) {
      if (exec.container_id == container.id && exec.info.running) {
        exec.info.running = false;
        exec.info.exit_code = 137;
      }
    }
    stopped.notify_all();
  }

  void Remove(const std::shared_ptr<Container>& container) {
    container->removed = true;
    containers.erase(std::find(containers.begin(), containers.end(), container));
    for (auto it = execs.begin(); it != execs.end();) {
      it = it->second.container_id == container->id ? execs.erase(it) : std::next(it);
    }
    stopped.notify_all();
  }

  // Records an exec about to run in a running container.
  ExecCall StartExec(const std::string& container_id, const ExecSpec& spec, bool detached) {
    std::lock_guard<std::mutex> lock(mutex);
    const Request request{"POST", "/containers/" + container_id + "/exec"};
    std::shared_ptr<Container> container = RequireContainer(container_id, request);
    if (!container->running) request.Fail(409, "Container " + container->id + " is not running");
    ExecCall call;
    call.exec_id = NewId("exec");
    call.container_id = container->id;
    call.container_name = container->name;
    call.argv = spec.cmd;
    call.spec = spec;
    call.detached = detached;
    exec_calls.push_back(call);
    execs[call.exec_id] = ExecRecord{container->id, ExecInfo{true, -1, next_pid++}};
    return call;
  }

  void EndExec(const std::string& exec_id, int exit_code) {
    std::lock_guard<std::mutex> lock(mutex);
    auto exec = execs.find(exec_id);
    if (exec == execs.end() || !exec->second.info.running) return;  // its container went
    exec->second.info.running = false;
    exec->second.info.exit_code = exit_code;
  }
};

// --- Construction and scripting ------------------------------------------------

FakeDockerClient::FakeDockerClient() : FakeDockerClient(FakeDockerOptions{}) {}

FakeDockerClient::FakeDockerClient(FakeDockerOptions options)
    : DockerClient(BaseOptions(options)), state_(std::make_unique<State>()) {
  state_->endpoint = endpoint().ToString();
  state_->version = options.version.value_or(DefaultVersion());
  state_->info = options.info.value_or(DefaultInfo());
  state_->AddPredefinedNetworks();
}

FakeDockerClient::~FakeDockerClient() = default;

std::string FakeDockerClient::AddImage(const std::string& reference, const Labels& labels) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const std::string tag = NormalizeReference(reference);
  for (auto& image : state_->images) {
    if (std::count(image.tags.begin(), image.tags.end(), tag) != 0) {
      image.labels = labels;
      return image.id;
    }
  }
  return state_->NewImage({tag}, labels);
}

void FakeDockerClient::OnContainerStart(StartHandler handler) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->start_handlers.push_back(std::move(handler));
}

void FakeDockerClient::ScriptContainer(const std::string& name, ContainerScript script) {
  OnContainerStart(
      [name, script](const CreatedContainer& container) -> std::optional<ContainerScript> {
        if (container.name != name) return std::nullopt;
        return script;
      });
}

void FakeDockerClient::OnExec(ExecHandler handler) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->exec_handlers.push_back(std::move(handler));
}

void FakeDockerClient::AnswerExec(std::vector<std::string> argv_prefix, ExecResult result) {
  OnExec([argv_prefix, result](const ExecCall& call) -> std::optional<ExecResult> {
    if (call.argv.size() < argv_prefix.size() ||
        !std::equal(argv_prefix.begin(), argv_prefix.end(), call.argv.begin())) {
      return std::nullopt;
    }
    return result;
  });
}

void FakeDockerClient::FinishExec(const std::string& exec_id, int exit_code) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto exec = state_->execs.find(exec_id);
  if (exec == state_->execs.end()) {
    throw Error(ErrorCode::kNotFound, "FakeDockerClient::FinishExec: no exec '" + exec_id + "'");
  }
  exec->second.info.running = false;
  exec->second.info.exit_code = exit_code;
}

void FakeDockerClient::AppendLogs(const std::string& name_or_id, const std::string& stdout_text,
                                  const std::string& stderr_text) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container = state_->FindContainer(name_or_id);
  if (!container) {
    throw Error(ErrorCode::kNotFound,
                "FakeDockerClient::AppendLogs: no container '" + name_or_id + "'");
  }
  AppendLog(*container, OutputStream::kStdout, stdout_text);
  AppendLog(*container, OutputStream::kStderr, stderr_text);
}

void FakeDockerClient::PutFile(const std::string& name_or_id, const std::string& path,
                               const std::string& content, int mode) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container = state_->FindContainer(name_or_id);
  if (!container) {
    throw Error(ErrorCode::kNotFound,
                "FakeDockerClient::PutFile: no container '" + name_or_id + "'");
  }
  PutFileEntry(*container, path, FileEntry{TarEntryType::kFile, content, mode, ""});
}

// --- Injected failures -----------------------------------------------------------

void FakeDockerClient::FailCall(const std::string& operation, int nth, Error error) {
  CheckOperation(operation);
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto made = state_->call_counts.find(operation);
  int calls_made = made == state_->call_counts.end() ? 0 : made->second;
  if (nth <= calls_made) {
    throw Error(ErrorCode::kInvalidArgument,
                "FakeDockerClient::FailCall: call " + std::to_string(nth) + " of " + operation +
                    " cannot fail: " + std::to_string(calls_made) + " were made already");
  }
  state_->failures[operation].insert_or_assign(nth, std::move(error));
}

void FakeDockerClient::FailNextCall(const std::string& operation, Error error) {
  CheckOperation(operation);
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto made = state_->call_counts.find(operation);
  int next = (made == state_->call_counts.end() ? 0 : made->second) + 1;
  state_->failures[operation].insert_or_assign(next, std::move(error));
}

void FakeDockerClient::BeforeCall(CallHook hook) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->hooks.push_back(std::move(hook));
}

void FakeDockerClient::BeginCall(const char* operation, const std::string& target) {
  std::vector<CallHook> hooks;
  std::optional<Error> failure;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    int nth = ++state_->call_counts[operation];
    hooks = state_->hooks;
    auto planned = state_->failures.find(operation);
    if (planned != state_->failures.end()) {
      auto it = planned->second.find(nth);
      if (it != planned->second.end()) {
        failure = it->second;
        planned->second.erase(it);
      }
    }
  }
  // Unlocked: a hook may block to hold a call in flight while others run.
  for (const auto& hook : hooks) hook(operation, target);
  if (failure) throw *failure;
}

std::optional<ContainerScript> FakeDockerClient::ScriptFor(const CreatedContainer& container) {
  std::vector<StartHandler> handlers;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    handlers = state_->start_handlers;
  }
  for (auto it = handlers.rbegin(); it != handlers.rend(); ++it) {
    if (std::optional<ContainerScript> script = (*it)(container)) return script;
  }
  return std::nullopt;
}

std::optional<ExecResult> FakeDockerClient::AnswerFor(const ExecCall& call) {
  std::vector<ExecHandler> handlers;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    handlers = state_->exec_handlers;
  }
  for (auto it = handlers.rbegin(); it != handlers.rend(); ++it) {
    if (std::optional<ExecResult> answer = (*it)(call)) return answer;
  }
  return std::nullopt;
}

// --- Inspection ----------------------------------------------------------------

int FakeDockerClient::CallCount(const std::string& operation) const {
  CheckOperation(operation);
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto count = state_->call_counts.find(operation);
  return count == state_->call_counts.end() ? 0 : count->second;
}

std::map<std::string, int> FakeDockerClient::CallCounts() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->call_counts;
}

std::vector<ContainerInfo> FakeDockerClient::LiveContainers() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<ContainerInfo> containers;
  for (const auto& container : state_->containers) containers.push_back(Describe(*container));
  return containers;
}

std::vector<NetworkInfo> FakeDockerClient::LiveNetworks() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<NetworkInfo> networks;
  for (const auto& network : state_->networks) {
    networks.push_back(state_->DescribeNetwork(network, /*with_containers=*/true));
  }
  return networks;
}

std::vector<CreatedContainer> FakeDockerClient::CreatedContainers() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->created;
}

ContainerSpec FakeDockerClient::CreatedSpec(const std::string& name_or_id) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (auto it = state_->created.rbegin(); it != state_->created.rend(); ++it) {
    if (it->id == name_or_id || it->name == name_or_id ||
        (!name_or_id.empty() && it->id.rfind(name_or_id, 0) == 0)) {
      return it->spec;
    }
  }
  throw Error(ErrorCode::kNotFound,
              "FakeDockerClient::CreatedSpec: no container '" + name_or_id + "' was created");
}

std::vector<ExecCall> FakeDockerClient::ExecCalls() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->exec_calls;
}

std::vector<std::vector<std::string>> FakeDockerClient::ExecArgvs() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<std::vector<std::string>> argvs;
  for (const auto& call : state_->exec_calls) argvs.push_back(call.argv);
  return argvs;
}

std::vector<CopyCall> FakeDockerClient::CopyCalls() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->copies;
}

std::vector<std::string> FakeDockerClient::CopiedTars(const std::string& name_or_id,
                                                      const std::string& destination) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<std::string> tars;
  for (const auto& copy : state_->copies) {
    if ((copy.container_id == name_or_id || copy.container_name == name_or_id) &&
        NormalizePath(copy.destination) == NormalizePath(destination)) {
      tars.push_back(copy.tar);
    }
  }
  return tars;
}

// --- System ----------------------------------------------------------------------

void FakeDockerClient::Ping() { BeginCall("Ping", ""); }

VersionInfo FakeDockerClient::Version() {
  BeginCall("Version", "");
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->version;
}

SystemInfo FakeDockerClient::Info() {
  BeginCall("Info", "");
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->info;
}

// --- Images ------------------------------------------------------------------------

std::string FakeDockerClient::ImportImage(const ImportSpec& spec) {
  BeginCall("ImportImage", spec.repository + ":" + spec.tag);
  if (!spec.root_filesystem || spec.repository.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "import: root_filesystem and repository are required (repository='" +
                    spec.repository + "')");
  }
  Drain(spec.root_filesystem);
  Labels labels;
  for (const auto& change : spec.changes) {
    if (change.rfind("LABEL ", 0) != 0) continue;
    std::string pair = change.substr(6);
    size_t equals = pair.find('=');
    if (equals == std::string::npos) continue;
    std::string value = pair.substr(equals + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    labels[pair.substr(0, equals)] = value;
  }
  std::lock_guard<std::mutex> lock(state_->mutex);
  const std::string tag = spec.tag.empty() ? "latest" : spec.tag;
  return state_->NewImage({spec.repository + ":" + tag}, labels);
}

std::string FakeDockerClient::BuildImage(const BuildSpec& spec) {
  BeginCall("BuildImage", spec.tags.empty() ? "" : spec.tags.front());
  if (!spec.context) {
    throw Error(ErrorCode::kInvalidArgument,
                "build: context (a tar of the build directory) is required");
  }
  Drain(spec.context);
  std::string id;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    id = state_->NewImage(spec.tags, spec.labels);
  }
  if (spec.on_progress) {
    spec.on_progress("Successfully built " + id.substr(7, 12));
    for (const auto& tag : spec.tags) {
      spec.on_progress("Successfully tagged " + NormalizeReference(tag));
    }
  }
  return id;
}

ImageInfo FakeDockerClient::InspectImage(const std::string& name_or_id) {
  BeginCall("InspectImage", name_or_id);
  std::lock_guard<std::mutex> lock(state_->mutex);
  const Image& image = state_->RequireImage(name_or_id, {"GET", "/images/" + name_or_id + "/json"});
  return ImageInfo{image.id, image.tags, image.labels, 4 << 20};
}

std::vector<ImageInfo> FakeDockerClient::ListImages(const LabelFilter& labels) {
  BeginCall("ListImages", "");
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<ImageInfo> images;
  for (const auto& image : state_->images) {
    if (MatchesLabels(image.labels, labels)) {
      images.push_back(ImageInfo{image.id, image.tags, image.labels, 4 << 20});
    }
  }
  return images;
}

void FakeDockerClient::TagImage(const std::string& name_or_id, const std::string& repository,
                                const std::string& tag) {
  BeginCall("TagImage", name_or_id);
  const Request request{"POST", "/images/" + name_or_id + "/tag"};
  std::lock_guard<std::mutex> lock(state_->mutex);
  const std::string id = state_->RequireImage(name_or_id, request).id;
  if (repository.empty()) request.Fail(400, "invalid reference format");
  state_->MoveTag(NormalizeReference(repository + ":" + (tag.empty() ? "latest" : tag)), id);
}

void FakeDockerClient::SaveImages(const std::vector<std::string>& names,
                                  const std::function<void(std::string_view)>&) {
  BeginCall("SaveImages", names.empty() ? "" : names.front());
  if (names.empty()) throw Error(ErrorCode::kInvalidArgument, "save: name at least one image");
  throw Error(ErrorCode::kFailedPrecondition,
              "FakeDockerClient does not model SaveImages: it keeps no image content; test "
              "image transfer against a real engine, or script this call with FailCall");
}

void FakeDockerClient::LoadImages(const TarSource&) {
  BeginCall("LoadImages", "");
  throw Error(ErrorCode::kFailedPrecondition,
              "FakeDockerClient does not model LoadImages: it keeps no image content; add the "
              "images a test needs with AddImage");
}

// As the engine: removing one of several tags only untags; removing the last
// tag of an image a container uses needs force, and then only untags;
// removing an image by id needs force when it has several tags or a stopped
// container uses it, and is refused while a running one does.
void FakeDockerClient::RemoveImage(const std::string& name_or_id, bool force) {
  BeginCall("RemoveImage", name_or_id);
  const Request request{"DELETE", "/images/" + name_or_id};
  std::lock_guard<std::mutex> lock(state_->mutex);
  Image& image = state_->RequireImage(name_or_id, request);
  const std::string id = image.id;
  const std::string short_id = id.substr(7, 12);
  const std::string reference = NormalizeReference(name_or_id);
  std::shared_ptr<Container> user = state_->ContainerUsingImage(id);
  auto tag = std::find(image.tags.begin(), image.tags.end(), reference);
  if (tag != image.tags.end()) {
    if (image.tags.size() > 1 || (user && force)) {
      image.tags.erase(tag);
      return;
    }
    if (user) {
      request.Fail(409, "conflict: unable to remove repository reference \"" + name_or_id +
                            "\" (must force) - container " + user->id.substr(0, 12) +
                            " is using its referenced image " + short_id);
    }
  } else {
    if (image.tags.size() > 1 && !force) {
      request.Fail(409, "conflict: unable to delete " + short_id +
                            " (must be forced) - image is referenced in multiple repositories");
    }
    if (user && user->running) {
      request.Fail(409, "conflict: unable to delete " + short_id +
                            " (cannot be forced) - image is being used by running container " +
                            user->id.substr(0, 12));
    }
    if (user && !force) {
      request.Fail(409, "conflict: unable to delete " + short_id +
                            " (must be forced) - image is being used by stopped container " +
                            user->id.substr(0, 12));
    }
  }
  auto& images = state_->images;
  images.erase(std::find_if(images.begin(), images.end(),
                            [&id](const Image& each) { return each.id == id; }));
}

// --- Containers ----------------------------------------------------------------------

std::string FakeDockerClient::CreateContainer(const ContainerSpec& spec) {
  BeginCall("CreateContainer", spec.name);
  internal::ContainerCreateBody(spec);  // the real client's checks, same errors
  const Request request{"POST", "/containers/create"};
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::string name = !spec.name.empty() && spec.name[0] == '/' ? spec.name.substr(1) : spec.name;
  if (!spec.name.empty() && !ValidContainerName(name)) {
    request.Fail(400, "Invalid container name (" + spec.name +
                          "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
  }
  const Image* image = state_->FindImage(spec.image);
  if (image == nullptr) request.Fail(404, "No such image: " + NormalizeReference(spec.image));
  if (!name.empty()) {
    if (auto holder = state_->FindContainer(name); holder && holder->name == name) {
      request.Fail(409, "Conflict. The container name \"/" + name +
                            "\" is already in use by container \"" + holder->id +
                            "\". You have to remove (or rename) that container to be able to "
                            "reuse that name.");
    }
  }

  // The network mode decides the first network; the endpoint, when it names
  // another one, adds it (the real client sends the endpoint's network as
  // the mode when no mode is given).
  const std::optional<EndpointSpec>& endpoint = spec.network.endpoint;
  std::string mode = spec.network.network_mode;
  if (mode.empty()) mode = endpoint ? endpoint->network : "bridge";
  if (spec.network.disabled) mode = "none";  // as the real client sends it
  std::vector<Attachment> attachments;
  if (mode.rfind("container:", 0) != 0) {
    const Network& network = state_->RequireNetwork(mode, request);
    const Network* endpoint_network =
        endpoint ? &state_->RequireNetwork(endpoint->network, request) : nullptr;
    const bool endpoint_on_mode = endpoint_network && endpoint_network->id == network.id;
    attachments.push_back(Attachment{network.id, network.spec.name,
                                     endpoint_on_mode ? *endpoint : EndpointSpec{}, {}});
    if (endpoint_network && !endpoint_on_mode) {
      if (network.spec.name == "host" || network.spec.name == "none") {
        request.Fail(400, "conflicting options: a container in network mode '" + mode +
                              "' cannot join network " + endpoint_network->spec.name);
      }
      attachments.push_back(
          Attachment{endpoint_network->id, endpoint_network->spec.name, *endpoint, {}});
    }
  } else if (endpoint) {
    request.Fail(400, "conflicting options: a container sharing another's network namespace (" +
                          mode + ") cannot join network " + endpoint->network);
  }
  for (auto& attachment : attachments) {
    const Network& network = *state_->FindNetwork(attachment.network_id);
    State::CheckRequestedAddresses(network, attachment.requested, request);
    attachment.address.network_id = network.id;
  }

  auto container = std::make_shared<Container>();
  container->id = state_->NewId("container");
  // The engine names an unnamed container itself.
  auto taken = [this](const std::string& candidate) {
    return std::any_of(state_->containers.begin(), state_->containers.end(),
                       [&candidate](const auto& each) { return each->name == candidate; });
  };
  while (name.empty() || taken(name)) {
    name = "fake_container_" + std::to_string(state_->next_name++);
  }
  container->name = name;
  container->image_id = image->id;
  container->spec = spec;
  container->network_mode = mode;
  container->attachments = std::move(attachments);
  state_->containers.push_back(container);
  state_->created.push_back(CreatedContainer{container->id, container->name, spec});
  return container->id;
}

void FakeDockerClient::StartContainer(const std::string& id) {
  BeginCall("StartContainer", id);
  const Request request{"POST", "/containers/" + id + "/start"};
  CreatedContainer created;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    std::shared_ptr<Container> container = state_->RequireContainer(id, request);
    if (container->running) return;  // the engine answers 304
    created = CreatedContainer{container->id, container->name, container->spec};
  }
  // Unlocked: the test's handlers may call back into the fake.
  const ContainerScript script = ScriptFor(created).value_or(ContainerScript{});

  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container = state_->RequireContainer(id, request);
  if (container->running) return;
  // All addresses first, so that a refusal leaves the container as it was.
  std::vector<NetworkAddress> addresses;
  for (const auto& attachment : container->attachments) {
    Network* network = state_->FindNetwork(attachment.network_id);
    if (network == nullptr || network->id != attachment.network_id) {
      request.Fail(404, "network " + attachment.network_name + " not found");
    }
    addresses.push_back(state_->AddressOn(*network, attachment.requested, request));
  }
  for (size_t i = 0; i < addresses.size(); ++i) container->attachments[i].address = addresses[i];
  container->running = true;
  container->status = "running";
  container->pid = state_->next_pid++;
  container->exit_code = 0;
  AppendLog(*container, OutputStream::kStdout, script.stdout_text);
  AppendLog(*container, OutputStream::kStderr, script.stderr_text);
  for (const auto& [path, content] : script.files) {
    PutFileEntry(*container, path, FileEntry{TarEntryType::kFile, content, 0644, ""});
  }
  if (script.exit_code) state_->Exit(*container, *script.exit_code);
}

void FakeDockerClient::StopContainer(const std::string& id, std::chrono::seconds) {
  BeginCall("StopContainer", id);
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container =
      state_->RequireContainer(id, {"POST", "/containers/" + id + "/stop"});
  if (!container->running) return;  // the engine answers 304
  state_->Exit(*container, container->spec.process.init ? 128 + 15 : 128 + 9);
}

void FakeDockerClient::KillContainer(const std::string& id, const std::string& signal) {
  BeginCall("KillContainer", id);
  const Request request{"POST", "/containers/" + id + "/kill"};
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container = state_->RequireContainer(id, request);
  int number = SignalNumber(signal);
  if (number == 0) request.Fail(400, "Invalid signal: " + signal);
  if (!container->running) {
    request.Fail(409, "Cannot kill container: " + id + ": Container " + container->id +
                          " is not running");
  }
  if (SignalEndsProcess(number)) state_->Exit(*container, 128 + number);
}

int FakeDockerClient::WaitContainer(const std::string& id, std::chrono::milliseconds deadline) {
  BeginCall("WaitContainer", id);
  std::unique_lock<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container =
      state_->RequireContainer(id, {"POST", "/containers/" + id + "/wait"});
  bool ended = state_->stopped.wait_for(lock, deadline, [&container] {
    return !container->running || container->removed;
  });
  if (!ended) {
    // What the real client makes of its transport's timeout.
    throw Error(ErrorCode::kDeadlineExceeded,
                "container '" + id + "' still running after " + std::to_string(deadline.count()) +
                    " ms of waiting for it to stop",
                RequestContext{"POST",
                               "/v" + state_->version.api_version + "/containers/" + id +
                                   "/wait?condition=not-running",
                               0, ""});
  }
  return container->exit_code;
}

void FakeDockerClient::RemoveContainer(const std::string& id, bool force) {
  BeginCall("RemoveContainer", id);
  const Request request{"DELETE", "/containers/" + id};
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container = state_->RequireContainer(id, request);
  if (container->running && !force) {
    request.Fail(409, "You cannot remove a running container " + container->id +
                          ". Stop the container before attempting removal or force remove");
  }
  if (container->running) state_->Exit(*container, 128 + 9);
  state_->Remove(container);
}

ContainerInfo FakeDockerClient::InspectContainer(const std::string& id) {
  BeginCall("InspectContainer", id);
  std::lock_guard<std::mutex> lock(state_->mutex);
  return Describe(*state_->RequireContainer(id, {"GET", "/containers/" + id + "/json"}));
}

std::vector<ContainerSummary> FakeDockerClient::ListContainers(const LabelFilter& labels) {
  BeginCall("ListContainers", "");
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<ContainerSummary> rows;
  for (auto it = state_->containers.rbegin(); it != state_->containers.rend(); ++it) {
    const Container& container = **it;
    if (!MatchesLabels(container.spec.labels, labels)) continue;
    rows.push_back(ContainerSummary{container.id, container.name, container.spec.image,
                                    container.status, container.spec.labels});
  }
  return rows;
}

ContainerLogs FakeDockerClient::Logs(const std::string& id, const LogOptions& options) {
  BeginCall("Logs", id);
  std::lock_guard<std::mutex> lock(state_->mutex);
  // The real client inspects the container first; an unknown one fails there.
  std::shared_ptr<Container> container =
      state_->RequireContainer(id, {"GET", "/containers/" + id + "/json"});
  std::vector<const std::pair<OutputStream, std::string>*> lines;
  for (const auto& line : container->log) {
    bool wanted = line.first == OutputStream::kStdout ? options.stdout : options.stderr;
    if (wanted) lines.push_back(&line);
  }
  size_t first = options.tail < 0 || static_cast<size_t>(options.tail) >= lines.size()
                     ? 0
                     : lines.size() - options.tail;
  ContainerLogs logs;
  for (size_t i = first; i < lines.size(); ++i) {
    bool to_stdout = lines[i]->first == OutputStream::kStdout || container->spec.process.tty;
    (to_stdout ? logs.stdout_text : logs.stderr_text) += lines[i]->second;
  }
  return logs;
}

void FakeDockerClient::CopyToContainer(const std::string& id, const std::string& destination,
                                       const std::string& tar) {
  BeginCall("CopyToContainer", id);
  const Request request{"PUT", "/containers/" + id + "/archive"};
  std::vector<TarEntry> entries;
  try {
    entries = ReadTar(tar);
  } catch (const Error& error) {
    request.Fail(500, std::string("Error processing tar file: ") + error.what());
  }
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container = state_->RequireContainer(id, request);
  for (const auto& entry : entries) {
    PutFileEntry(*container, destination + "/" + entry.name,
                 FileEntry{entry.type, entry.content, entry.mode, entry.link_target});
  }
  state_->copies.push_back(CopyCall{container->id, container->name, destination, tar});
}

// A tar of `path` named by its last component, as the engine makes it: a
// file alone, or a directory with everything under it.
std::string FakeDockerClient::CopyFromContainer(const std::string& id, const std::string& path) {
  BeginCall("CopyFromContainer", id);
  const Request request{"GET", "/containers/" + id + "/archive"};
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::shared_ptr<Container> container = state_->RequireContainer(id, request);
  const std::map<std::string, FileEntry>& files = container->files;
  const std::string target = NormalizePath(path);
  const std::string prefix = target == "/" ? "/" : target + "/";
  auto exact = files.find(target);
  auto child = files.lower_bound(prefix);
  bool has_children = child != files.end() && child->first.rfind(prefix, 0) == 0;
  if (exact == files.end() && !has_children) {
    request.Fail(404, "Could not find the file " + path + " in container " + id);
  }
  const std::string base = target == "/" ? "" : target.substr(target.rfind('/') + 1);
  TarWriter tar;
  auto add = [&tar](const std::string& name, const FileEntry& file) {
    tar.Add(TarEntry{.name = name, .type = file.type, .mode = file.mode,
                     .content = file.content, .link_target = file.link_target});
  };
  if (exact != files.end() && exact->second.type != TarEntryType::kDirectory) {
    add(base, exact->second);
    return tar.Finish();
  }
  if (!base.empty()) tar.AddDirectory(base, exact != files.end() ? exact->second.mode : 0755);
  for (; child != files.end() && child->first.rfind(prefix, 0) == 0; ++child) {
    const std::string relative = child->first.substr(prefix.size());
    add(base.empty() ? relative : base + "/" + relative, child->second);
  }
  return tar.Finish();
}

// --- Exec ------------------------------------------------------------------------------

ExecResult FakeDockerClient::AnswerAttachedExec(const char* operation, const std::string& container_id,
                                              const ExecSpec& spec) {
  BeginCall(operation, container_id);
  internal::ExecCreateBody(spec);  // the real client's checks
  const ExecCall call = state_->StartExec(container_id, spec, /*detached=*/false);
  ExecResult result;
  try {
    result = AnswerFor(call).value_or(ExecResult{0, "", ""});
  } catch (...) {
    state_->EndExec(call.exec_id, -1);
    throw;
  }
  state_->EndExec(call.exec_id, result.exit_code);
  return result;
}

ExecResult FakeDockerClient::Exec(const std::string& container_id, const ExecSpec& spec) {
  ExecResult result = AnswerAttachedExec("Exec", container_id, spec);
  if (spec.on_output) {
    if (!result.stdout_text.empty()) spec.on_output(OutputStream::kStdout, result.stdout_text);
    if (!result.stderr_text.empty()) spec.on_output(OutputStream::kStderr, result.stderr_text);
  }
  return result;
}

std::string FakeDockerClient::ExecDetached(const std::string& container_id, const ExecSpec& spec) {
  BeginCall("ExecDetached", container_id);
  internal::ExecCreateBody(spec);
  const ExecCall call = state_->StartExec(container_id, spec, /*detached=*/true);
  std::optional<ExecResult> answer;
  try {
    answer = AnswerFor(call);
  } catch (...) {
    state_->EndExec(call.exec_id, -1);
    throw;
  }
  if (answer) state_->EndExec(call.exec_id, answer->exit_code);
  return call.exec_id;
}

namespace {

// No process stands behind a fake stream: what is written to it is
// dropped, and it reads as the exec's answer (as Exec would give it)
// followed by its end.
class AnsweredExecStream : public ExecStream {
 public:
  explicit AnsweredExecStream(ExecResult answer) : answer_(std::move(answer)) {}
  void Write(std::string_view data, Clock::time_point until) override {
    (void)data;
    (void)until;
  }
  ReadOutcome Read(Clock::time_point until, std::string& stdout_data, std::string& stderr_data) override {
    (void)until;
    if (answered_) return ReadOutcome::kClosed;
    answered_ = true;
    stdout_data += answer_.stdout_text;
    stderr_data += answer_.stderr_text;
    return ReadOutcome::kData;
  }

 private:
  ExecResult answer_;
  bool answered_ = false;
};

}  // namespace

std::unique_ptr<ExecStream> FakeDockerClient::OpenExecStream(const std::string& container_id, const ExecSpec& spec) {
  return std::make_unique<AnsweredExecStream>(AnswerAttachedExec("OpenExecStream", container_id, spec));
}

ExecInfo FakeDockerClient::InspectExec(const std::string& exec_id) {
  BeginCall("InspectExec", exec_id);
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto exec = state_->execs.find(exec_id);
  if (exec == state_->execs.end()) {
    Request{"GET", "/exec/" + exec_id + "/json"}.Fail(404, "No such exec instance: " + exec_id);
  }
  return exec->second.info;
}

// --- Networks ------------------------------------------------------------------------

std::string FakeDockerClient::CreateNetwork(const NetworkSpec& spec) {
  BeginCall("CreateNetwork", spec.name);
  internal::NetworkCreateBody(spec);  // the real client's checks
  const Request request{"POST", "/networks/create"};
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (const auto& network : state_->networks) {
    if (network.spec.name == spec.name) {
      request.Fail(409, "network with name " + spec.name + " already exists");
    }
  }
  Network network;
  network.spec = spec;
  network.configured_subnet = !spec.pools.empty();
  for (auto& pool : network.spec.pools) {
    std::optional<Cidr> subnet = Cidr::Parse(pool.subnet);
    if (!subnet) request.Fail(400, "invalid CIDR address: " + pool.subnet);
    if (!pool.ip_range.empty()) {
      std::optional<Cidr> range = Cidr::Parse(pool.ip_range);
      if (!range) request.Fail(400, "invalid CIDR address: " + pool.ip_range);
      if (range->family != subnet->family || range->prefix < subnet->prefix ||
          !subnet->Contains(range->network)) {
        request.Fail(400, "Invalid range " + pool.ip_range + " for subnet " + pool.subnet);
      }
    }
    if (pool.gateway.empty()) {
      pool.gateway = subnet->AddressAt(1);  // the engine reports the one it picked
    } else {
      int family = 0;
      std::optional<AddressBytes> gateway = ParseAddress(pool.gateway, family);
      if (!gateway || family != subnet->family || !subnet->Contains(*gateway)) {
        request.Fail(400, "Invalid gateway " + pool.gateway + " for subnet " + pool.subnet);
      }
      pool.gateway = FormatAddress(family, *gateway);
    }
    bool overlaps_own = std::any_of(network.subnets.begin(), network.subnets.end(),
                                    [&](const Cidr& own) { return own.Overlaps(*subnet); });
    if (overlaps_own || state_->OverlapsAnyNetwork(*subnet)) {
      request.Fail(403, "Pool overlaps with other one on this address space");
    }
    network.subnets.push_back(*subnet);
  }
  const bool has_ipv4 = std::any_of(network.subnets.begin(), network.subnets.end(),
                                    [](const Cidr& subnet) { return subnet.family == AF_INET; });
  if (!has_ipv4) {
    std::optional<Cidr> picked;
    for (const auto& candidate : DefaultPools()) {
      if (!state_->OverlapsAnyNetwork(candidate)) {
        picked = candidate;
        break;
      }
    }
    if (!picked) {
      request.Fail(500, "could not find an available, non-overlapping IPv4 address pool among "
                        "the defaults to assign to the network");
    }
    network.spec.pools.insert(network.spec.pools.begin(),
                              IpamPool{picked->ToString(), picked->AddressAt(1), ""});
    network.subnets.insert(network.subnets.begin(), *picked);
  }
  network.id = state_->NewId("network");
  state_->networks.push_back(network);
  return network.id;
}

NetworkInfo FakeDockerClient::InspectNetwork(const std::string& name_or_id) {
  BeginCall("InspectNetwork", name_or_id);
  std::lock_guard<std::mutex> lock(state_->mutex);
  const Network& network =
      state_->RequireNetwork(name_or_id, {"GET", "/networks/" + name_or_id});
  return state_->DescribeNetwork(network, /*with_containers=*/true);
}

void FakeDockerClient::ConnectNetwork(const std::string& network_name,
                                      const std::string& container_id,
                                      const EndpointSpec& endpoint) {
  BeginCall("ConnectNetwork", network_name);
  const Request request{"POST", "/networks/" + network_name + "/connect"};
  std::lock_guard<std::mutex> lock(state_->mutex);
  const Network& network = state_->RequireNetwork(network_name, request);
  std::shared_ptr<Container> container = state_->RequireContainer(container_id, request);
  const std::string& mode = container->network_mode;
  if (mode == "host" || network.spec.name == "host") {
    request.Fail(400, "container cannot be disconnected from host network or connected to host "
                      "network");
  }
  if (mode == "none" || network.spec.name == "none") {
    request.Fail(400, "container cannot be connected to multiple networks with one of the "
                      "networks in private (none) mode");
  }
  if (mode.rfind("container:", 0) == 0) {
    request.Fail(400, "container sharing network namespace with another container or host "
                      "cannot be connected to any other network");
  }
  for (const auto& attachment : container->attachments) {
    if (attachment.network_id == network.id) {
      request.Fail(403, "endpoint with name " + container->name + " already exists in network " +
                            network.spec.name);
    }
  }
  State::CheckRequestedAddresses(network, endpoint, request);
  Attachment attachment{network.id, network.spec.name, endpoint, {}};
  attachment.address.network_id = network.id;
  if (container->running) attachment.address = state_->AddressOn(network, endpoint, request);
  container->attachments.push_back(attachment);
}

void FakeDockerClient::DisconnectNetwork(const std::string& network_name,
                                         const std::string& container_id, bool) {
  BeginCall("DisconnectNetwork", network_name);
  const Request request{"POST", "/networks/" + network_name + "/disconnect"};
  std::lock_guard<std::mutex> lock(state_->mutex);
  const Network& network = state_->RequireNetwork(network_name, request);
  std::shared_ptr<Container> container = state_->RequireContainer(container_id, request);
  auto& attachments = container->attachments;
  auto it = std::find_if(attachments.begin(), attachments.end(), [&](const Attachment& attachment) {
    return attachment.network_id == network.id;
  });
  if (it == attachments.end()) {
    request.Fail(500, "container " + container->id + " is not connected to network " +
                          network.spec.name);
  }
  attachments.erase(it);
}

void FakeDockerClient::RemoveNetwork(const std::string& name_or_id) {
  BeginCall("RemoveNetwork", name_or_id);
  const Request request{"DELETE", "/networks/" + name_or_id};
  std::lock_guard<std::mutex> lock(state_->mutex);
  const Network& network = state_->RequireNetwork(name_or_id, request);
  if (network.predefined) {
    request.Fail(403, network.spec.name + " is a pre-defined network and cannot be removed");
  }
  for (const auto& container : state_->containers) {
    if (!container->running) continue;  // a stopped container has no endpoint
    for (const auto& attachment : container->attachments) {
      if (attachment.network_id == network.id) {
        request.Fail(403, "error while removing network: network " + network.spec.name + " id " +
                              network.id + " has active endpoints");
      }
    }
  }
  const std::string id = network.id;
  state_->networks.erase(std::find_if(state_->networks.begin(), state_->networks.end(),
                                      [&id](const Network& each) { return each.id == id; }));
}

std::vector<NetworkInfo> FakeDockerClient::ListNetworks(const LabelFilter& labels) {
  BeginCall("ListNetworks", "");
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<NetworkInfo> rows;
  for (const auto& network : state_->networks) {
    if (MatchesLabels(network.spec.labels, labels)) {
      rows.push_back(state_->DescribeNetwork(network, /*with_containers=*/false));
    }
  }
  return rows;
}

}  // namespace cirque::docker::testing
