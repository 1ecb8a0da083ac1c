#include "cirque_test/engine/engine_probe.h"

#include <algorithm>
#include <mutex>
#include <sstream>

#include "cirque_test/util/error.h"

namespace cirque::engine {
namespace {

constexpr std::chrono::seconds kProbeDeadline{60};

std::mutex cache_mutex;
// Held through a probe container's life, so homes made at once in one
// process probe an engine once, not once each.
std::mutex probe_mutex;

std::map<std::string, EngineReport>& Cache() {  // GUARDED_BY(cache_mutex)
  static auto* cache = new std::map<std::string, EngineReport>();
  return *cache;
}

void CheckName(const std::string& name) {
  bool valid = !name.empty() && name.size() <= 40 &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
               });
  if (!valid) {
    throw Error(ErrorCode::kInvalidArgument,
                "engine probe name '" + name + "' is not allowed: use 1 to 40 of a-z, 0-9, '_' and '-'");
  }
}

// The probes whose answers are not cached for `endpoint`, each name once.
std::vector<FeatureProbe> Unanswered(const std::string& endpoint,
                                     const std::vector<FeatureProbe>& probes) {
  std::lock_guard<std::mutex> lock(cache_mutex);
  const EngineReport* known = nullptr;
  if (auto found = Cache().find(endpoint); found != Cache().end()) known = &found->second;
  std::vector<FeatureProbe> missing;
  for (const auto& probe : probes) {
    CheckName(probe.name);
    bool answered = known != nullptr && known->features.count(probe.name) != 0;
    bool listed = std::any_of(missing.begin(), missing.end(),
                              [&](const FeatureProbe& other) { return other.name == probe.name; });
    if (!answered && !listed) missing.push_back(probe);
  }
  return missing;
}

std::string RunProbeContainer(docker::DockerClient& client, const std::string& image,
                              const std::string& script, const docker::Labels& labels) {
  docker::ContainerSpec spec;
  spec.image = image;
  spec.labels = labels;
  spec.labels["cirque.role"] = "probe";
  spec.process.entrypoint = std::vector<std::string>{"sh", "-c", script};
  spec.process.cmd = {};
  spec.network.disabled = true;  // a namespace of its own, without the engine's network set-up
  spec.security.cap_add = {"NET_ADMIN"};
  std::string id = client.CreateContainer(spec);
  std::string output;
  try {
    client.StartContainer(id);
    int code = client.WaitContainer(id, kProbeDeadline);
    output = client.Logs(id).stdout_text;
    if (code != 0) {
      throw Error(ErrorCode::kInternal, "engine feature probe exited " + std::to_string(code) + ": " + output);
    }
  } catch (...) {
    try {
      client.RemoveContainer(id, true);
    } catch (const std::exception&) {
      // Labelled: the reaper removes it.
    }
    throw;
  }
  client.RemoveContainer(id, true);
  return output;
}

}  // namespace

bool EngineReport::Has(const std::string& name) const {
  auto found = features.find(name);
  if (found == features.end()) {
    throw Error(ErrorCode::kNotFound, "engine feature '" + name + "' was not probed at " + endpoint +
                                          "; probed: " + (features.empty() ? "(none)" : Summary()));
  }
  return found->second;
}

std::string EngineReport::Summary() const {
  std::string summary;
  for (const auto& [name, present] : features) {
    summary += (summary.empty() ? "" : ", ") + name + (present ? " yes" : " no");
  }
  return summary;
}

std::string ProbeScript(const std::vector<FeatureProbe>& probes) {
  // Each question runs in a subshell of its own with its output discarded,
  // so one probe's leftovers or failures cannot change another's answer.
  std::ostringstream script;
  for (const auto& probe : probes) {
    CheckName(probe.name);
    script << "if (\n" << probe.script << "\n) >/dev/null 2>&1; then echo '" << probe.name
           << " yes'; else echo '" << probe.name << " no'; fi\n";
  }
  script << "echo \"kernel $(uname -r)\"\n";
  return script.str();
}

EngineReport ParseProbeOutput(const std::string& endpoint, const std::string& output) {
  EngineReport report;
  report.endpoint = endpoint;
  std::istringstream lines(output);
  std::string line;
  bool verdict = false;
  while (std::getline(lines, line)) {
    if (line.rfind("kernel ", 0) == 0) {
      report.kernel_version = line.substr(7);
      verdict = true;
      continue;
    }
    size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    std::string answer = line.substr(space + 1);
    if (answer == "yes" || answer == "no") report.features[line.substr(0, space)] = answer == "yes";
  }
  if (!verdict) {
    throw Error(ErrorCode::kInternal, "engine feature probe at " + endpoint +
                                          " printed no verdict: '" + output + "'");
  }
  return report;
}

EngineReport KnownEngineFacts(docker::DockerClient& client) {
  const std::string endpoint = client.endpoint().ToString();
  std::lock_guard<std::mutex> lock(cache_mutex);
  if (auto found = Cache().find(endpoint); found != Cache().end()) return found->second;
  EngineReport empty;
  empty.endpoint = endpoint;
  return empty;
}

EngineReport ProbeEngine(docker::DockerClient& client, const std::string& probe_image,
                         const std::vector<FeatureProbe>& probes, const docker::Labels& labels) {
  const std::string endpoint = client.endpoint().ToString();
  if (Unanswered(endpoint, probes).empty()) return KnownEngineFacts(client);
  std::lock_guard<std::mutex> probing(probe_mutex);
  std::vector<FeatureProbe> missing = Unanswered(endpoint, probes);
  if (missing.empty()) return KnownEngineFacts(client);
  if (probe_image.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "probing the engine at " + endpoint +
                                                 " needs an image with iproute2; none was given");
  }
  EngineReport found = ParseProbeOutput(endpoint, RunProbeContainer(client, probe_image, ProbeScript(missing), labels));
  std::lock_guard<std::mutex> lock(cache_mutex);
  EngineReport& cached = Cache()[endpoint];
  cached.endpoint = endpoint;
  cached.kernel_version = found.kernel_version;
  for (const auto& [name, present] : found.features) cached.features[name] = present;
  return cached;
}

void ForgetEngineFacts() {
  std::lock_guard<std::mutex> lock(cache_mutex);
  Cache().clear();
}

}  // namespace cirque::engine
