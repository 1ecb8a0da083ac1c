#include "cirque_test/home/engine_features.h"

#include <map>
#include <mutex>

#include "cirque_test/home/labels.h"
#include "cirque_test/util/error.h"

namespace cirque::home {
namespace {

// Each line of the probe prints "<feature> yes|no". tc and ip link need
// NET_ADMIN in the probe's own network namespace, nothing more; a veth pair
// is the parent for the macvlan and ipvlan tries, so the probe needs no
// network of its own. hwsim is visible through /sys/module when the engine
// host's kernel has it loaded, or /sys/class/mac80211_hwsim when built in.
constexpr const char* kProbeScript = R"sh(
try() { name=$1; shift; if "$@" >/dev/null 2>&1; then echo "$name yes"; else echo "$name no"; fi; }
try netem tc qdisc add dev lo root handle 1: netem delay 1ms
tc qdisc del dev lo root >/dev/null 2>&1
try tbf tc qdisc add dev lo root tbf rate 1mbit burst 32kbit latency 50ms
tc qdisc del dev lo root >/dev/null 2>&1
ip link add cqprobe-p type veth peer name cqprobe-q >/dev/null 2>&1
try macvlan ip link add cqprobe0 link cqprobe-p type macvlan mode bridge
ip link del cqprobe0 >/dev/null 2>&1
try ipvlan ip link add cqprobe1 link cqprobe-p type ipvlan mode l2
ip link del cqprobe1 >/dev/null 2>&1
ip link del cqprobe-p >/dev/null 2>&1
try hwsim test -d /sys/module/mac80211_hwsim -o -d /sys/class/mac80211_hwsim
echo "kernel $(uname -r)"
)sh";

std::mutex cache_mutex;
// Held through a probe container's life, so homes made at once in one
// process probe the engine once, not once each.
std::mutex probe_mutex;
std::map<std::string, EngineFeatures>& Cache() {
  static std::map<std::string, EngineFeatures> cache;
  return cache;
}

EngineFeatures ParseProbe(const std::string& endpoint, const std::string& output) {
  EngineFeatures features;
  features.endpoint = endpoint;
  auto has = [&output](const std::string& feature) {
    return output.find(feature + " yes") != std::string::npos;
  };
  features.netem = has("netem");
  features.tbf = has("tbf");
  features.hwsim = has("hwsim");
  features.ipvlan = has("ipvlan");
  features.macvlan = has("macvlan");
  size_t kernel = output.find("kernel ");
  if (kernel != std::string::npos) {
    features.kernel_version = output.substr(kernel + 7, output.find('\n', kernel) - kernel - 7);
  }
  return features;
}

}  // namespace

bool EngineFeatures::Has(const std::string& feature) const {
  if (feature == "netem") return netem;
  if (feature == "tbf") return tbf;
  if (feature == "hwsim") return hwsim;
  if (feature == "ipvlan") return ipvlan;
  if (feature == "macvlan") return macvlan;
  throw Error(ErrorCode::kInvalidArgument,
              "unknown kernel feature '" + feature + "'; known: netem, tbf, hwsim, ipvlan, macvlan");
}

std::string EngineFeatures::Summary() const {
  auto yes = [](bool present) { return present ? "yes" : "no"; };
  return std::string("netem ") + yes(netem) + ", tbf " + yes(tbf) + ", hwsim " + yes(hwsim) +
         ", ipvlan " + yes(ipvlan) + ", macvlan " + yes(macvlan);
}

std::string HowToGetFeature(const std::string& feature) {
  if (feature == "hwsim" || feature == "netem") {
    return "use an engine whose kernel has it: `tools/test --tier vm` runs these tests in a VM, "
           "or load the module (modprobe " +
           std::string(feature == "hwsim" ? "mac80211_hwsim" : "sch_netem") + ") on the engine host";
  }
  if (feature == "ipvlan") return "use docker_network MacvLan instead, or an engine host kernel with ipvlan";
  return "use an engine host kernel with " + feature;
}

const EngineFeatures* CachedEngineFeatures(docker::DockerClient& client) {
  std::lock_guard<std::mutex> lock(cache_mutex);
  auto cached = Cache().find(client.endpoint().ToString());
  return cached == Cache().end() ? nullptr : &cached->second;
}

const EngineFeatures& ProbeEngineFeatures(docker::DockerClient& client,
                                          const std::string& probe_image) {
  if (const EngineFeatures* cached = CachedEngineFeatures(client)) return *cached;
  std::lock_guard<std::mutex> probing(probe_mutex);
  if (const EngineFeatures* cached = CachedEngineFeatures(client)) return *cached;
  docker::ContainerSpec spec;
  spec.image = probe_image;
  spec.labels = HomeLabels("probe-" + NewId());
  spec.labels[kRoleLabel] = "probe";
  spec.process.entrypoint = std::vector<std::string>{"sh", "-c", kProbeScript};
  spec.process.cmd = {};
  spec.network.network_mode = "none";
  spec.security.cap_add = {"NET_ADMIN"};
  std::string id = client.CreateContainer(spec);
  std::string output;
  try {
    client.StartContainer(id);
    int code = client.WaitContainer(id, std::chrono::seconds(30));
    output = client.Logs(id).stdout_text;
    if (code != 0) {
      throw Error(ErrorCode::kInternal, "engine feature probe exited " + std::to_string(code) +
                                            ": " + output);
    }
  } catch (...) {
    try {
      client.RemoveContainer(id, true);
    } catch (const Error&) {
    }
    throw;
  }
  client.RemoveContainer(id, true);
  const std::string endpoint = client.endpoint().ToString();
  std::lock_guard<std::mutex> lock(cache_mutex);
  return Cache()[endpoint] = ParseProbe(endpoint, output);
}

const char* EngineProbeScript() { return kProbeScript; }

const EngineFeatures& RecordEngineFeatures(docker::DockerClient& client, const std::string& probe_output) {
  if (probe_output.find("kernel ") == std::string::npos) {
    throw Error(ErrorCode::kInternal, "engine feature probe printed no verdict: '" + probe_output + "'");
  }
  const std::string endpoint = client.endpoint().ToString();
  std::lock_guard<std::mutex> lock(cache_mutex);
  return Cache()[endpoint] = ParseProbe(endpoint, probe_output);
}

}  // namespace cirque::home
