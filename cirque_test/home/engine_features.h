// What the engine's host kernel offers, found by asking the engine (a short
// probe container), not by looking at the machine the test runs on: with a
// VM or remote engine the two differ.
#ifndef CIRQUE_TEST_HOME_ENGINE_FEATURES_H_
#define CIRQUE_TEST_HOME_ENGINE_FEATURES_H_

#include <string>

#include "cirque_test/docker/docker_client.h"

namespace cirque::home {

struct EngineFeatures {
  std::string endpoint;        // "unix:///var/run/docker.sock"
  std::string kernel_version;  // the engine host's kernel
  bool netem = false;          // sch_netem: latency, jitter, loss
  bool tbf = false;            // sch_tbf: rate
  bool hwsim = false;          // mac80211_hwsim: simulated WiFi radios
  bool ipvlan = false;
  bool macvlan = false;

  // The feature by name ("netem", "tbf", "hwsim", "ipvlan", "macvlan").
  // Throws Error (kInvalidArgument) for an unknown name.
  bool Has(const std::string& feature) const;
  // "netem yes, tbf yes, hwsim no, ipvlan no, macvlan yes".
  std::string Summary() const;
};

// Probes the engine with a short container made from `probe_image` (which
// must have iproute2), with NET_ADMIN only and no network. The answer is
// cached per endpoint for the life of the process. Throws Error when the
// probe cannot run at all.
const EngineFeatures& ProbeEngineFeatures(docker::DockerClient& client,
                                          const std::string& probe_image);
// The probe itself (sh), for a container that runs it anyway (a home's
// radio medium, with iproute2 and NET_ADMIN in a namespace of its own):
// no probe container's life, which counts on slow engines. Record its
// output with RecordEngineFeatures.
const char* EngineProbeScript();
const EngineFeatures& RecordEngineFeatures(docker::DockerClient& client, const std::string& probe_output);
// The cached answer for the client's endpoint, or nullptr.
const EngineFeatures* CachedEngineFeatures(docker::DockerClient& client);

// The fix to print when `feature` is missing on the engine.
std::string HowToGetFeature(const std::string& feature);

}  // namespace cirque::home

#endif  // CIRQUE_TEST_HOME_ENGINE_FEATURES_H_
